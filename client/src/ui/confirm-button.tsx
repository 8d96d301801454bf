import { useState } from "react";

/**
 * A destructive action behind a second, explicit click: the button turns into a question with Confirm and
 * Cancel, in place (no browser dialog, so the page keeps its look and stays usable by keyboard).
 */
export function ConfirmButton(props: {
  label: string;
  question: string;
  confirmLabel?: string;
  busy?: boolean;
  onConfirm(): void;
}) {
  const [asking, setAsking] = useState(false);
  if (!asking)
    return (
      <button
        type="button"
        className="button button-danger"
        disabled={props.busy}
        onClick={() => setAsking(true)}
      >
        {props.label}
      </button>
    );
  return (
    <span className="confirm">
      <span className="confirm-question">{props.question}</span>
      <button
        type="button"
        className="button button-danger"
        disabled={props.busy}
        onClick={() => {
          setAsking(false);
          props.onConfirm();
        }}
      >
        {props.confirmLabel ?? "Confirm"}
      </button>
      <button type="button" className="button" onClick={() => setAsking(false)}>
        Cancel
      </button>
    </span>
  );
}
