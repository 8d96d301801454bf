import { PrismaPg } from "@prisma/adapter-pg";
import { parse } from "pg-connection-string";
import { defineConfig } from "prisma/config";

// Prisma's native engines cannot be downloaded on every machine; the WASM engine with the pg adapter
// runs generate, migrate deploy and migrate diff offline.
// The schema's datasource reads DATABASE_URL; without it the CLI falls back to the native engine.
process.env.DATABASE_URL ??= "postgresql://postgres:postgres@127.0.0.1:5432/postgres";
const url = process.env.DATABASE_URL;

export default defineConfig({
  engine: "js",
  experimental: { adapter: true },
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  async adapter() {
    const config = parse(url);
    return new PrismaPg({
      host: config.host ?? undefined,
      port: config.port ? Number(config.port) : undefined,
      user: config.user,
      password: config.password,
      database: config.database ?? undefined,
    });
  },
});
