import { type FormEvent, type ReactNode, useId } from "react";

/** The pages shown before sign-in: one card on the plain background, a form when given a submit handler. */
export function PublicCard(props: {
  title: string;
  onSubmit?: (event: FormEvent) => void;
  children: ReactNode;
}) {
  const titleId = useId();
  const body = (
    <>
      <div className="brand brand-on-light">
        <span className="brand-mark" aria-hidden="true" />
        Inventory Sync
      </div>
      <h1 id={titleId}>{props.title}</h1>
      {props.children}
    </>
  );
  return (
    <main className="sign-in">
      {props.onSubmit ? (
        <form className="sign-in-card" onSubmit={props.onSubmit} aria-labelledby={titleId}>
          {body}
        </form>
      ) : (
        <section className="sign-in-card" aria-labelledby={titleId}>
          {body}
        </section>
      )}
    </main>
  );
}
