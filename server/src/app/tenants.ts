import { GraphQLError } from "graphql";
import type { PrismaClient } from "../generated/prisma/client";
import { ErrorCode } from "../graphql/errors";

const TTL_MS = 60_000;

/** Finds tenants by slug (the one row the tenant_lookup policy lets a request read), cached briefly. */
export class TenantDirectory {
  private cache = new Map<string, { id: string; slug: string; at: number }>();

  constructor(private readonly prisma: PrismaClient) {}

  async bySlug(slug: string): Promise<{ id: string; slug: string }> {
    const hit = this.cache.get(slug);
    if (hit && Date.now() - hit.at < TTL_MS) return hit;
    const [, tenant] = await this.prisma.$transaction([
      this.prisma.$executeRaw`SELECT set_config('app.tenant_slug', ${slug}, true)`,
      this.prisma.tenant.findUnique({ where: { slug }, select: { id: true, slug: true } }),
    ]);
    if (!tenant) {
      throw new GraphQLError(`No tenant "${slug}"`, {
        extensions: { code: ErrorCode.TENANT_NOT_FOUND, http: { status: 404 } },
      });
    }
    const entry = { ...tenant, at: Date.now() };
    this.cache.set(slug, entry);
    return entry;
  }
}
