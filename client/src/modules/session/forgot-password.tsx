import { type FormEvent, useState } from "react";
import { TextField } from "../../ui/text-field";
import { type UserError, UserErrors } from "../../ui/user-errors";
import { PublicCard } from "./public-card";
import { publicRequest, SessionRequestError } from "./public-request";
import { RequestPasswordResetMutation } from "./session.graphql";

/**
 * Asks for a reset link. The answer is the same whether the address has an account or not, so this page never
 * tells anyone which addresses are registered.
 */
export function ForgotPassword(props: { email: string; onBack(): void }) {
  const [email, setEmail] = useState(props.email);
  const [busy, setBusy] = useState(false);
  const [sentTo, setSentTo] = useState<string | null>(null);
  const [errors, setErrors] = useState<readonly UserError[]>([]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setErrors([]);
    try {
      const address = email.trim();
      const { requestPasswordReset: payload } = await publicRequest(RequestPasswordResetMutation, {
        email: address,
      });
      if (payload.ok) setSentTo(address);
      else setErrors(payload.userErrors);
    } catch (error) {
      setErrors([
        {
          code: "NETWORK_ERROR",
          message: error instanceof SessionRequestError ? error.message : "The request failed.",
        },
      ]);
    } finally {
      setBusy(false);
    }
  };

  const back = (
    <button type="button" className="link-button align-start" onClick={props.onBack}>
      Back to sign-in
    </button>
  );

  if (sentTo)
    return (
      <PublicCard title="Check your email">
        <p className="notice" role="status">
          If {sentTo} has an account, a link to choose a new password is on its way. It works once, within an
          hour.
        </p>
        <p className="muted small">
          Email delivery is not set up on every installation yet; where it is not, the link goes to the
          server's log, and your administrator can pass it on.
        </p>
        {back}
      </PublicCard>
    );

  return (
    <PublicCard title="Reset your password" onSubmit={submit}>
      <p className="muted">Enter your account's email; we send it a link to choose a new password.</p>
      <TextField
        label="Email"
        type="email"
        name="email"
        autoComplete="username"
        required
        value={email}
        onValue={setEmail}
      />
      <UserErrors errors={errors} />
      <button type="submit" className="button button-primary" disabled={busy}>
        {busy ? "Sending…" : "Send reset link"}
      </button>
      {back}
    </PublicCard>
  );
}
