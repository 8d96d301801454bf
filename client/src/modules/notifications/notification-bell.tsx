import { useCallback, useEffect, useRef, useState } from "react";
import { useMutation, useQuery, useSubscription } from "urql";
import { graphql } from "../../gql";
import { formatCount } from "../../ui/format";
import { useToast } from "../../ui/toast";
import { useDismiss } from "../../ui/use-dismiss";
import { useCan } from "../session";
import "./notifications.css";

export const NotificationBellQuery = graphql(`
  query NotificationBell {
    unreadNotificationCount
    notifications(first: 10) {
      nodes {
        id
        kind
        priority
        title
        readAt
        createdAt
      }
    }
  }
`);

export const NotificationsUpdatedSubscription = graphql(`
  subscription NotificationsUpdated {
    notificationsUpdated {
      unreadCount
    }
  }
`);

export const MarkNotificationsReadMutation = graphql(`
  mutation MarkNotificationsRead($input: MarkNotificationsReadInput!) {
    markNotificationsRead(input: $input) {
      marked
      unreadCount
      userErrors {
        field
        code
        message
      }
    }
  }
`);

const KIND_LABEL: Record<string, string> = { RAISED: "New", REOPENED: "Back", ESCALATED: "Escalated" };

function Bell() {
  const [{ data }, reexecute] = useQuery({ query: NotificationBellQuery });
  const [pushed] = useSubscription({ query: NotificationsUpdatedSubscription });
  const [, markRead] = useMutation(MarkNotificationsReadMutation);
  const toast = useToast();
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  const close = useCallback(() => setOpen(false), []);
  useDismiss(open, root, close);
  // Each push means new notifications or some read elsewhere: the list reads again.
  const lastPushed = useRef(pushed.data);
  useEffect(() => {
    if (!pushed.data || pushed.data === lastPushed.current) return;
    lastPushed.current = pushed.data;
    reexecute({ requestPolicy: "network-only" });
  }, [pushed.data, reexecute]);
  const unread = pushed.data?.notificationsUpdated.unreadCount ?? data?.unreadNotificationCount ?? 0;
  const nodes = data?.notifications.nodes ?? [];
  const mark = async (input: { ids?: string[]; all?: boolean }) => {
    const res = await markRead({ input });
    toast.outcome(
      input.all ? "All notifications marked read" : "Marked read",
      res,
      res.data?.markNotificationsRead.userErrors,
    );
    reexecute({ requestPolicy: "network-only" });
  };
  return (
    <div className="notification-bell" ref={root}>
      <button
        type="button"
        className="bell-button"
        aria-expanded={open}
        aria-label={`Notifications, ${formatCount(unread)} unread`}
        onClick={() => setOpen((o) => !o)}
      >
        <svg aria-hidden="true" className="bell-icon" viewBox="0 0 24 24" width="16" height="16">
          <path
            fill="currentColor"
            d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1Z"
          />
        </svg>
        <span
          className={`nav-badge${unread ? "" : " is-zero"}`}
          data-testid="unread-notifications"
          data-count={unread}
        >
          {formatCount(unread)}
        </span>
      </button>
      {open ? (
        <section className="bell-panel" aria-label="Notifications">
          <header className="head-row">
            <h2>Notifications</h2>
            <button
              type="button"
              className="button"
              disabled={unread === 0}
              onClick={() => void mark({ all: true })}
            >
              Mark all read
            </button>
          </header>
          {nodes.length === 0 ? (
            <p className="muted">Nothing yet.</p>
          ) : (
            <ul>
              {nodes.map((n) => (
                <li key={n.id} className={n.readAt ? "is-read" : "is-unread"}>
                  <span className={`badge priority-${n.priority.toLowerCase()}`}>{n.priority}</span>
                  <span className="bell-title">
                    {KIND_LABEL[n.kind] ?? n.kind}: {n.title}
                  </span>
                  {n.readAt ? null : (
                    <button
                      type="button"
                      className="button"
                      onClick={() => void mark({ ids: [n.id] })}
                      aria-label={`Mark read: ${n.title}`}
                    >
                      Mark read
                    </button>
                  )}
                </li>
              ))}
            </ul>
          )}
        </section>
      ) : null}
    </div>
  );
}

/** The signed-in user's notifications in the top bar: the unread count, pushed live, and the latest ones. */
export function NotificationBell() {
  return useCan("read_alerts") ? <Bell /> : null;
}
