import type { CombinedError } from "urql";

/** A refusal from a mutation's payload, as the server words it. */
export interface UserError {
  field?: readonly string[] | null;
  code: string;
  message: string;
}

/** The last named segment of an error's path (input.scopes.3 -> scopes), to place it beside its control. */
export function fieldOf(error: UserError): string | null {
  const names = (error.field ?? []).filter((segment) => !/^\d+$/.test(segment) && segment !== "input");
  return names.at(-1) ?? null;
}

/** userErrors shown where they belong, each with its code; `field` picks those of one control. */
export function UserErrors({
  errors,
  field,
  except,
}: {
  errors: readonly UserError[];
  /** Only errors of this control. */
  field?: string;
  /** Without field: every error not of one of these controls. */
  except?: readonly string[];
}) {
  const shown = errors.filter((e) => {
    const own = fieldOf(e);
    if (field !== undefined) return own === field;
    return !except || !own || !except.includes(own);
  });
  if (!shown.length) return null;
  return (
    <>
      {shown.map((e) => (
        <p key={`${e.code}:${e.message}`} className="field-error" role="alert" data-code={e.code}>
          {/* A space, so a long message can wrap before its code rather than carry it along. */}
          {e.message} <code className="error-code">{e.code}</code>
        </p>
      ))}
    </>
  );
}

/** A failed request as userErrors (each GraphQL error with its code), to show beside the control that sent it. */
export function requestErrors(error: CombinedError): UserError[] {
  if (error.graphQLErrors.length)
    return error.graphQLErrors.map((e) => ({
      code: typeof e.extensions?.code === "string" ? e.extensions.code : "REQUEST_FAILED",
      message: e.message,
    }));
  return [{ code: "NETWORK_ERROR", message: error.networkError?.message ?? error.message }];
}
