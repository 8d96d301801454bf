import { type FormEvent, useState } from "react";
import { useMutation } from "urql";
import { type FragmentType, graphql, useFragment } from "../../gql";
import type { ConflictStrategy } from "../../gql/graphql";
import { formatDateTime } from "../../ui/format";
import { useToast } from "../../ui/toast";
import { requestErrors, type UserError, UserErrors } from "../../ui/user-errors";
import { useCan } from "../session";

export const SyncSettingsFormFragment = graphql(`
  fragment SyncSettingsForm_settings on PlatformSyncSettings {
    autoSync
    syncIntervalMinutes
    conflictStrategy
    lowStockThreshold
    outOfStockThreshold
    maxPriceVariancePct
    updatedAt
  }
`);

const UpdateSyncSettingsMutation = graphql(`
  mutation UpdateSyncSettings($input: UpdatePlatformSyncSettingsInput!) {
    updatePlatformSyncSettings(input: $input) {
      settings {
        ...SyncSettingsForm_settings
      }
      userErrors {
        field
        code
        message
      }
    }
  }
`);

const STRATEGIES: Record<ConflictStrategy, string> = {
  SOURCE_WINS: "The platform with the best priority wins",
  HIGHEST_WINS: "The highest value wins",
  LOWEST_WINS: "The lowest value wins",
  MANUAL: "Leave conflicts open for a person",
};

/** The tenant's sync settings; numbers are checked by the server, its problems shown beside each field. */
export function SyncSettingsForm(props: { settings: FragmentType<typeof SyncSettingsFormFragment> }) {
  const settings = useFragment(SyncSettingsFormFragment, props.settings);
  const canChange = useCan("write_settings");
  const [values, setValues] = useState(() => ({
    autoSync: settings.autoSync,
    syncIntervalMinutes: String(settings.syncIntervalMinutes),
    conflictStrategy: settings.conflictStrategy,
    lowStockThreshold: String(settings.lowStockThreshold),
    outOfStockThreshold: String(settings.outOfStockThreshold),
    maxPriceVariancePct: settings.maxPriceVariancePct,
  }));
  const [saving, save] = useMutation(UpdateSyncSettingsMutation);
  const toast = useToast();
  const [problems, setProblems] = useState<UserError[]>([]);
  const [saved, setSaved] = useState(false);
  const set = <K extends keyof typeof values>(key: K, value: (typeof values)[K]) => {
    setSaved(false);
    setValues((v) => ({ ...v, [key]: value }));
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    // A field that is not a whole number goes to the server as it is typed, so its answer names the field.
    const whole = (text: string) => (/^-?\d+$/.test(text.trim()) ? Number(text) : Number.NaN);
    const local: UserError[] = [];
    for (const key of ["syncIntervalMinutes", "lowStockThreshold", "outOfStockThreshold"] as const) {
      if (Number.isNaN(whole(values[key])))
        local.push({ field: ["input", key], code: "INVALID", message: "A whole number" });
    }
    if (local.length) return setProblems(local);
    const res = await save({
      input: {
        autoSync: values.autoSync,
        syncIntervalMinutes: whole(values.syncIntervalMinutes),
        conflictStrategy: values.conflictStrategy,
        lowStockThreshold: whole(values.lowStockThreshold),
        outOfStockThreshold: whole(values.outOfStockThreshold),
        maxPriceVariancePct: values.maxPriceVariancePct.trim(),
      },
    });
    const payload = res.data?.updatePlatformSyncSettings;
    setProblems(res.error ? requestErrors(res.error) : (payload?.userErrors ?? []));
    setSaved(!!payload?.settings);
    toast.outcome("Sync settings saved", res, payload?.userErrors);
  };

  const number = (
    key: "syncIntervalMinutes" | "lowStockThreshold" | "outOfStockThreshold",
    label: string,
  ) => (
    <label className="field">
      <span>{label}</span>
      <input
        className="input"
        inputMode="numeric"
        name={key}
        value={values[key]}
        disabled={!canChange}
        onChange={(e) => set(key, e.target.value)}
      />
      <UserErrors errors={problems} field={key} />
    </label>
  );

  return (
    <form
      className="panel sync-settings"
      aria-labelledby="sync-settings-heading"
      onSubmit={submit}
      noValidate
    >
      <h2 id="sync-settings-heading">Sync</h2>
      <div className="settings-grid">
        <label className="field checkbox-field">
          <input
            type="checkbox"
            name="autoSync"
            checked={values.autoSync}
            disabled={!canChange}
            onChange={(e) => set("autoSync", e.target.checked)}
          />
          <span>Sync on a schedule</span>
        </label>
        {number("syncIntervalMinutes", "Every (minutes, 5 or more)")}
        <label className="field">
          <span>When platforms disagree</span>
          <select
            className="input"
            name="conflictStrategy"
            value={values.conflictStrategy}
            disabled={!canChange}
            onChange={(e) => set("conflictStrategy", e.target.value as ConflictStrategy)}
          >
            {Object.entries(STRATEGIES).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
          <UserErrors errors={problems} field="conflictStrategy" />
        </label>
        {number("lowStockThreshold", "Low stock at or below")}
        {number("outOfStockThreshold", "Out of stock at or below")}
        <label className="field">
          <span>Price variance alert above (%)</span>
          <input
            className="input"
            inputMode="decimal"
            name="maxPriceVariancePct"
            value={values.maxPriceVariancePct}
            disabled={!canChange}
            onChange={(e) => set("maxPriceVariancePct", e.target.value)}
          />
          <UserErrors errors={problems} field="maxPriceVariancePct" />
        </label>
      </div>
      <UserErrors
        errors={problems}
        except={[
          "syncIntervalMinutes",
          "lowStockThreshold",
          "outOfStockThreshold",
          "maxPriceVariancePct",
          "conflictStrategy",
        ]}
      />
      <div className="settings-actions">
        {canChange ? (
          <button type="submit" className="button button-primary" disabled={saving.fetching}>
            {saving.fetching ? "Saving…" : "Save settings"}
          </button>
        ) : (
          <p className="muted small">Your role can read these settings but not change them.</p>
        )}
        {saved ? (
          <output className="test-ok" data-testid="settings-saved">
            Saved.
          </output>
        ) : (
          <span className="muted small">Last changed {formatDateTime(settings.updatedAt)}</span>
        )}
      </div>
    </form>
  );
}
