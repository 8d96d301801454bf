import { type FormEvent, useState } from "react";
import { TextField } from "../../ui/text-field";
import { type UserError, UserErrors } from "../../ui/user-errors";
import { PublicCard } from "./public-card";
import { publicRequest, SessionRequestError } from "./public-request";
import { ResetPasswordMutation } from "./session.graphql";
import { tokenFromHash } from "./token-from-hash";

/** Where a password-reset link lands: a new password, typed twice; every session of the account then ends. */
export function ResetPasswordPage() {
  const [token] = useState(tokenFromHash);
  const [password, setPassword] = useState("");
  const [repeat, setRepeat] = useState("");
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<readonly UserError[]>([]);
  const [done, setDone] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!token) return;
    if (password !== repeat) {
      setErrors([{ field: ["repeat"], code: "PASSWORDS_DIFFER", message: "The two passwords differ." }]);
      return;
    }
    setBusy(true);
    setErrors([]);
    try {
      const { resetPassword: payload } = await publicRequest(ResetPasswordMutation, {
        input: { token, password },
      });
      if (payload.ok) {
        // The link is spent: keep it out of the address bar and the history.
        window.history.replaceState(null, "", window.location.pathname);
        setDone(true);
      } else setErrors(payload.userErrors);
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

  if (done)
    return (
      <PublicCard title="Password changed">
        <p className="notice" role="status">
          Your new password is set. Every session of your account was signed out, on every device.
        </p>
        <a className="button button-primary" href="/">
          Sign in
        </a>
      </PublicCard>
    );

  if (!token)
    return (
      <PublicCard title="Reset link incomplete">
        <p className="muted">
          This page opens from the link in a password-reset message, and that link was cut short. Ask for a
          new one from the sign-in page.
        </p>
        <a className="button" href="/">
          Go to sign-in
        </a>
      </PublicCard>
    );

  return (
    <PublicCard title="Choose a new password" onSubmit={submit}>
      <TextField
        label="New password"
        type="password"
        name="password"
        autoComplete="new-password"
        required
        value={password}
        onValue={setPassword}
        hint="At least 10 characters."
        errors={errors}
      />
      <TextField
        label="Repeat the new password"
        type="password"
        name="repeat"
        autoComplete="new-password"
        required
        value={repeat}
        onValue={setRepeat}
        errors={errors}
      />
      <UserErrors errors={errors} except={["password", "repeat"]} />
      <button type="submit" className="button button-primary" disabled={busy}>
        {busy ? "Saving…" : "Set the new password"}
      </button>
    </PublicCard>
  );
}
