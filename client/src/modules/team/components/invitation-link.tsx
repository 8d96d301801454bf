import { CopyButton } from "../../../ui/copy-button";

/** The one-time link of an invitation just made, shown only now: mailed too when the server sends email. */
export function InvitationLink(props: { email: string; url: string; emailed: boolean; onDismiss(): void }) {
  return (
    <section className="panel secret-panel" aria-labelledby="invitation-link-heading">
      <h2 id="invitation-link-heading">Invitation link for {props.email}</h2>
      <p className="notice">
        {props.emailed
          ? `It was emailed to ${props.email}; copy it here if they cannot find the message.`
          : `This server sends no email, so no message was sent: send this link to ${props.email} yourself.`}{" "}
        It works once, and is shown only now.
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
