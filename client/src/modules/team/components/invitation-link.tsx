import { CopyButton } from "../../../ui/copy-button";

/** The one-time link of an invitation just made: shown here only, since no email is sent yet. */
export function InvitationLink(props: { email: string; url: string; onDismiss(): void }) {
  return (
    <section className="panel secret-panel" aria-labelledby="invitation-link-heading">
      <h2 id="invitation-link-heading">Invitation link for {props.email}</h2>
      <p className="notice">
        Email delivery is not set up yet, so no message was sent: send this link to {props.email} yourself. It
        works once, and is shown only now.
      </p>
      <div className="copy-row">
        <input
          className="input mono"
          readOnly
          aria-label="Invitation link"
          data-testid="invitation-link"
          value={props.url}
          onFocus={(e) => e.currentTarget.select()}
        />
        <CopyButton value={props.url} label="Copy link" />
      </div>
      <button type="button" className="button" onClick={props.onDismiss}>
        Done
      </button>
    </section>
  );
}
