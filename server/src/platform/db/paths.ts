import path from "node:path";
import { ROOT_DIR } from "../config";

export const MIGRATIONS_DIR = path.join(ROOT_DIR, "prisma", "migrations");
