import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import type PDFKit from "pdfkit";
import type { Block, DocSpec } from "./spec";

/**
 * PDF rendering off the main thread. pdfkit lays out and subsets fonts in long synchronous stretches (a 200-page
 * archive takes seconds), so one long-lived worker thread renders; it keeps the Noto Sans SC fonts loaded between
 * documents. At most MAX_QUEUED documents wait for it; past that a request is told to try again (bounded memory).
 */
export const MAX_QUEUED = 6;
const JOB_TIMEOUT_MS = 120_000;
export const PDF_BUSY_MESSAGE = "当前正在生成的文件较多，请稍后再试。";

const require = createRequire(import.meta.url);
const FONT_REGULAR = "@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf";
const FONT_BOLD = "@expo-google-fonts/noto-sans-sc/700Bold/NotoSansSC_700Bold.ttf";

type Pending = { id: number; spec: DocSpec; resolve: (r: RenderResult) => void; timer?: NodeJS.Timeout };
export type RenderResult = { ok: true; bytes: Uint8Array } | { ok: false; status: 500 | 503; message: string };

const state = globalThis as unknown as {
  __anxunPdf?: { worker: Worker | null; queue: Pending[]; running: Pending | null; seq: number };
};
const pool = (state.__anxunPdf ??= { worker: null, queue: [], running: null, seq: 0 });

function startWorker(): Worker {
  const code = `
    const { parentPort, workerData } = require("node:worker_threads");
    const fs = require("node:fs");
    const __name = (f) => f; // a helper some bundlers insert into serialized functions
    const PDFDocument = require(workerData.pdfkitPath);
    const fonts = { regular: fs.readFileSync(workerData.regular), bold: fs.readFileSync(workerData.bold) };
    const render = (${renderPdf.toString()});
    parentPort.on("message", ({ id, spec }) => {
      render(PDFDocument, fonts, spec).then(
        (bytes) => parentPort.postMessage({ id, ok: true, bytes }, [bytes.buffer]),
        (e) => parentPort.postMessage({ id, ok: false, message: String((e && e.message) || e) }));
    });
  `;
  const worker = new Worker(code, {
    eval: true,
    workerData: {
      pdfkitPath: require.resolve("pdfkit"),
      regular: require.resolve(FONT_REGULAR),
      bold: require.resolve(FONT_BOLD),
    },
    resourceLimits: { maxOldGenerationSizeMb: 768 },
  });
  worker.unref();
  worker.on("message", (m: { id: number; ok: boolean; bytes?: Uint8Array; message?: string }) => {
    const job = pool.running;
    if (!job || job.id !== m.id) return;
    finish(
      m.ok
        ? { ok: true, bytes: m.bytes! }
        : (console.error("PDF rendering failed", m.message),
          { ok: false, status: 500, message: "生成文件时出错，请稍后再试。" }),
    );
  });
  const lost = (why: unknown) => {
    if (pool.worker === worker) pool.worker = null;
    if (pool.running) {
      console.error("PDF worker stopped", why);
      finish({ ok: false, status: 500, message: "生成文件时出错，请稍后再试。" });
    }
  };
  worker.on("error", lost);
  worker.on("exit", lost);
  return worker;
}

function finish(result: RenderResult) {
  const job = pool.running;
  if (!job) return;
  clearTimeout(job.timer);
  pool.running = null;
  job.resolve(result);
  next();
}

function next() {
  if (pool.running || pool.queue.length === 0) return;
  const job = pool.queue.shift()!;
  pool.running = job;
  pool.worker ??= startWorker();
  job.timer = setTimeout(() => {
    // A document that takes this long is stuck: end the worker (a new one starts for the next document).
    const w = pool.worker;
    pool.worker = null;
    finish({ ok: false, status: 500, message: "生成文件超时，请缩小范围后重试。" });
    void w?.terminate();
  }, JOB_TIMEOUT_MS);
  pool.worker.postMessage({ id: job.id, spec: job.spec });
}

/** Render a document; a full queue answers 503 at once rather than holding memory for more. */
export function renderDocument(spec: DocSpec): Promise<RenderResult> {
  if (pool.queue.length >= MAX_QUEUED) return Promise.resolve({ ok: false, status: 503, message: PDF_BUSY_MESSAGE });
  return new Promise((resolve) => {
    pool.queue.push({ id: ++pool.seq, spec, resolve });
    next();
  });
}

