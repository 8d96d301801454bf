import { Field, ObjectType } from "type-graphql";
import { UserError } from "../../graphql/errors";
import { Alert } from "./alert.types";

@ObjectType()
export class AlertPayload {
  @Field(() => Alert, { nullable: true, description: "The alert as it is now; null when nothing changed." })
  alert!: Alert | null;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@ObjectType()
export class ResolveAlertsPayload {
  @Field(() => [Alert], { description: "The resolved alerts; empty when any id was refused." })
  alerts!: Alert[];

  @Field(() => [UserError], { description: 'Problems per id, with field ["ids", "<index>"].' })
  userErrors!: UserError[];
}
