import { type FormEvent, useState } from "react";
import { TextField } from "../../ui/text-field";
import type { UserError } from "../../ui/user-errors";

export interface StockRules {
  stockPercentage: number;
  stockBuffer: number;
  stockMax: number | null;
}

const WHOLE = /^\d+$/;

/**
 * How much of the stock a connection publishes: a share of what is available, less a buffer held back, and at
 * most a maximum (blank: none). Whole numbers are checked here; the server's ranges come back beside the fields.
 */
export function StockRulesForm(props: {
  name: string;
  rules: StockRules;
  busy: boolean;
  save(rules: StockRules): Promise<UserError[]>;
}) {
  const [percentage, setPercentage] = useState(String(props.rules.stockPercentage));
  const [buffer, setBuffer] = useState(String(props.rules.stockBuffer));
  const [max, setMax] = useState(props.rules.stockMax == null ? "" : String(props.rules.stockMax));
  const [errors, setErrors] = useState<UserError[]>([]);
  const [saved, setSaved] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    const wrong: UserError[] = [];
    const whole = (field: string, value: string) => {
      if (!WHOLE.test(value.trim()))
        wrong.push({ field: [field], code: "INVALID", message: "A whole number" });
    };
    whole("stockPercentage", percentage);
    whole("stockBuffer", buffer);
    if (max.trim() !== "") whole("stockMax", max);
    if (wrong.length) return setErrors(wrong);
    const problems = await props.save({
      stockPercentage: Number(percentage),
      stockBuffer: Number(buffer),
      stockMax: max.trim() === "" ? null : Number(max),
    });
    setErrors(problems);
    setSaved(problems.length === 0);
  };

  return (
    <form className="stock-rules" aria-label={`${props.name} stock rules`} onSubmit={(e) => void submit(e)}>
      <TextField
        label="Share published (%)"
        name="stockPercentage"
        inputMode="numeric"
        value={percentage}
        onValue={setPercentage}
        errors={errors}
      />
      <TextField
        label="Buffer (units held back)"
        name="stockBuffer"
        inputMode="numeric"
        value={buffer}
        onValue={setBuffer}
        errors={errors}
      />
      <TextField
        label="Maximum published"
        name="stockMax"
        inputMode="numeric"
        placeholder="none"
        value={max}
        onValue={setMax}
        errors={errors}
      />
      <button type="submit" className="button" disabled={props.busy}>
        Save stock rules
      </button>
      {saved ? <span role="status">Saved</span> : null}
    </form>
  );
}
