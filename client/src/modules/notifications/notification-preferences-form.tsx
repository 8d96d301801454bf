import { type FormEvent, useEffect, useState } from "react";
import { useMutation, useQuery } from "urql";
import { graphql } from "../../gql";
import type { AlertPriority, AlertType, NotificationEmailMode } from "../../gql/graphql";
import { useToast } from "../../ui/toast";
import { requestErrors, type UserError, UserErrors } from "../../ui/user-errors";

export const NotificationPreferencesQuery = graphql(`
  query NotificationPreferencesForm {
    notificationPreferences {
      types
      priorities
      inApp
      emailMode
      emailAvailable
      timeZone
      quietStart
      quietEnd
      digestHour
      notifyResolved
    }
  }
`);

export const UpdateNotificationPreferencesMutation = graphql(`
  mutation UpdateNotificationPreferences($input: NotificationPreferencesInput!) {
    updateNotificationPreferences(input: $input) {
      preferences {
        types
        priorities
        emailMode
        timeZone
        quietStart
        quietEnd
        digestHour
        notifyResolved
      }
      userErrors {
        field
        code
        message
      }
    }
  }
`);

const PRIORITIES: AlertPriority[] = ["CRITICAL", "HIGH", "MEDIUM", "LOW"];
const TYPES: AlertType[] = [
  "LOW_STOCK",
  "OUT_OF_STOCK",
  "PRICE_VARIANCE",
  "STALE_DATA",
  "SYNC_CONFLICT",
  "SYNC_ERROR",
  "UNCONFIRMED_WRITE",
];
const typeLabel = (t: AlertType) => t.toLowerCase().replaceAll("_", " ");
const HOURS = Array.from({ length: 24 }, (_, h) => h);
const toClock = (minutes: number | null) =>
  minutes === null
    ? ""
    : `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
const fromClock = (clock: string) => {
  const m = /^(\d{2}):(\d{2})$/.exec(clock);
  return m ? Number(m[1]) * 60 + Number(m[2]) : null;
};

/** The signed-in user's own notification preferences: which types and priorities, email how, digest hour, quiet hours, time zone. */
export function NotificationPreferencesForm() {
  const [{ data }] = useQuery({ query: NotificationPreferencesQuery });
  const [saving, save] = useMutation(UpdateNotificationPreferencesMutation);
  const toast = useToast();
  const prefs = data?.notificationPreferences;
  const [types, setTypes] = useState<AlertType[]>([]);
  const [priorities, setPriorities] = useState<AlertPriority[]>([]);
  const [digestHour, setDigestHour] = useState(8);
  const [notifyResolved, setNotifyResolved] = useState(false);
  const [emailMode, setEmailMode] = useState<NotificationEmailMode>("OFF");
  const [timeZone, setTimeZone] = useState("UTC");
  const [quietStart, setQuietStart] = useState("");
  const [quietEnd, setQuietEnd] = useState("");
  const [errors, setErrors] = useState<UserError[]>([]);
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    if (!prefs) return;
    setTypes(prefs.types);
    setPriorities(prefs.priorities);
    setDigestHour(prefs.digestHour);
    setNotifyResolved(prefs.notifyResolved);
    setEmailMode(prefs.emailMode);
    setTimeZone(prefs.timeZone);
    setQuietStart(toClock(prefs.quietStart ?? null));
    setQuietEnd(toClock(prefs.quietEnd ?? null));
  }, [prefs]);
  if (!prefs) return null;
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    const result = await save({
      input: {
        types,
        priorities,
        emailMode,
        digestHour,
        notifyResolved,
        timeZone,
        quietStart: fromClock(quietStart),
        quietEnd: fromClock(quietEnd),
      },
    });
    const payload = result.data?.updateNotificationPreferences;
    setErrors(result.error ? requestErrors(result.error) : (payload?.userErrors ?? []));
    setSaved(!!payload?.preferences);
    toast.outcome("Notification preferences saved", result, payload?.userErrors);
  };
  return (
    <form className="notification-preferences" aria-label="Notification preferences" onSubmit={submit}>
      <fieldset>
        <legend>Notify me of</legend>
        {PRIORITIES.map((p) => (
          <label key={p}>
            <input
              type="checkbox"
              checked={priorities.includes(p)}
              onChange={(e) =>
                setPriorities(e.target.checked ? [...priorities, p] : priorities.filter((x) => x !== p))
              }
            />
            {p.toLowerCase()}
          </label>
        ))}
        <UserErrors errors={errors} field="priorities" />
      </fieldset>
      <fieldset>
        <legend>Alert types (none checked: every type)</legend>
        {TYPES.map((t) => (
          <label key={t}>
            <input
              type="checkbox"
              checked={types.includes(t)}
              onChange={(e) => setTypes(e.target.checked ? [...types, t] : types.filter((x) => x !== t))}
            />
            {typeLabel(t)}
          </label>
        ))}
        <UserErrors errors={errors} field="types" />
      </fieldset>
      <label className="check">
        <input
          type="checkbox"
          checked={notifyResolved}
          onChange={(e) => setNotifyResolved(e.target.checked)}
        />
        Also when an alert resolves
      </label>
      <label>
        Email
        <select value={emailMode} onChange={(e) => setEmailMode(e.target.value as NotificationEmailMode)}>
          <option value="OFF">Off</option>
          <option value="IMMEDIATE">At once</option>
          <option value="DAILY_DIGEST">Daily digest</option>
        </select>
      </label>
      <label>
        Digest hour
        <select value={digestHour} onChange={(e) => setDigestHour(Number(e.target.value))}>
          {HOURS.map((h) => (
            <option key={h} value={h}>
              {`${String(h).padStart(2, "0")}:00`}
            </option>
          ))}
        </select>
      </label>
      <UserErrors errors={errors} field="digestHour" />
      {prefs.emailAvailable ? null : (
        <p className="muted">This server sends no email (SMTP_URL is not set).</p>
      )}
      <label>
        Time zone
        <input value={timeZone} onChange={(e) => setTimeZone(e.target.value)} />
      </label>
      <UserErrors errors={errors} field="timeZone" />
      <label>
        Quiet from
        <input type="time" value={quietStart} onChange={(e) => setQuietStart(e.target.value)} />
      </label>
      <label>
        Quiet until
        <input type="time" value={quietEnd} onChange={(e) => setQuietEnd(e.target.value)} />
      </label>
      <UserErrors errors={errors} except={["priorities", "types", "digestHour", "timeZone"]} />
      <button type="submit" className="button button-primary" disabled={saving.fetching}>
        Save preferences
      </button>
      {saved ? <span role="status">Saved</span> : null}
    </form>
  );
}
