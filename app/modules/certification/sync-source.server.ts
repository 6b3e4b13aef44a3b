import { createReadStream } from "node:fs";
import { open } from "node:fs/promises";
import { parse } from "csv-parse";
import ExcelJS from "exceljs";
import { cellText } from "../../lib/excel.server";
import { mapHeader, type SyncColumn, type SyncRow } from "./sync-rules";

/**
 * Where a region's certificate data comes from. A source yields the data rows of one load in a stable order, each
 * with its row number in the source, and can start after the first `skip` data rows (resume). Files are the sources
 * now; a province plugs its own data exchange in with registerCertSource() under a name a job records.
 */
export interface CertSource {
  /** Checks the header (or the exchange's schema) before a job is queued; a problem is told to the regulator. */
  header(): Promise<{ ok: true } | { ok: false; message: string }>;
  /** Data rows after the first `skip` of them. */
  rows(skip: number): AsyncGenerator<SyncRow>;
}
export type CertSourceFactory = (location: string) => CertSource;

const sources = new Map<string, CertSourceFactory>([
  ["csv", (path) => csvSource(path)],
  ["xlsx", (path) => xlsxSource(path)],
]);

export function registerCertSource(name: string, factory: CertSourceFactory) {
  sources.set(name, factory);
}

export function certSource(name: string, location: string): CertSource {
  const factory = sources.get(name);
  if (!factory) throw new Error(`unknown certificate source ${name}`);
  return factory(location);
}

/** UTF-8 (with or without BOM), UTF-16 with BOM, or GB18030 (what Chinese Excel saves as "CSV"). */
async function detectEncoding(path: string): Promise<string> {
  const handle = await open(path, "r");
  try {
    const buf = Buffer.alloc(64 * 1024);
    const { bytesRead } = await handle.read(buf, 0, buf.length, 0);
    const head = buf.subarray(0, bytesRead);
    if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return "utf-8";
    if (head[0] === 0xff && head[1] === 0xfe) return "utf-16le";
    if (head[0] === 0xfe && head[1] === 0xff) return "utf-16be";
    // Cut back to a character boundary at the end of the sample before judging UTF-8.
    let end = head.length;
    if (bytesRead === buf.length) while (end > 0 && (head[end - 1] & 0xc0) === 0x80) end--;
    if (bytesRead === buf.length && end > 0 && head[end - 1] >= 0xc0) end--;
    try {
      new TextDecoder("utf-8", { fatal: true }).decode(head.subarray(0, end));
      return "utf-8";
    } catch {
      return "gb18030";
    }
  } finally {
    await handle.close();
  }
}

function csvSource(path: string): CertSource {
  async function* records(): AsyncGenerator<{ line: number; cells: string[] }> {
    const decoder = new TextDecoder(await detectEncoding(path));
    const parser = parse({
      bom: true,
      relax_column_count: true,
      skip_empty_lines: true,
      info: true,
      max_record_size: 64 * 1024,
    });
    const input = createReadStream(path, { highWaterMark: 256 * 1024 });
    (async () => {
      try {
        for await (const chunk of input)
          if (!parser.write(decoder.decode(chunk as Buffer, { stream: true })))
            await new Promise((r) => parser.once("drain", r));
        parser.end(decoder.decode());
      } catch (e) {
        parser.destroy(e as Error);
      }
    })();
    try {
      for await (const r of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>)
        yield { line: r.info.lines, cells: r.record };
    } finally {
      input.destroy();
    }
  }
  return {
    async header() {
      for await (const first of records()) {
        const h = mapHeader(first.cells);
        return h.ok ? { ok: true } : h;
      }
      return { ok: false, message: "文件是空的。" };
    },
    async *rows(skip) {
      let columns: (SyncColumn | null)[] | null = null;
      let n = 0;
      for await (const r of records()) {
        if (!columns) {
          const h = mapHeader(r.cells);
          if (!h.ok) throw new Error(h.message);
          columns = h.columns;
          continue;
        }
        if (r.cells.every((c) => !c.trim())) continue;
        if (n++ < skip) continue;
        yield { row: r.line, cells: cellsOf(columns, r.cells) };
      }
    },
  };
}

function cellsOf(columns: (SyncColumn | null)[], values: string[]) {
  const cells: Partial<Record<SyncColumn, string>> = {};
  columns.forEach((c, i) => {
    if (c && values[i] !== undefined) cells[c] = String(values[i]).trim();
  });
  return cells;
}

/** An .xlsx read as a stream (exceljs WorkbookReader): the first sheet, rows as they come, never the whole workbook. */
function xlsxSource(path: string): CertSource {
  async function* sheetRows(): AsyncGenerator<{ row: number; cells: string[] }> {
    const reader = new ExcelJS.stream.xlsx.WorkbookReader(path, {
      sharedStrings: "cache",
      hyperlinks: "ignore",
      styles: "cache",
      worksheets: "emit",
      entries: "emit",
    });
    for await (const sheet of reader) {
      for await (const row of sheet as AsyncIterable<ExcelJS.Row>) {
        const values = row.values as ExcelJS.CellValue[];
        const cells: string[] = [];
        for (let i = 1; i < values.length; i++) cells.push(cellText(values[i] ?? null));
        yield { row: row.number, cells };
      }
      break; // the first sheet only
    }
  }
  return {
    async header() {
      try {
        for await (const first of sheetRows()) {
          const h = mapHeader(first.cells);
          return h.ok ? { ok: true } : h;
        }
      } catch {
        return { ok: false, message: "无法读取该文件：请上传 .xlsx 或 .csv 文件。" };
      }
      return { ok: false, message: "文件是空的。" };
    },
    async *rows(skip) {
      let columns: (SyncColumn | null)[] | null = null;
      let n = 0;
      for await (const r of sheetRows()) {
        if (!columns) {
          const h = mapHeader(r.cells);
          if (!h.ok) throw new Error(h.message);
          columns = h.columns;
          continue;
        }
        if (r.cells.every((c) => !c)) continue;
        if (n++ < skip) continue;
        yield { row: r.row, cells: cellsOf(columns, r.cells) };
      }
    },
  };
}
