import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import ExcelJS from "exceljs";
import { checkZip } from "./zip-guard.server";

/**
 * Spreadsheets parsed at once in this process. Parsing holds a lot of memory and CPU for a while; past this many,
 * another import is asked to wait a moment instead of slowing every request of the process.
 */
export const MAX_CONCURRENT_IMPORTS = 2;
let importsRunning = 0;
export const BUSY_MESSAGE = "当前正在处理的导入文件较多，请稍后再试。";

/** Run a parse in one of the process's import slots, or say it is busy (null). For every spreadsheet or file import. */
export async function withImportSlot<T>(parse: () => Promise<T>): Promise<T | null> {
  if (importsRunning >= MAX_CONCURRENT_IMPORTS) return null;
  importsRunning++;
  try {
    return await parse();
  } finally {
    importsRunning--;
  }
}

/** A cell as the text a person typed: numbers without exponent, dates as YYYY-MM-DD, rich text flattened. */
export function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return "";
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === "number") return Number.isInteger(value) ? value.toFixed(0) : String(value);
  if (typeof value === "string" || typeof value === "boolean") return String(value).trim();
  if (typeof value === "object") {
    if ("richText" in value)
      return value.richText
        .map((t) => t.text)
        .join("")
        .trim();
    if ("text" in value && typeof value.text === "string") return value.text.trim();
    if ("result" in value) return cellText(value.result as ExcelJS.CellValue);
    if ("error" in value) return "";
  }
  return String(value).trim();
}

export type SheetRow = { row: number; cells: Record<string, string> };

export type SheetRead = { ok: true; rows: SheetRow[] } | { ok: false; message: string };

/**
 * Read the first sheet: the header row names the columns (matched by exact header text), every later
 * non-empty row becomes { row number, header -> text }.
 */
export async function readSheet(
  buffer: ArrayBuffer | Buffer,
  requiredHeaders: string[],
  maxRows: number,
): Promise<SheetRead> {
  const read = await withImportSlot(() => readSheetNow(buffer, requiredHeaders, maxRows));
  return read ?? { ok: false, message: BUSY_MESSAGE };
}

async function readSheetNow(
  buffer: ArrayBuffer | Buffer,
  requiredHeaders: string[],
  maxRows: number,
): Promise<SheetRead> {
  const bytes =
    buffer instanceof ArrayBuffer
      ? new Uint8Array(buffer)
      : new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  // Entry count and inflated size before exceljs sees the file (also when a caller did not come through readUploadedFile).
  const zip = await checkZip(bytes);
  if (!zip.ok) return { ok: false, message: zip.message };
  return inWorker(bytes, requiredHeaders, maxRows);
}

/**
 * exceljs parses a workbook in long synchronous stretches (about 1.5 s for 10,000 rows on a busy 2-core machine):
 * done on the main thread it would hold every other request. A worker thread parses it; the rows come back as data.
 */
function inWorker(bytes: Uint8Array, requiredHeaders: string[], maxRows: number): Promise<SheetRead> {
  const exceljsPath = createRequire(import.meta.url).resolve("exceljs");
  const code = `
    const { parentPort, workerData } = require("node:worker_threads");
    const __name = (f) => f; // a helper some bundlers insert into serialized functions
    const ExcelJS = require(workerData.exceljsPath);
    const cellText = (${cellText.toString()});
    const parse = ${parseWorkbook.toString()};
    parse(ExcelJS, cellText, workerData.bytes, workerData.requiredHeaders, workerData.maxRows)
      .then((r) => parentPort.postMessage(r), () => parentPort.postMessage({ ok: false, message: "无法读取该文件：请上传由模板填写的 .xlsx 文件。" }));
  `;
  return new Promise((resolve) => {
    const worker = new Worker(code, {
      eval: true,
      workerData: { exceljsPath, bytes, requiredHeaders, maxRows },
      resourceLimits: { maxOldGenerationSizeMb: 512 },
    });
    let settled = false;
    const done = (r: SheetRead) => {
      if (settled) return;
      settled = true;
      resolve(r);
      void worker.terminate();
    };
    worker.once("message", done);
    worker.once("error", () => done({ ok: false, message: "无法读取该文件：请上传由模板填写的 .xlsx 文件。" }));
    worker.once("exit", () => done({ ok: false, message: "无法读取该文件：请上传由模板填写的 .xlsx 文件。" }));
  });
}

