/**
 * Pure rules of a drill's files 方案/脚本 and 任务卡 (decision 0028): what kinds of file are kept, recognised by their
 * first bytes (never by name or declared type), and the largest one.
 */
import { sniffMedia } from "../../lib/media-type";

export const DRILL_FILE_KINDS = ["plan", "task_card"] as const;
export type DrillFileKind = (typeof DRILL_FILE_KINDS)[number];
export const DRILL_FILE_KIND_LABELS: Record<DrillFileKind, string> = {
  plan: "演练方案/脚本",
  task_card: "任务卡",
};

/** The largest drill file kept (a MEDIUMBLOB holds 16 MB; forms elsewhere allow 5 MB a file). */
export const DRILL_FILE_MAX_BYTES = 5 * 1024 * 1024;
export const DRILL_FILE_TOO_LARGE = "文件超过 5 MB，未保存：请压缩图片或拆分文件后再上传。";
export const DRILL_FILE_WRONG_TYPE = "只能上传 PDF、Word（.doc、.docx）或图片（JPG、PNG、WebP）文件，未保存。";

const ascii = (b: Uint8Array, at: number, n: number) => Buffer.from(b.subarray(at, at + n)).toString("latin1");
const IMAGE_TYPES = new Set(["image/jpeg", "image/png", "image/webp"]);

/** The content type and extension of an allowed drill file from its bytes, or null. */
export function sniffDrillFile(b: Uint8Array): { contentType: string; ext: string } | null {
  if (b.length < 8) return null;
  if (ascii(b, 0, 5) === "%PDF-") return { contentType: "application/pdf", ext: "pdf" };
  // Word 97–2003: an OLE compound file.
  if (b[0] === 0xd0 && b[1] === 0xcf && b[2] === 0x11 && b[3] === 0xe0 && b[4] === 0xa1 && b[5] === 0xb1)
    return { contentType: "application/msword", ext: "doc" };
  // Word 2007+: a zip whose entries (their names are stored as plain text) include word/document.xml.
  if (b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04) {
    return Buffer.from(b.buffer, b.byteOffset, b.byteLength).includes("word/document.xml")
      ? { contentType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ext: "docx" }
      : null;
  }
  const media = sniffMedia(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
  if (media && IMAGE_TYPES.has(media.contentType))
    return { contentType: media.contentType, ext: media.contentType.split("/")[1].replace("jpeg", "jpg") };
  return null;
}

/**
 * The name a file is kept and offered under: the uploaded name without any path, control characters or quotes, cut
 * to 100 characters, ending in the extension its bytes showed (a PDF named 方案.docx is kept as 方案.pdf).
 */
export function drillFileName(uploaded: string, ext: string): string {
  const base = (uploaded.split(/[\\/]/).pop() ?? "")
    .replace(/[\u0000-\u001f\u007f"<>|*?:]/g, "")
    .trim()
    .replace(/\.[A-Za-z0-9]{1,5}$/, "")
    .slice(0, 100);
  return `${base || "附件"}.${ext}`;
}

export const formatBytes = (n: number) =>
  n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(n / 1024))} KB`;
