import { useEffect, useRef } from "react";

const CHANGED = "app:alerts-changed";

/** Tells every alert count on screen that alerts may have changed (after a resolution or an acknowledgement). */
export function notifyAlertsChanged() {
  window.dispatchEvent(new Event(CHANGED));
}

/**
 * Calls `refresh` when alerts may have changed: after an action on this page, when the window regains focus,
 * when an alert event is pushed (see the top bar's badge), and, with `intervalMs`, that often while the page is
 * visible.
 */
export function useAlertsRefresh(refresh: () => void, intervalMs?: number) {
  const latest = useRef(refresh);
  latest.current = refresh;
  useEffect(() => {
    const run = () => latest.current();
    const onVisible = () => {
      if (document.visibilityState === "visible") run();
    };
    window.addEventListener(CHANGED, run);
    window.addEventListener("focus", run);
    document.addEventListener("visibilitychange", onVisible);
    const timer = intervalMs
      ? window.setInterval(() => {
          if (document.visibilityState === "visible") run();
        }, intervalMs)
      : undefined;
    return () => {
      window.removeEventListener(CHANGED, run);
      window.removeEventListener("focus", run);
      document.removeEventListener("visibilitychange", onVisible);
      window.clearInterval(timer);
    };
  }, [intervalMs]);
}