/** The HTTP answer for a rendered document: a download named in Chinese, never cached by shared caches. */
export function pdfResponse(bytes: Uint8Array, filename: string) {
  return new Response(bytes as unknown as BodyInit, {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Disposition": `attachment; filename="document.pdf"; filename*=UTF-8''${encodeURIComponent(filename)}`,
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}

/**
 * Lays a DocSpec out on A4 pages. Runs inside the worker (serialized with toString): only its parameters, no closure,
 * no imports. Every page gets the document number on top and "第 n 页 共 N 页" with who generated it at the foot.
 */
export async function renderPdf(
  PDFDocument: typeof PDFKit,
  fonts: { regular: Buffer; bold: Buffer },
  spec: DocSpec,
): Promise<Uint8Array> {
  const M = { top: 64, bottom: 64, left: 56, right: 56 };
  const doc = new PDFDocument({
    size: "A4",
    margins: M,
    bufferPages: true,
    autoFirstPage: true,
    info: { Title: spec.title, Author: spec.unit, Creator: "安训 Anxun" },
  });
  doc.registerFont("R", fonts.regular);
  doc.registerFont("B", fonts.bold);
  const chunks: Buffer[] = [];
  doc.on("data", (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve) => doc.on("end", () => resolve()));

  const W = doc.page.width - M.left - M.right;
  const bottom = () => doc.page.height - M.bottom;
  const ensure = (h: number) => {
    if (doc.y + h > bottom()) doc.addPage();
  };
  const INK = "#111111";
  const GREY = "#555555";
  const RULE = "#333333";

  // Title block.
  doc
    .font("B")
    .fontSize(20)
    .fillColor(INK)
    .text(spec.title, M.left, M.top + 6, { width: W, align: "center", characterSpacing: 2 });
  if (spec.subtitle)
    doc.moveDown(0.2).font("R").fontSize(11).fillColor(GREY).text(spec.subtitle, { width: W, align: "center" });
  doc.moveDown(0.6).font("R").fontSize(10.5).fillColor(INK);
  const infoY = doc.y;
  doc.text(`单位：${spec.unit}`, M.left, infoY, { width: W * 0.62 });
  doc.text(`生成日期：${spec.generatedAt.slice(0, 10)}`, M.left + W * 0.62, infoY, { width: W * 0.38, align: "right" });
  doc
    .moveTo(M.left, doc.y + 4)
    .lineTo(M.left + W, doc.y + 4)
    .lineWidth(1.2)
    .strokeColor(RULE)
    .stroke();
  doc.y += 12;

  const cellText = (
    text: string,
    x: number,
    y: number,
    w: number,
    bold: boolean,
    align: "left" | "center" | "right" = "left",
    size = 9.5,
  ) => {
    doc
      .font(bold ? "B" : "R")
      .fontSize(size)
      .fillColor(INK)
      .text(text, x + 4, y + 4, { width: w - 8, align, lineGap: 1 });
  };
  const heightOf = (text: string, w: number, bold: boolean, size = 9.5) => {
    doc.font(bold ? "B" : "R").fontSize(size);
    return doc.heightOfString(text || " ", { width: w - 8, lineGap: 1 }) + 8;
  };

  const drawBlock = async (b: Block) => {
    switch (b.kind) {
      case "heading": {
        ensure(60);
        doc.moveDown(0.5);
        doc.font("B").fontSize(12.5).fillColor(INK).text(b.text, M.left, doc.y, { width: W });
        doc.y += 4;
        break;
      }
      case "paragraph": {
        const size = b.small ? 9 : 10.5;
        doc
          .font("R")
          .fontSize(size)
          .fillColor(b.small ? GREY : INK);
        ensure(Math.min(doc.heightOfString(b.text, { width: W }), 60));
        doc.text(b.text, M.left, doc.y, { width: W, lineGap: 2 });
        doc.y += 4;
        break;
      }
      case "fields": {
        const cols = [W * 0.17, W * 0.33, W * 0.17, W * 0.33];
        for (let i = 0; i < b.pairs.length; i += 2) {
          const cells = [b.pairs[i][0], b.pairs[i][1], b.pairs[i + 1]?.[0] ?? "", b.pairs[i + 1]?.[1] ?? ""];
          const h = Math.max(...cells.map((c, k) => heightOf(c, cols[k], k % 2 === 0)), 20);
          ensure(h);
          const y = doc.y;
          let x = M.left;
          cells.forEach((c, k) => {
            if (k % 2 === 0) doc.rect(x, y, cols[k], h).fillColor("#f1f1f1").fill();
            doc.rect(x, y, cols[k], h).lineWidth(0.6).strokeColor(RULE).stroke();
            cellText(c, x, y, cols[k], k % 2 === 0);
            x += cols[k];
          });
          doc.y = y + h;
        }
        doc.y += 6;
        break;
      }
      case "table": {
        const total = b.columns.reduce((s, c) => s + c.width, 0);
        const widths = b.columns.map((c) => (W * c.width) / total);
        const header = () => {
          const h = Math.max(...b.columns.map((c, k) => heightOf(c.title, widths[k], true)), 20);
          const y = doc.y;
          let x = M.left;
          b.columns.forEach((c, k) => {
            doc.rect(x, y, widths[k], h).fillColor("#e6e6e6").fill();
            doc.rect(x, y, widths[k], h).lineWidth(0.6).strokeColor(RULE).stroke();
            cellText(c.title, x, y, widths[k], true, "center");
            x += widths[k];
          });
          doc.y = y + h;
        };
        ensure(48);
        header();
        if (b.rows.length === 0) {
          const text = b.empty ?? "（无记录）";
          const h = heightOf(text, W, false);
          doc.rect(M.left, doc.y, W, h).lineWidth(0.6).strokeColor(RULE).stroke();
          cellText(text, M.left, doc.y, W, false, "center");
          doc.y += h;
        }
        for (const row of b.rows) {
          const h = Math.max(...row.map((c, k) => heightOf(c, widths[k], false)), 18);
          if (doc.y + h > bottom()) {
            doc.addPage();
            header();
          }
          const y = doc.y;
          let x = M.left;
          row.forEach((c, k) => {
            doc.rect(x, y, widths[k], h).lineWidth(0.6).strokeColor(RULE).stroke();
            cellText(c, x, y, widths[k], false, b.columns[k]?.align ?? "left");
            x += widths[k];
          });
          doc.y = y + h;
        }
        doc.y += 8;
        break;
      }
      case "images": {
        const gap = 16;
        const w = (W - gap) / 2;
        const boxH = 190;
        for (let i = 0; i < b.images.length; i += 2) {
          ensure(boxH + 30);
          const y = doc.y;
          for (let k = 0; k < 2 && i + k < b.images.length; k++) {
            const img = b.images[i + k];
            const x = M.left + k * (w + gap);
            doc.rect(x, y, w, boxH).lineWidth(0.5).strokeColor("#999999").stroke();
            try {
              const buf = Buffer.from(img.bytes.buffer, img.bytes.byteOffset, img.bytes.byteLength);
              doc.image(buf, x + 4, y + 4, { fit: [w - 8, boxH - 8], align: "center", valign: "center" });
            } catch {
              doc
                .font("R")
                .fontSize(9)
                .fillColor(GREY)
                .text("（该照片格式无法嵌入，请在系统中查看原图）", x + 8, y + boxH / 2 - 6, {
                  width: w - 16,
                  align: "center",
                });
            }
            doc
              .font("R")
              .fontSize(9)
              .fillColor(GREY)
              .text(img.caption, x, y + boxH + 3, { width: w, align: "center" });
          }
          doc.x = M.left;
          doc.y = y + boxH + 24;
        }
        break;
      }
      case "signatures": {
        ensure(40 + Math.ceil(b.labels.length / 2) * 34);
        doc.y += 18;
        for (let i = 0; i < b.labels.length; i += 2) {
          const y = doc.y;
          for (let k = 0; k < 2 && i + k < b.labels.length; k++) {
            const x = M.left + k * (W / 2);
            doc
              .font("R")
              .fontSize(10.5)
              .fillColor(INK)
              .text(`${b.labels[i + k]}：`, x, y, { width: W / 2, lineBreak: false });
            const lx = x + doc.widthOfString(`${b.labels[i + k]}：`) + 2;
            doc
              .moveTo(lx, y + 14)
              .lineTo(x + W / 2 - 14, y + 14)
              .lineWidth(0.6)
              .strokeColor(RULE)
              .stroke();
          }
          doc.x = M.left;
          doc.y = y + 34;
        }
        break;
      }
    }
  };

  for (const block of spec.blocks) {
    await drawBlock(block);
    doc.x = M.left;
  }
  if (spec.footNote) {
    doc.font("R").fontSize(8.5);
    ensure(doc.heightOfString(spec.footNote, { width: W }) + 12);
    doc.y += 6;
    doc.fillColor(GREY).text(spec.footNote, M.left, doc.y, { width: W, lineGap: 1 });
  }

  // Running header and footer, now that the page count is known. Margins are lifted so text in them adds no page.
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const saved = doc.page.margins;
    doc.page.margins = { top: 0, bottom: 0, left: 0, right: 0 };
    doc.font("R").fontSize(8.5).fillColor(GREY);
    doc.text(`${spec.unit}`, M.left, 30, { width: W * 0.6, lineBreak: false, ellipsis: true });
    doc.text(`编号：${spec.number}`, M.left + W * 0.5, 30, { width: W * 0.5, align: "right", lineBreak: false });
    doc
      .moveTo(M.left, 44)
      .lineTo(M.left + W, 44)
      .lineWidth(0.5)
      .strokeColor("#999999")
      .stroke();
    const fy = doc.page.height - 40;
    doc
      .moveTo(M.left, fy - 6)
      .lineTo(M.left + W, fy - 6)
      .lineWidth(0.5)
      .strokeColor("#999999")
      .stroke();
    doc.text(`生成：${spec.generatedAt}　${spec.generatedBy}　安训系统`, M.left, fy, {
      width: W * 0.7,
      lineBreak: false,
    });
    doc.text(`第 ${i - range.start + 1} 页　共 ${range.count} 页`, M.left + W * 0.6, fy, {
      width: W * 0.4,
      align: "right",
      lineBreak: false,
    });
    doc.page.margins = saved;
  }
  doc.end();
  await done;
  const out = Buffer.concat(chunks);
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}
