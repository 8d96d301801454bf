import { useEffect, useRef } from "react";

const OPEN_HELP_EVENT = "app:shortcut-help";

/** The keys the dashboard answers to, as the help lists them. */
export const SHORTCUTS: ReadonlyArray<{ keys: string[]; does: string }> = [
  { keys: ["/"], does: "Focus the page's search box" },
  { keys: ["j", "k"], does: "Inventory: move to the next or previous row" },
  { keys: ["x"], does: "Inventory: select or clear the focused row" },
  { keys: ["Shift", "click"], does: "Inventory: select or clear every row from the last one ticked" },
  { keys: ["?"], does: "Show these shortcuts" },
];

/** Whether a key press belongs to what the person is typing (a field, a list box, an editable region). */
export function isTyping(event: KeyboardEvent): boolean {
  const target = event.target as HTMLElement | null;
  if (!target || !(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  return (
    target instanceof HTMLInputElement && !["checkbox", "radio", "button", "submit"].includes(target.type)
  );
}

/** A plain key press: no Ctrl, Alt or Meta (the browser's and the system's own shortcuts stay theirs). */
export function isPlainKey(event: KeyboardEvent): boolean {
  return !event.ctrlKey && !event.metaKey && !event.altKey && !event.defaultPrevented;
}

/** The shell's shortcuts: `/` focuses the page's search box, `?` shows the list of shortcuts. */
export function useShortcuts() {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (!isPlainKey(event) || isTyping(event)) return;
      if (event.key === "/") {
        const search = document.querySelector<HTMLInputElement>("main input[type='search']");
        if (!search) return;
        event.preventDefault();
        search.focus();
        search.select();
      } else if (event.key === "?") {
        event.preventDefault();
        window.dispatchEvent(new Event(OPEN_HELP_EVENT));
      }
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, []);
}

/** The top bar's `?` button and the dialog listing the shortcuts (a native modal: focus stays inside, Escape closes). */
export function ShortcutHelp() {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const open = () => {
      if (!dialog.current?.open) dialog.current?.showModal();
    };
    window.addEventListener(OPEN_HELP_EVENT, open);
    return () => window.removeEventListener(OPEN_HELP_EVENT, open);
  }, []);
  return (
    <>
      <button
        type="button"
        className="button button-quiet shortcut-button"
        title="Keyboard shortcuts (?)"
        onClick={() => dialog.current?.showModal()}
      >
        <span aria-hidden="true">?</span>
        <span className="visually-hidden">Keyboard shortcuts</span>
      </button>
      <dialog ref={dialog} className="shortcut-dialog" aria-labelledby="shortcut-heading">
        <h2 id="shortcut-heading">Keyboard shortcuts</h2>
        <p className="muted small">Not while typing in a field.</p>
        <dl className="shortcut-list">
          {SHORTCUTS.map((s) => (
            <div key={s.does}>
              <dt>
                {s.keys.map((k, i) => (
                  <span key={k}>
                    {i ? (s.keys[0] === "Shift" ? " + " : " / ") : null}
                    <kbd>{k}</kbd>
                  </span>
                ))}
              </dt>
              <dd>{s.does}</dd>
            </div>
          ))}
        </dl>
        <form method="dialog">
          <button type="submit" className="button">
            Close
          </button>
        </form>
      </dialog>
    </>
  );
}
