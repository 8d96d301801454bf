import {
  createContext,
  type ReactNode,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
} from "react";
import type { CombinedError } from "urql";
import { requestErrors, type UserError } from "./user-errors";

export type ToastTone = "success" | "failure";

export interface Toast {
  id: number;
  tone: ToastTone;
  message: string;
  /** A failure's code: the GraphQL error's `extensions.code` or the first userError's. */
  code?: string;
}

export interface Toasts {
  success(message: string): void;
  failure(message: string, code?: string): void;
  /**
   * The outcome of one mutation: a failure with its code when the request failed or the payload refused
   * (userErrors), the success message otherwise. Returns whether it succeeded.
   */
  outcome(
    success: string,
    result: { error?: CombinedError | undefined },
    userErrors?: readonly UserError[] | null,
  ): boolean;
}

/** A failure stays longer: its code may need copying. Each can be dismissed sooner. */
const SHOWN_MS: Record<ToastTone, number> = { success: 6000, failure: 15000 };
const MOST = 4;

const ToastContext = createContext<Toasts | null>(null);

/** The app's one place for the outcome of actions: a live region in the corner, newest last, each leaving after a while. */
export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const next = useRef(1);
  const dismiss = useCallback((id: number) => setToasts((all) => all.filter((t) => t.id !== id)), []);
  const api = useMemo<Toasts>(() => {
    const push = (tone: ToastTone, message: string, code?: string) => {
      const id = next.current++;
      setToasts((all) => [...all, { id, tone, message, code }].slice(-MOST));
    };
    return {
      success: (message) => push("success", message),
      failure: (message, code) => push("failure", message, code),
      outcome(success, result, userErrors) {
        const problems = result.error ? requestErrors(result.error) : (userErrors ?? []);
        const first = problems[0];
        if (first) {
          push("failure", first.message, first.code);
          return false;
        }
        push("success", success);
        return true;
      },
    };
  }, []);
  return (
    <ToastContext.Provider value={api}>
      {children}
      <ToastRegion toasts={toasts} onDismiss={dismiss} />
    </ToastContext.Provider>
  );
}

/** Shows the outcome of an action as a toast; outside a provider (a page rendered alone) the toasts go nowhere. */
export function useToast(): Toasts {
  return useContext(ToastContext) ?? SILENT;
}

const SILENT: Toasts = {
  success() {},
  failure() {},
  outcome: (_s, result, userErrors) => !result.error && !(userErrors ?? []).length,
};

function ToastRegion({ toasts, onDismiss }: { toasts: Toast[]; onDismiss(id: number): void }) {
  // The region is always in the page, so screen readers hear what is added to it.
  return (
    <section
      className="toast-region"
      aria-label="Notifications of actions"
      aria-live="polite"
      aria-relevant="additions"
    >
      {toasts.map((t) => (
        <ToastItem key={t.id} toast={t} onDismiss={onDismiss} />
      ))}
    </section>
  );
}

function ToastItem({ toast, onDismiss }: { toast: Toast; onDismiss(id: number): void }) {
  useEffect(() => {
    const timer = setTimeout(() => onDismiss(toast.id), SHOWN_MS[toast.tone]);
    return () => clearTimeout(timer);
  }, [toast.id, toast.tone, onDismiss]);
  return (
    <div
      className={`toast toast-${toast.tone}`}
      role={toast.tone === "failure" ? "alert" : "status"}
      data-testid="toast"
      data-tone={toast.tone}
      data-code={toast.code}
    >
      <span className="toast-message">
        {toast.message}
        {toast.code ? (
          <>
            {" "}
            <code className="error-code">{toast.code}</code>
          </>
        ) : null}
      </span>
      <button type="button" className="toast-close" aria-label="Dismiss" onClick={() => onDismiss(toast.id)}>
        ×
      </button>
    </div>
  );
}
