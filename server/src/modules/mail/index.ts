export { enqueueMail, MailSender, type OutgoingMail, retryDelaySeconds } from "./mail.outbox";
export { maskAddress, sanitizeMailError } from "./mail.rules";
export { MailDeliveryResolver } from "./mail-delivery.resolver";