/** Runs inside the worker (serialized with toString): only its parameters, no closure. */
async function parseWorkbook(
  Excel: typeof ExcelJS,
  text: typeof cellText,
  bytes: Uint8Array,
  requiredHeaders: string[],
  maxRows: number,
): Promise<SheetRead> {
  const workbook = new Excel.Workbook();
  try {
    await workbook.xlsx.load(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
  } catch {
    return { ok: false, message: "无法读取该文件：请上传由模板填写的 .xlsx 文件。" };
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) return { ok: false, message: "文件中没有工作表。" };
  const headerRow = sheet.getRow(1);
  const columns = new Map<number, string>();
  headerRow.eachCell((cell, col) => columns.set(col, text(cell.value)));
  const missing = requiredHeaders.filter((h) => ![...columns.values()].includes(h));
  if (missing.length) return { ok: false, message: `第 1 行缺少列：${missing.join("、")}。请使用本页提供的模板。` };
  if (sheet.actualRowCount - 1 > maxRows) return { ok: false, message: `一次最多导入 ${maxRows} 行，请拆分文件。` };
  const rows: SheetRow[] = [];
  sheet.eachRow((row, rowNumber) => {
    if (rowNumber === 1) return;
    const cells: Record<string, string> = {};
    let any = false;
    for (const [col, header] of columns) {
      const value = text(row.getCell(col).value);
      cells[header] = value;
      if (value) any = true;
    }
    if (any) rows.push({ row: rowNumber, cells });
  });
  return { ok: true, rows };
}

/** A workbook with one sheet: bold header row, sensible widths, optional example rows and notes. */
export async function workbookBuffer(
  sheetName: string,
  headers: { header: string; width?: number }[],
  rows: (string | number | null)[][] = [],
  notes?: string[],
) {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(sheetName);
  sheet.columns = headers.map((h) => ({ header: h.header, width: h.width ?? 16 }));
  sheet.getRow(1).font = { bold: true };
  for (const row of rows) sheet.addRow(row);
  // ID numbers and phones must stay text, or Excel shows 3.3E+17.
  sheet.columns.forEach((c) => {
    c.numFmt = "@";
  });
  if (notes?.length) {
    const help = workbook.addWorksheet("填写说明");
    notes.forEach((n) => help.addRow([n]));
    help.getColumn(1).width = 100;
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

export const XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

export function xlsxResponse(buffer: Buffer, filename: string) {
  return new Response(new Uint8Array(buffer), {
    headers: {
      "Content-Type": XLSX_TYPE,
      "Content-Disposition": `attachment; filename*=UTF-8''${encodeURIComponent(filename)}`,
    },
  });
}

/** What a column of an export holds: Excel keeps numbers as numbers, rates as real fractions shown as percentages. */
export type ColumnKind = "text" | "integer" | "number" | "percent" | "date";
export interface TypedColumn {
  header: string;
  width?: number;
  kind: ColumnKind;
}

const FORMATS: Record<ColumnKind, string> = {
  text: "@",
  integer: "0",
  number: "0.0",
  percent: "0.0%",
  date: "yyyy-mm-dd",
};

/**
 * A workbook whose columns each mean one thing: text stays text (ID numbers never become 3.3E+17), numbers are
 * numbers, rates are fractions (0.5) formatted by Excel as "50.0%", days are real date cells. A null cell is empty.
 */
export interface TypedSheet {
  name: string;
  columns: TypedColumn[];
  rows: (string | number | null)[][];
}

export async function typedWorkbookBuffer(
  sheetName: string,
  columns: TypedColumn[],
  rows: (string | number | null)[][],
) {
  return typedWorkbook([{ name: sheetName, columns, rows }]);
}

/** Several typed sheets in one workbook (see typedWorkbookBuffer). */
export async function typedWorkbook(sheets: TypedSheet[]) {
  const workbook = new ExcelJS.Workbook();
  for (const { name, columns, rows } of sheets) {
    const sheet = workbook.addWorksheet(name);
    sheet.columns = columns.map((c) => ({ header: c.header, width: c.width ?? 14 }));
    sheet.getRow(1).font = { bold: true };
    sheet.views = [{ state: "frozen", ySplit: 1 }];
    for (const row of rows) {
      const added = sheet.addRow(
        row.map((v, i) => {
          if (v === null || v === "") return null;
          const kind = columns[i]?.kind ?? "text";
          if (kind === "date" && typeof v === "string" && /^\d{4}-\d{2}-\d{2}$/.test(v))
            return new Date(`${v}T00:00:00Z`);
          if (kind !== "text" && kind !== "date" && typeof v === "string") return Number(v);
          return v;
        }),
      );
      added.eachCell((cell, col) => {
        cell.numFmt = FORMATS[columns[col - 1]?.kind ?? "text"];
      });
    }
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
