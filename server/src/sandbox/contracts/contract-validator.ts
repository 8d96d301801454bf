import fs from "node:fs";
import path from "node:path";
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";
import yaml from "js-yaml";

// ajv-formats is CommonJS; under ESM its default export may be wrapped once more.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ??
  addFormatsModule) as typeof addFormatsModule;

type Json = Record<string, unknown>;

export type ApiName = "amazon" | "medusa";

interface ParamSpec {
  name: string;
  in: string;
  required: boolean;
  schema: Json;
  /** Swagger 2.0 csv arrays arrive as one comma-separated string. */
  csv: boolean;
}

export interface OperationSpec {
  api: ApiName;
  method: string;
  pathTemplate: string;
  operationId: string;
  params: ParamSpec[];
  bodyRef?: string;
  /** Content types the operation's body may have. */
  consumes: string[];
  responses: Map<string, string | null>;
}

/** Files of the SP-API models the sandbox imitates, relative to the contracts folder. */
export const AMAZON_MODELS = [
  "amazon-sp-api/models/listings-items-api-model/listingsItems_2021-08-01.json",
  "amazon-sp-api/models/fba-inventory-api-model/fbaInventory.json",
  "amazon-sp-api/models/feeds-api-model/feeds_2021-06-30.json",
];

export const MEDUSA_MODEL = "medusa/admin/openapi.full.yaml";
/** The Medusa model with no property required: what a response to a `fields` selection is held to. */
const MEDUSA_SELECTED = `${MEDUSA_MODEL}?selected`;

export const JSON_SCHEMAS = {
  listingsFeed: "amazon-sp-api/schemas/feeds/listings-feed-schema-v2.json",
  listingsFeedMessage: "amazon-sp-api/schemas/feeds/listings-feed-message-schema-v2.json",
  processingReport: "amazon-sp-api/schemas/feeds/listings-feed-processing-report-schema-v2.json",
  mfnQuantityChange: "amazon-sp-api/schemas/notifications/ListingsItemMfnQuantityChange.json",
  statusChange: "amazon-sp-api/schemas/notifications/ListingsItemStatusChangeNotification.json",
  issuesChange: "amazon-sp-api/schemas/notifications/ListingsItemIssuesChangeNotification_2023-12-13.json",
  fbaAvailabilityChange:
    "amazon-sp-api/schemas/notifications/FBAInventoryAvailabilityChangeNotification.json",
  feedProcessingFinished: "amazon-sp-api/schemas/notifications/FeedProcessingFinishedNotification.json",
} as const;

export type JsonSchemaName = keyof typeof JSON_SCHEMAS;

const METHODS = ["get", "put", "post", "delete", "patch"];

function formatErrors(errors: ErrorObject[] | null | undefined): string[] {
  return (errors ?? [])
    .slice(0, 10)
    .map(
      (e) =>
        `${e.instancePath || "/"} ${e.message ?? "invalid"}${e.params ? ` ${JSON.stringify(e.params)}` : ""}`,
    );
}

/**
 * Medusa's generated spec never says `nullable`, yet the server returns null for unset columns
 * (deleted_at, barcode...): properties accept null, nothing else is loosened.
 */
function allowNullProperties(schema: unknown): void {
  if (!schema || typeof schema !== "object") return;
  if (Array.isArray(schema)) {
    for (const s of schema) allowNullProperties(s);
    return;
  }
  const node = schema as Json;
  const props = node.properties as Record<string, Json> | undefined;
  if (props && typeof props === "object") {
    for (const [name, prop] of Object.entries(props)) {
      if (typeof prop.type === "string") prop.type = [prop.type, "null"];
      if (Array.isArray(prop.enum) && !prop.enum.includes(null)) prop.enum = [...prop.enum, null];
      if (typeof prop.$ref === "string") props[name] = { anyOf: [{ $ref: prop.$ref }, { type: "null" }] };
    }
  }
  for (const value of Object.values(node)) allowNullProperties(value);
}

/** Drops every `required` list: Medusa answers a `fields` selection with the fields asked for and no others. */
function dropRequired(node: unknown): void {
  if (!node || typeof node !== "object") return;
  if (Array.isArray(node)) {
    for (const n of node) dropRequired(n);
    return;
  }
  const obj = node as Json;
  if (Array.isArray(obj.required)) delete obj.required;
  for (const value of Object.values(obj)) dropRequired(value);
}

/** The notification schemas carry generator-made `$id`s that nothing references and that collide; drop them. */
function stripIds(node: unknown): void {
  if (!node || typeof node !== "object") return;
  if (Array.isArray(node)) {
    for (const n of node) stripIds(n);
    return;
  }
  const obj = node as Json;
  delete obj.$id;
  for (const [key, value] of Object.entries(obj))
    if (key !== "examples" && key !== "default") stripIds(value);
}

function matchTemplate(template: string, actual: string): boolean {
  const t = template.split("/");
  const a = actual.split("/");
  if (t.length !== a.length) return false;
  return t.every((seg, i) => seg.startsWith("{") || seg === a[i]);
}

