import {
  type DocumentNode,
  type FragmentDefinitionNode,
  GraphQLError,
  type GraphQLFieldMap,
  type GraphQLObjectType,
  type GraphQLSchema,
  getOperationAST,
  Kind,
  type SelectionSetNode,
} from "graphql";
import { type AuthCheckerFn, Authorized, Extensions } from "type-graphql";
import { hasScope, type Principal } from "../platform/auth/principal";
import type { Scope } from "../platform/auth/scopes";
import { ErrorCode } from "./errors";

/** Who may call a field: anyone, any authenticated caller, or a caller holding one scope in its tenant. */
export type AccessRule = { kind: "public" } | { kind: "authenticated" } | { kind: "scope"; scope: Scope };

/** The field extension that carries a field's access rule, read by the checks and the schema test. */
export const ACCESS_EXTENSION = "access";

type FieldDecorator = (target: object, propertyKey: string | symbol, descriptor?: PropertyDescriptor) => void;

function declare(rule: AccessRule, authorized?: FieldDecorator): FieldDecorator {
  const extension = Extensions({ [ACCESS_EXTENSION]: rule }) as FieldDecorator;
  return (target, key, descriptor) => {
    extension(target, key, descriptor);
    authorized?.(target, key, descriptor);
  };
}

/** Anyone may call this field, signed in or not (signing in, refreshing a session). */
export function Public(): FieldDecorator {
  return declare({ kind: "public" });
}

/** Any signed-in user or API key may call this field, whatever its scopes. */
export function Authenticated(): FieldDecorator {
  return declare({ kind: "authenticated" }, Authorized() as FieldDecorator);
}

/** Callers need `scope` in the tenant they act in. */
export function RequireScope(scope: Scope): FieldDecorator {
  return declare({ kind: "scope", scope }, Authorized(scope) as FieldDecorator);
}

export function unauthenticatedError(
  message = "Sign in, or send an API key as `Authorization: Bearer <key>`",
) {
  return new GraphQLError(message, {
    extensions: {
      code: ErrorCode.UNAUTHENTICATED,
      http: { status: 401, headers: new Map([["www-authenticate", 'Bearer realm="inventory-sync"']]) },
    },
  });
}

export function forbiddenError(message: string, requiredScope?: Scope) {
  return new GraphQLError(message, {
    extensions: {
      code: ErrorCode.FORBIDDEN,
      ...(requiredScope ? { requiredScope } : {}),
      http: { status: 403 },
    },
  });
}

/** Why `principal` may not use a field with `rule`, or null when it may. */
export function accessDenied(rule: AccessRule | undefined, principal: Principal | null): GraphQLError | null {
  if (rule?.kind === "public") return null;
  if (!principal) return unauthenticatedError();
  if (!rule) return forbiddenError("This field declares no access rule");
  if (rule.kind === "authenticated") return null;
  if (!principal.tenant) return forbiddenError("You are not a member of any tenant", rule.scope);
  if (!hasScope(principal, rule.scope)) {
    return forbiddenError(
      `This needs the ${rule.scope} scope, which your role or key does not have`,
      rule.scope,
    );
  }
  return null;
}

/** type-graphql's check for fields marked with @Authenticated or @RequireScope, root and nested alike. */
export const authChecker: AuthCheckerFn<{ auth: Principal | null }, Scope> = ({ context }, scopes) => {
  const rule: AccessRule = scopes[0] ? { kind: "scope", scope: scopes[0] } : { kind: "authenticated" };
  const denied = accessDenied(rule, context.auth);
  if (denied) throw denied;
  return true;
};

/** The access rule a field declares. */
export function accessRuleOf(field: { extensions?: Record<string, unknown> | null }): AccessRule | undefined {
  return field.extensions?.[ACCESS_EXTENSION] as AccessRule | undefined;
}

function rootFieldNames(
  selectionSet: SelectionSetNode,
  fragments: Map<string, FragmentDefinitionNode>,
  names: Set<string>,
  seen = new Set<string>(),
) {
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) names.add(selection.name.value);
    else if (selection.kind === Kind.INLINE_FRAGMENT)
      rootFieldNames(selection.selectionSet, fragments, names, seen);
    else if (!seen.has(selection.name.value)) {
      seen.add(selection.name.value);
      const fragment = fragments.get(selection.name.value);
      if (fragment) rootFieldNames(fragment.selectionSet, fragments, names, seen);
    }
  }
}

/**
 * Checks every root field an operation selects before anything runs, so a mutation the caller may not make
 * changes nothing even beside ones it may: the first refusal, or null. `__typename` is anyone's; the schema's
 * introspection is for authenticated callers.
 */
export function checkOperationAccess(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  principal: Principal | null,
): GraphQLError | null {
  const operation = getOperationAST(document, operationName);
  if (!operation) return null;
  const root: GraphQLObjectType | null | undefined =
    operation.operation === "query"
      ? schema.getQueryType()
      : operation.operation === "mutation"
        ? schema.getMutationType()
        : schema.getSubscriptionType();
  if (!root) return null;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const names = new Set<string>();
  rootFieldNames(operation.selectionSet, fragments, names);
  const fields: GraphQLFieldMap<unknown, unknown> = root.getFields();
  for (const name of names) {
    if (name === "__typename") continue;
    if (name === "__schema" || name === "__type") {
      if (!principal) return unauthenticatedError();
      continue;
    }
    const field = Object.hasOwn(fields, name) ? fields[name] : undefined;
    // Unknown fields are the validator's to report.
    if (!field) continue;
    const denied = accessDenied(accessRuleOf(field), principal);
    if (denied) return denied;
  }
  return null;
}

/** Adds "Requires `scope`." to every root field's description, so the published schema documents access. */
export function documentAccess(schema: GraphQLSchema): GraphQLSchema {
  for (const root of [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()]) {
    for (const field of Object.values(root?.getFields() ?? {})) {
      const rule = accessRuleOf(field);
      const note =
        rule?.kind === "scope"
          ? `Requires the \`${rule.scope}\` scope.`
          : rule?.kind === "authenticated"
            ? "Requires a signed-in user or an API key."
            : rule?.kind === "public"
              ? "Open to anonymous callers."
              : undefined;
      if (note) field.description = field.description ? `${field.description}\n\n${note}` : note;
    }
  }
  return schema;
}
