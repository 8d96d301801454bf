import { describe, expect, it } from "vitest";
import { maskAddress, sanitizeMailError } from "./mail.rules";

describe("the delivery log's last error", () => {
  it("keeps an SMTP reply with its code", () => {
    const error = Object.assign(new Error("Message failed: 451 Mailbox busy, try later"), {
      code: "EMESSAGE",
      response: "451 Mailbox busy, try later",
      responseCode: 451,
    });
    expect(sanitizeMailError(error)).toBe("EMESSAGE: 451 Mailbox busy, try later");
  });

  it("never shows a URL's credentials, a link, a secret or a stack", () => {
    const error = new Error(
      "Invalid login for smtp://mailer:hunter2@mail.shop.test:587 see https://shop.test/reset-password#token=abc password=hunter2\n    at SMTPConnection._formatError (/srv/node_modules/nodemailer/lib/smtp-connection/index.js:1:1)",
    );
    const text = sanitizeMailError(error);
    expect(text).not.toMatch(/hunter2|abc|nodemailer|SMTPConnection/);
    expect(text).toBe("Invalid login for smtp://***@mail.shop.test:587 see [link] password=***");
  });

  it("says something for an error without a message and cuts a long one", () => {
    expect(sanitizeMailError({ message: "" })).toBe("The mail server did not accept the message");
    expect(sanitizeMailError(new Error("x".repeat(1000)))).toHaveLength(300);
  });
});

describe("masked addresses", () => {
  it("keeps the first letter and the domain", () => {
    expect(maskAddress("kim@shop.test")).toBe("k***@shop.test");
    expect(maskAddress("not-an-address")).toBe("***");
  });
});
