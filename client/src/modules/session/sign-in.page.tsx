import { type FormEvent, useState } from "react";
import { TextField } from "../../ui/text-field";
import { ForgotPassword } from "./forgot-password";
import { PublicCard } from "./public-card";
import { SessionRequestError } from "./public-request";
import { type Session, signIn } from "./session-store";

/** The dashboard's front door: email and password; a locked account says how long to wait. */
export function SignInPage({ session }: { session: Extract<Session, { status: "signed-out" }> }) {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [forgot, setForgot] = useState(false);
  const [problem, setProblem] = useState<{ message: string; code?: string } | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setProblem(null);
    try {
      const result = await signIn(email.trim(), password);
      if (!result.ok) {
        const wait = result.retryAfterSeconds ? ` Try again in ${result.retryAfterSeconds} s.` : "";
        setProblem({ message: `${result.message}${wait}`, code: result.code });
        setPassword("");
      }
    } catch (error) {
      setProblem({
        message: error instanceof SessionRequestError ? error.message : "Sign-in failed.",
        code: "NETWORK_ERROR",
      });
    } finally {
      setBusy(false);
    }
  };

  if (forgot) return <ForgotPassword email={email.trim()} onBack={() => setForgot(false)} />;

  return (
    <PublicCard title="Sign in" onSubmit={submit}>
      {session.notice && !problem ? <p className="notice">{session.notice}</p> : null}
      {problem ? (
        <div className="alert-box" role="alert" data-code={problem.code}>
          {problem.message}
          {problem.code ? <code className="error-code">{problem.code}</code> : null}
        </div>
      ) : null}
      <TextField
        label="Email"
        type="email"
        name="email"
        autoComplete="username"
        required
        value={email}
        onValue={setEmail}
      />
      <TextField
        label="Password"
        type="password"
        name="password"
        autoComplete="current-password"
        required
        value={password}
        onValue={setPassword}
      />
      <button type="submit" className="button button-primary" disabled={busy}>
        {busy ? "Signing in…" : "Sign in"}
      </button>
      <button type="button" className="link-button align-start" onClick={() => setForgot(true)}>
        Forgot password?
      </button>
    </PublicCard>
  );
}
