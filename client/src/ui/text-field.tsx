import type { InputHTMLAttributes, ReactNode } from "react";
import { type UserError, UserErrors } from "./user-errors";

/**
 * A labelled input with an optional hint and the userErrors of its field (by default the field named like the
 * input), as every form of the dashboard lays them out.
 */
export function TextField({
  label,
  hint,
  errors,
  errorField,
  onValue,
  ...input
}: Omit<InputHTMLAttributes<HTMLInputElement>, "onChange"> & {
  label: string;
  hint?: ReactNode;
  errors?: readonly UserError[];
  errorField?: string;
  onValue(value: string): void;
}) {
  return (
    <label className="field">
      <span>{label}</span>
      <input className="input" {...input} onChange={(e) => onValue(e.target.value)} />
      {hint ? <span className="muted small">{hint}</span> : null}
      {errors ? <UserErrors errors={errors} field={errorField ?? input.name} /> : null}
    </label>
  );
}
