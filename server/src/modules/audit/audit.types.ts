import { Field, ID, InputType, ObjectType, registerEnumType } from "type-graphql";
import type { Prisma } from "../../generated/prisma/client";
import { ActorType } from "../../generated/prisma/enums";
import { ConnectionType } from "../../graphql/pagination";
import { DateTimeScalar, JSONScalar } from "../../graphql/scalars";
import { AuditAction } from "./audit.writer";

registerEnumType(AuditAction, {
  name: "AuditAction",
  description: "A security-relevant act the audit log records.",
});

@ObjectType({ description: "One security-relevant act: who did what to what, from where. Never rewritten." })
export class AuditEvent {
  @Field(() => ID)
  id!: string;

  @Field(() => AuditAction)
  action!: AuditAction;

  @Field(() => ActorType)
  actorType!: ActorType;

  @Field(() => String, { nullable: true, description: "The acting user's or API key's id." })
  actorId!: string | null;

  @Field(() => String, {
    nullable: true,
    description: "User, ApiKey, Session, Invitation, PlatformConnection.",
  })
  targetType!: string | null;

  @Field(() => String, { nullable: true })
  targetId!: string | null;

  @Field(() => JSONScalar)
  details!: Prisma.JsonValue;

  @Field(() => String, {
    nullable: true,
    description: "The client address, where the act came over the network.",
  })
  ip!: string | null;

  @Field(() => DateTimeScalar)
  createdAt!: Date;
}

@InputType({ description: "All given conditions must hold." })
export class AuditEventFilter {
  @Field(() => [AuditAction], { nullable: true })
  actions?: AuditAction[] | null;

  @Field(() => String, { nullable: true, description: "Acts of this user or API key (its id)." })
  actorId?: string | null;

  @Field(() => DateTimeScalar, { nullable: true, description: "At or after this instant." })
  since?: Date | null;
}

export const AuditEventConnection = ConnectionType(AuditEvent, "AuditEvent");
export type AuditEventConnection = InstanceType<typeof AuditEventConnection>;
