/** A question's legal basis: each cited entry links to its registry page (article anchored when cited). */
export function LegalBasis({ parts }: { parts: { text: string; href: string | null }[] }) {
  if (!parts.length) return null;
  return (
    <p className="small muted" data-testid="legal-basis">
      依据：
      {parts.map((p, i) => (
        <span key={i}>
          {i ? "；" : ""}
          {p.href ? <a href={p.href}>{p.text}</a> : p.text}
        </span>
      ))}
    </p>
  );
}
