import ExcelJS from "exceljs";

/** A cell as the text a person typed: numbers without exponent, dates as YYYY-MM-DD, rich text flattened. */
export function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return "";
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === "number") return Number.isInteger(value) ? value.toFixed(0) : String(value);
  if (typeof value === "string" || typeof value === "boolean") return String(value).trim();
  if (typeof value === "object") {
    if ("richText" in value) return value.richText.map((t) => t.text).join("").trim();
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
export async function readSheet(buffer: ArrayBuffer | Buffer, requiredHeaders: string[], maxRows: number): Promise<SheetRead> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(buffer as ArrayBuffer);
  } catch {
    return { ok: false, message: "无法读取该文件：请上传由模板填写的 .xlsx 文件。" };
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) return { ok: false, message: "文件中没有工作表。" };
  const headerRow = sheet.getRow(1);
  const columns = new Map<number, string>();
  headerRow.eachCell((cell, col) => columns.set(col, cellText(cell.value)));
  const missing = requiredHeaders.filter((h) => ![...columns.values()].includes(h));
  if (missing.length) return { ok: false, message: `第 1 行缺少列：${missing.join("、")}。请使用本页提供的模板。` };
  if (sheet.actualRowCount - 1 > maxRows) return { ok: false, message: `一次最多导入 ${maxRows} 行，请拆分文件。` };
  const rows: SheetRow[] = [];
  sheet.eachRow((row, rowNumber) => {
    if (rowNumber === 1) return;
    const cells: Record<string, string> = {};
    let any = false;
    for (const [col, header] of columns) {
      const text = cellText(row.getCell(col).value);
      cells[header] = text;
      if (text) any = true;
    }
    if (any) rows.push({ row: rowNumber, cells });
  });
  return { ok: true, rows };
}

/** A workbook with one sheet: bold header row, sensible widths, optional example rows and notes. */
export async function workbookBuffer(sheetName: string, headers: { header: string; width?: number }[], rows: (string | number | null)[][] = [], notes?: string[]) {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(sheetName);
  sheet.columns = headers.map((h) => ({ header: h.header, width: h.width ?? 16 }));
  sheet.getRow(1).font = { bold: true };
  for (const row of rows) sheet.addRow(row);
  // ID numbers and phones must stay text, or Excel shows 3.3E+17.
  sheet.columns.forEach((c) => { c.numFmt = "@"; });
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
