import { ErrorCode, userInputError } from "./errors";

/** Relay global ids: base64url of "Type:uuid", opaque to clients. */
export function toGlobalId(type: string, id: string): string {
  return Buffer.from(`${type}:${id}`).toString("base64url");
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether a value is a UUID in its usual text form (what every table's id is). */
export const isUuid = (value: unknown): value is string => typeof value === "string" && UUID.test(value);

export function fromGlobalId(globalId: string): { type: string; id: string } {
  const decoded = Buffer.from(globalId, "base64url").toString("utf8");
  const at = decoded.indexOf(":");
  const type = decoded.slice(0, at);
  const id = decoded.slice(at + 1);
  if (at <= 0 || !isUuid(id)) {
    throw userInputError(`Not a valid id: ${JSON.stringify(globalId)}`, ErrorCode.INVALID_ID, "id");
  }
  return { type, id };
}

/** Decodes a global id that must name `type`. */
export function expectGlobalId(globalId: string, type: string): string {
  const decoded = fromGlobalId(globalId);
  if (decoded.type !== type) {
    throw userInputError(`Expected a ${type} id, got a ${decoded.type} id`, ErrorCode.INVALID_ID, "id");
  }
  return decoded.id;
}
