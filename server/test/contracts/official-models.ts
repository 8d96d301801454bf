import fs from "node:fs";
import path from "node:path";
import addFormatsModule from "ajv-formats";
import yaml from "js-yaml";
import { OpenAPIBackend, type Request as OpenApiRequest } from "openapi-backend";
import swagger2openapi from "swagger2openapi";

// ajv-formats is CommonJS; under ESM its default export may be wrapped once more.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ??
  addFormatsModule) as typeof addFormatsModule;

const CONTRACTS = path.resolve(import.meta.dirname, "../../../../shared/contracts");
const AMAZON_FILES = [
  "amazon-sp-api/models/listings-items-api-model/listingsItems_2021-08-01.json",
  "amazon-sp-api/models/fba-inventory-api-model/fbaInventory.json",
  "amazon-sp-api/models/feeds-api-model/feeds_2021-06-30.json",
];
/** The Medusa routes the sandbox imitates; the rest of the 244 are left out to keep loading quick. */
const MEDUSA_PATHS = [
  "/admin/stock-locations",
  "/admin/product-variants",
  "/admin/inventory-items",
  "/admin/inventory-items/location-levels/batch",
  "/admin/inventory-items/{id}/location-levels/{location_id}",
  "/admin/products/{id}",
  "/admin/products/{id}/variants/batch",
  "/admin/products/{id}/variants/{variant_id}",
];

export interface Verdict {
  valid: boolean;
  errors: string[];
}

type Json = Record<string, unknown>;

/** Medusa's spec never says nullable, though the server sends null for unset columns: let properties be null. */
function nullable(node: unknown): void {
  if (!node || typeof node !== "object") return;
  if (Array.isArray(node)) {
    for (const n of node) nullable(n);
    return;
  }
  const obj = node as Json;
  const props = obj.properties as Record<string, Json> | undefined;
  if (props && typeof props === "object")
    for (const prop of Object.values(props)) if (typeof prop.type === "string") prop.nullable = true;
  for (const v of Object.values(obj)) nullable(v);
}

/**
 * The official SP-API and Medusa models read by openapi-backend (OpenAPI 3, the Swagger 2.0 models converted
 * by swagger2openapi): a check of the sandbox that shares no code with the sandbox's own validator.
 */
export class OfficialModels {
  private constructor(
    private readonly amazon: OpenAPIBackend[],
    private readonly medusa: OpenAPIBackend,
  ) {}

  static async load(): Promise<OfficialModels> {
    const customizeAjv = (ajv: Parameters<typeof addFormats>[0]) => {
      addFormats(ajv);
      return ajv;
    };
    const amazon = await Promise.all(
      AMAZON_FILES.map(async (file) => {
        const swagger = JSON.parse(fs.readFileSync(path.join(CONTRACTS, file), "utf8"));
        const { openapi } = await swagger2openapi.convertObj(swagger, { patch: true, warnOnly: true });
        const api = new OpenAPIBackend({
          definition: openapi,
          quick: false,
          validate: true,
          strict: false,
          customizeAjv,
        });
        await api.init();
        return api;
      }),
    );
    const doc = yaml.load(
      fs.readFileSync(path.join(CONTRACTS, "medusa/admin/openapi.full.yaml"), "utf8"),
    ) as Json;
    const paths = doc.paths as Json;
    doc.paths = Object.fromEntries(MEDUSA_PATHS.map((p) => [p, paths[p]]));
    nullable(doc.components);
    nullable(doc.paths);
    // Quick mode skips the check of the document itself, which the generated Medusa spec does not pass.
    const medusa = new OpenAPIBackend({
      definition: doc as never,
      quick: true,
      validate: true,
      customizeAjv,
    });
    await medusa.init();
    return new OfficialModels(amazon, medusa);
  }

  private backend(api: "amazon" | "medusa", request: OpenApiRequest): OpenAPIBackend | undefined {
    if (api === "medusa") return this.medusa;
    return this.amazon.find((b) => b.matchOperation(request));
  }

  /** Whether the model accepts this request (query as sent on the wire, body as parsed JSON). */
  request(api: "amazon" | "medusa", method: string, url: string, body?: unknown): Verdict {
    const [pathname, query = ""] = url.split("?");
    const request: OpenApiRequest = {
      method,
      path: pathname!,
      query,
      headers: { "content-type": "application/json" },
      ...(body !== undefined ? { body } : {}),
    };
    const backend = this.backend(api, request);
    if (!backend) return { valid: false, errors: [`${method} ${pathname}: no operation in the model`] };
    const result = backend.validateRequest(request);
    return {
      valid: result.valid,
      errors: (result.errors ?? []).map((e) => `${e.instancePath} ${e.message}`),
    };
  }

  /** Whether the model's response schema for this status accepts the body. */
  response(api: "amazon" | "medusa", method: string, url: string, status: number, body: unknown): Verdict {
    const [pathname, query = ""] = url.split("?");
    const request: OpenApiRequest = { method, path: pathname!, query, headers: {} };
    const backend = this.backend(api, request);
    const operation = backend?.matchOperation(request);
    if (!backend || !operation) return { valid: false, errors: [`${method} ${pathname}: no operation`] };
    if (!operation.responses?.[String(status)])
      return { valid: false, errors: [`${operation.operationId}: ${status} is not a documented status`] };
    const result = backend.validateResponse(body, operation, status);
    return {
      valid: result.valid,
      errors: (result.errors ?? []).map((e) => `${e.instancePath} ${e.message}`),
    };
  }
}
