import { registerEnumType } from "type-graphql";
import { NotificationEmailMode } from "../../generated/prisma/enums";

registerEnumType(NotificationEmailMode, {
  name: "NotificationEmailMode",
  description:
    "OFF, IMMEDIATE (held during quiet hours) or DAILY_DIGEST (one message a day at the digest hour).",
});

export { NotificationEmailMode };
