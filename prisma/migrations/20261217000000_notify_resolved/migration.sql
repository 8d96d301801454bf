-- AlterTable
ALTER TABLE "notification_preferences" ADD COLUMN     "notify_resolved" BOOLEAN NOT NULL DEFAULT false;
