/** A search box for one exact SKU: Enter applies it, emptying the box clears it. */
export function SkuSearch(props: {
  text: string;
  onText(text: string): void;
  onSearch(sku: string): void;
  placeholder: string;
}) {
  return (
    <form
      className="search"
      onSubmit={(e) => {
        e.preventDefault();
        props.onSearch(props.text.trim());
      }}
    >
      <span className="search-icon" aria-hidden="true" />
      <input
        type="search"
        aria-label="SKU"
        placeholder={props.placeholder}
        value={props.text}
        onChange={(e) => {
          props.onText(e.target.value);
          if (!e.target.value) props.onSearch("");
        }}
      />
    </form>
  );
}