/** Validates requests, responses and documents against the official SP-API and Medusa models in shared/contracts. */
export class ContractValidator {
  private readonly ajv: Ajv;
  private readonly operations: OperationSpec[] = [];
  private readonly compiled = new Map<string, ValidateFunction>();
  private readonly paramChecks = new WeakMap<ParamSpec, ValidateFunction>();
  private readonly found = new Map<string, OperationSpec | undefined>();

  constructor(readonly contractsDir: string) {
    this.ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false, logger: false });
    addFormats(this.ajv);
    for (const file of AMAZON_MODELS) this.loadSwagger(file);
    this.loadMedusa();
    for (const file of Object.values(JSON_SCHEMAS)) {
      const doc = JSON.parse(fs.readFileSync(path.join(contractsDir, file), "utf8")) as Json;
      delete doc.$schema;
      stripIds(doc);
      this.ajv.addSchema(doc, file);
    }
  }

  private loadSwagger(file: string): void {
    const doc = JSON.parse(fs.readFileSync(path.join(this.contractsDir, file), "utf8")) as Json;
    this.ajv.addSchema({ definitions: doc.definitions }, file);
    const paths = doc.paths as Record<string, Record<string, Json>>;
    for (const [p, item] of Object.entries(paths)) {
      for (const method of METHODS) {
        const op = item[method];
        if (!op) continue;
        const params: ParamSpec[] = [];
        let bodyRef: string | undefined;
        for (const raw of (op.parameters as Json[] | undefined) ?? []) {
          if (raw.in === "body") {
            const schema = raw.schema as Json;
            bodyRef = `${file}#${String(schema.$ref).slice(1)}`;
            continue;
          }
          const { name, in: where, required, description: _d, ...schema } = raw;
          params.push({
            name: String(name),
            in: String(where),
            required: Boolean(required),
            schema,
            csv: schema.type === "array",
          });
        }
        const responses = new Map<string, string | null>();
        for (const [code, resp] of Object.entries(op.responses as Record<string, Json>)) {
          const schema = resp.schema as Json | undefined;
          responses.set(code, schema?.$ref ? `${file}#${String(schema.$ref).slice(1)}` : null);
        }
        this.operations.push({
          api: "amazon",
          method: method.toUpperCase(),
          pathTemplate: p,
          operationId: String(op.operationId),
          params,
          bodyRef,
          consumes: (op.consumes as string[] | undefined) ?? (doc.consumes as string[] | undefined) ?? [],
          responses,
        });
      }
    }
  }

  private loadMedusa(): void {
    const doc = yaml.load(fs.readFileSync(path.join(this.contractsDir, MEDUSA_MODEL), "utf8")) as Json;
    const components = doc.components as Json;
    allowNullProperties(components.schemas);
    const id = MEDUSA_MODEL;
    const responsesById = components.responses as Record<string, Json>;
    const inline: Record<string, Json> = {};
    const paths = doc.paths as Record<string, Record<string, Json>>;
    let n = 0;
    for (const [p, item] of Object.entries(paths)) {
      for (const method of METHODS) {
        const op = item[method];
        if (!op) continue;
        const params: ParamSpec[] = [];
        for (const raw of (op.parameters as Json[] | undefined) ?? []) {
          params.push({
            name: String(raw.name),
            in: String(raw.in),
            required: Boolean(raw.required),
            schema: (raw.schema as Json) ?? {},
            csv: false,
          });
        }
        let bodyRef: string | undefined;
        const body = (op.requestBody as Json | undefined)?.content as Record<string, Json> | undefined;
        const bodySchema = body?.["application/json"]?.schema as Json | undefined;
        if (bodySchema) {
          const key = `b${n++}`;
          inline[key] = bodySchema;
          bodyRef = `${id}#/inline/${key}`;
        }
        const responses = new Map<string, string | null>();
        for (const [code, r] of Object.entries(op.responses as Record<string, Json>)) {
          const resp = r.$ref ? responsesById[String(r.$ref).split("/").pop()!]! : r;
          const schema = ((resp.content as Record<string, Json> | undefined)?.["application/json"]?.schema ??
            null) as Json | null;
          if (!schema) {
            responses.set(code, null);
            continue;
          }
          const key = `r${n++}`;
          inline[key] = schema;
          responses.set(code, `${id}#/inline/${key}`);
        }
        this.operations.push({
          api: "medusa",
          method: method.toUpperCase(),
          pathTemplate: p,
          operationId: String(op.operationId),
          params,
          bodyRef,
          consumes: Object.keys(body ?? {}),
          responses,
        });
      }
    }
    allowNullProperties(inline);
    const root = { components: { schemas: components.schemas }, inline };
    this.ajv.addSchema(root, id);
    const selected = structuredClone(root);
    dropRequired(selected);
    this.ajv.addSchema(selected, MEDUSA_SELECTED);
  }

  private validator(ref: string): ValidateFunction {
    let fn = this.compiled.get(ref);
    if (!fn) {
      fn = this.ajv.compile({ $ref: ref });
      this.compiled.set(ref, fn);
    }
    return fn;
  }

  /** Finds the operation of a concrete request path (most specific template wins). */
  findOperation(api: ApiName, method: string, urlPath: string): OperationSpec | undefined {
    const key = `${api} ${method} ${urlPath}`;
    if (this.found.has(key)) return this.found.get(key);
    const candidates = this.operations.filter(
      (o) => o.api === api && o.method === method && matchTemplate(o.pathTemplate, urlPath),
    );
    candidates.sort(
      (x, y) => (x.pathTemplate.match(/\{/g)?.length ?? 0) - (y.pathTemplate.match(/\{/g)?.length ?? 0),
    );
    if (this.found.size > 10_000) this.found.clear();
    this.found.set(key, candidates[0]);
    return candidates[0];
  }

  /** Query parameter names the model does not document for this operation (operators like `a[$gt]` by their base). */
  unknownQueryParams(
    api: ApiName,
    method: string,
    urlPath: string,
    query: Record<string, unknown>,
  ): string[] {
    const op = this.findOperation(api, method, urlPath);
    if (!op) return [];
    const known = new Set(op.params.filter((p) => p.in === "query").map((p) => p.name));
    return Object.keys(query).filter((name) => !known.has(name.replace(/\[.*$/, "")));
  }

  /** Checks query parameters and body of a request; returns the problems found (empty when valid). */
  validateRequest(
    api: ApiName,
    method: string,
    urlPath: string,
    query: Record<string, unknown>,
    body: unknown,
  ): string[] {
    const op = this.findOperation(api, method, urlPath);
    if (!op) return [`${method} ${urlPath}: no such operation in the ${api} model`];
    const errors: string[] = [];
    for (const param of op.params) {
      if (param.in !== "query") continue;
      let value = query[param.name] ?? query[`${param.name}[]`];
      if (value === undefined) {
        if (param.required) errors.push(`${op.operationId}: query parameter ${param.name} is required`);
        continue;
      }
      value = this.coerce(value, param);
      let check = this.paramChecks.get(param);
      if (!check) {
        check = this.ajv.compile(param.schema);
        this.paramChecks.set(param, check);
      }
      if (!check(value))
        errors.push(...formatErrors(check.errors).map((e) => `${op.operationId}: query ${param.name}${e}`));
    }
    if (op.bodyRef) {
      const check = this.validator(op.bodyRef);
      if (!check(body)) errors.push(...formatErrors(check.errors).map((e) => `${op.operationId}: body ${e}`));
    }
    return errors;
  }

  private coerce(value: unknown, param: ParamSpec): unknown {
    const schema = param.schema;
    const wantsArray =
      schema.type === "array" ||
      (Array.isArray(schema.oneOf) && (schema.oneOf as Json[]).some((s) => s.type === "array"));
    let v = value;
    if (param.csv && typeof v === "string") v = v.split(",");
    if (schema.type === "array" && !Array.isArray(v)) v = [v];
    const scalar = (x: unknown, type: unknown): unknown => {
      if (typeof x !== "string") return x;
      // A value that is no number stays a string, so the type check refuses it.
      if (type === "integer" || type === "number")
        return x.trim() === "" || Number.isNaN(Number(x)) ? x : Number(x);
      if (type === "boolean") return x === "true" ? true : x === "false" ? false : x;
      return x;
    };
    if (Array.isArray(v) && wantsArray) {
      const items = (schema.items as Json | undefined)?.type;
      return v.map((x) => scalar(x, items));
    }
    return scalar(v, schema.type);
  }

  /**
   * Checks a response body against the model's schema for that status; a Medusa response to a `fields`
   * selection (`selected`) need not carry the properties the model marks required.
   */
  validateResponse(
    api: ApiName,
    method: string,
    urlPath: string,
    status: number,
    body: unknown,
    selected = false,
  ): string[] {
    const op = this.findOperation(api, method, urlPath);
    if (!op) return [`${method} ${urlPath}: no such operation in the ${api} model`];
    if (!op.responses.has(String(status)))
      return [`${op.operationId}: status ${status} is not a documented response`];
    let ref = op.responses.get(String(status));
    if (!ref) return [];
    if (selected && api === "medusa") ref = ref.replace(`${MEDUSA_MODEL}#`, `${MEDUSA_SELECTED}#`);
    const check = this.validator(ref);
    return check(body) ? [] : formatErrors(check.errors).map((e) => `${op.operationId} ${status}: ${e}`);
  }

  /** Checks a document (feed, report, notification) against one of the JSON Schemas in contracts. */
  validateDocument(name: JsonSchemaName, data: unknown): string[] {
    const check = this.validator(JSON_SCHEMAS[name]);
    return check(data) ? [] : formatErrors(check.errors).map((e) => `${name}: ${e}`);
  }
}

let shared: ContractValidator | undefined;

/** One validator per process: loading the Medusa model takes a second. */
export function sharedContractValidator(contractsDir: string): ContractValidator {
  if (!shared || shared.contractsDir !== contractsDir) shared = new ContractValidator(contractsDir);
  return shared;
}
