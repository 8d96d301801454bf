export { AuditResolver } from "./audit.resolver";
export { AuditEvent } from "./audit.types";
export { AuditAction, type AuditEntry, recordAudit, recordAuditIn } from "./audit.writer";
