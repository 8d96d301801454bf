import { type FormEvent, useState } from "react";
import { navigate } from "../../app/router";
import { TextField } from "../../ui/text-field";
import { type UserError, UserErrors } from "../../ui/user-errors";
import { adoptSession, PublicCard, publicRequest, SessionRequestError, tokenFromHash } from "../session";
import { AcceptInvitationMutation } from "./team.graphql";

/**
 * Where an invitation link lands, before sign-in: a new address chooses a name and a password, an existing
 * account enters its password. The answer is a session, so the new member arrives signed in.
 */
export function AcceptInvitationPage() {
  const [token] = useState(tokenFromHash);
  const [name, setName] = useState("");
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<readonly UserError[]>([]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!token) return;
    setBusy(true);
    setErrors([]);
    try {
      const { acceptInvitation: payload } = await publicRequest(AcceptInvitationMutation, {
        input: { token, name: name.trim() || null, password },
      });
      const result = adoptSession(payload, "The invitation could not be accepted.");
      if (result.ok) {
        // Off the link (its token is spent) and into the dashboard, as the new member.
        navigate("/inventory", { replace: true });
        return;
      }
      setErrors(
        payload.userErrors.length ? payload.userErrors : [{ code: "FAILED", message: result.message! }],
      );
      setPassword("");
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

  if (!token)
    return (
      <PublicCard title="Invitation link incomplete">
        <p className="muted">
          This page opens from the link in an invitation, and that link was cut short. Ask whoever invited you
          to send it again.
        </p>
        <a className="button" href="/">
          Go to sign-in
        </a>
      </PublicCard>
    );

  return (
    <PublicCard title="Join the team" onSubmit={submit}>
      <p className="muted">
        Choose your name and a password to create your account. If this address already has an account, enter
        its password instead; the name is then kept as it is.
      </p>
      <TextField
        label="Your name"
        name="name"
        autoComplete="name"
        value={name}
        onValue={setName}
        errors={errors}
      />
      <TextField
        label="Password"
        type="password"
        name="password"
        autoComplete="new-password"
        required
        value={password}
        onValue={setPassword}
        hint="At least 10 characters."
        errors={errors}
      />
      <UserErrors errors={errors} except={["name", "password"]} />
      <button type="submit" className="button button-primary" disabled={busy}>
        {busy ? "Joining…" : "Join and sign in"}
      </button>
    </PublicCard>
  );
}
