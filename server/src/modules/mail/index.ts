export { enqueueMail, MailSender, type OutgoingMail, retryDelaySeconds } from "./mail.outbox";
