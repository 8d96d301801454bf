export interface FilterChoice<T extends string> {
  value: T;
  label: string;
}

interface FilterSelectProps<T extends string> {
  label: string;
  choices: readonly FilterChoice<T>[];
  /** Undefined: any value. */
  value: T | undefined;
  onChange(value: T | undefined): void;
  className?: string;
}

/** One facet of a list's filter as a select whose first choice, "Any", leaves the facet out. */
export function FilterSelect<T extends string>({
  label,
  choices,
  value,
  onChange,
  className,
}: FilterSelectProps<T>) {
  return (
    <label className={className}>
      <span>{label}</span>
      <select
        aria-label={`${label} filter`}
        value={value ?? ""}
        onChange={(e) => onChange((e.target.value || undefined) as T | undefined)}
      >
        <option value="">Any</option>
        {choices.map((choice) => (
          <option key={choice.value} value={choice.value}>
            {choice.label}
          </option>
        ))}
      </select>
    </label>
  );
}
