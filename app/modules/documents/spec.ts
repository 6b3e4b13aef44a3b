/**
 * A document to file, as plain data: the data gathering (database, policy) builds one of these on the main thread,
 * and the PDF renderer (render.server.ts, in a worker thread) lays it out. Nothing here knows about PDF.
 */
export type Block =
  | { kind: "heading"; text: string }
  /** Label–value pairs laid out in a bordered grid of two pairs a row. */
  | { kind: "fields"; pairs: [string, string][] }
  | { kind: "paragraph"; text: string; small?: boolean }
  /** A bordered table; widths are relative; the header row repeats on every page the table runs onto. */
  | {
      kind: "table";
      columns: { title: string; width: number; align?: "left" | "center" | "right" }[];
      rows: string[][];
      empty?: string;
    }
  /** Pictures (JPEG or PNG bytes), two a row, each with its caption. */
  | { kind: "images"; images: { bytes: Uint8Array; caption: string }[] }
  /** Signature and date lines at the end of a document. */
  | { kind: "signatures"; labels: string[] };

export interface DocSpec {
  /** Document title, centred in large type on the first page. */
  title: string;
  subtitle?: string;
  /** The unit the document is about or issued by (enterprise, inspection authority), printed under the title. */
  unit: string;
  /** Document number printed at the top right of every page, e.g. "CJD-2026-000123". */
  number: string;
  /** When and by whom it was generated (Beijing time text, display name). */
  generatedAt: string;
  generatedBy: string;
  /** A note printed at the foot of the last page (legal basis, retention period). */
  footNote?: string;
  blocks: Block[];
}
