import { CopyButton } from "../../../ui/copy-button";

/** A new key's secret, shown this once: the server keeps only a hash of it. */
export function KeySecret(props: { name: string; secret: string; onDismiss(): void }) {
  return (
    <section className="panel secret-panel" aria-labelledby="key-secret-heading">
      <h2 id="key-secret-heading">Key “{props.name}” created</h2>
      <div className="warning-box" role="alert">
        Copy this key now. It is shown only once and cannot be seen again; if it is lost, revoke the key and
        create a new one. Send it as <code>Authorization: Bearer …</code>.
      </div>
      <div className="copy-row">
        <input
          className="input mono"
          readOnly
          aria-label="API key secret"
          data-testid="api-key-secret"
          value={props.secret}
          onFocus={(e) => e.currentTarget.select()}
        />
        <CopyButton value={props.secret} label="Copy key" />
      </div>
      <button type="button" className="button" onClick={props.onDismiss}>
        I have copied it
      </button>
    </section>
  );
}
