/**
 * One question file read into questions and problems, whatever its format. Pure (no database): it runs in a worker
 * thread (parse-worker.ts), so a large or hostile file never holds the event loop that answers other requests.
 */
import { decodeText } from "./encoding";
import { parseAiken } from "./aiken";
import { parseGift } from "./gift";
import type { QuestionFormat } from "./index";
import { parseMoodleXml } from "./moodle-xml";
import type { ImportResult } from "./types";

export type ParsedFile = (ImportResult & { encoding?: string }) | { error: string };

export async function parseQuestionFile(format: QuestionFormat, data: Buffer): Promise<ParsedFile> {
  // exceljs and mammoth take seconds to load on a busy machine: only a workbook or a Word file loads them.
  if (format === "excel") return (await import("./excel")).parseQuestionWorkbook(data);
  if (format === "word") return (await import("./docx")).parseDocx(data);
  const decoded = decodeText(data);
  if (!decoded.ok) return { error: decoded.reason };
  const parsed =
    format === "moodle-xml"
      ? await parseMoodleXml(decoded.text)
      : format === "gift"
        ? await parseGift(decoded.text)
        : parseAiken(decoded.text);
  return { ...parsed, encoding: decoded.encoding + (decoded.bom ? "（带 BOM）" : "") };
}
