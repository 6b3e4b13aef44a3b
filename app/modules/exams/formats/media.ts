/**
 * Pictures and audio carried by question files. The kind of a file is read from its first bytes, never trusted
 * from its name or a declared MIME type, and only formats browsers show safely are kept (no SVG: it can carry
 * script). Every file is named by its content hash, so the same picture in two files is stored once.
 */
import { createHash } from "node:crypto";
import { mediaToken, type MediaKind } from "./text";

export const MAX_MEDIA_BYTES = 2 * 1024 * 1024;
export const MAX_MEDIA_PER_QUESTION = 12;

export interface MediaFile {
  hash: string;
  kind: MediaKind;
  contentType: string;
  data: Buffer;
}

import { sniffMedia } from "../../../lib/media-type";

export { sniffMedia };

export const EXTENSIONS: Record<string, string> = {
  "image/png": "png",
  "image/jpeg": "jpg",
  "image/gif": "gif",
  "image/webp": "webp",
  "image/bmp": "bmp",
  "audio/wav": "wav",
  "audio/mpeg": "mp3",
  "audio/ogg": "ogg",
  "audio/mp4": "m4a",
};

export const hashOf = (data: Buffer) => createHash("sha256").update(data).digest("hex").slice(0, 32);

/** Check a file and give it its hash; `name` is only for the message. */
export function acceptMedia(data: Buffer, name: string, expected?: MediaKind): MediaFile | { problem: string } {
  if (data.length > MAX_MEDIA_BYTES)
    return { problem: `文件 ${name} 超过 ${MAX_MEDIA_BYTES / 1024 / 1024} MB，未导入` };
  const type = sniffMedia(data);
  if (!type) return { problem: `文件 ${name} 不是支持的图片（PNG、JPEG、GIF、WebP、BMP）或音频（MP3、WAV、OGG、M4A）` };
  if (expected && type.kind !== expected)
    return {
      problem: `文件 ${name} 是${type.kind === "img" ? "图片" : "音频"}，却作为${expected === "img" ? "图片" : "音频"}引用`,
    };
  return { hash: hashOf(data), kind: type.kind, contentType: type.contentType, data };
}

/** A data: URI's bytes (base64 only), or a problem. */
export function decodeDataUri(src: string): Buffer | { problem: string } {
  const m = /^data:([a-z0-9.+/-]*)(;[^,]*)?,(.*)$/is.exec(src);
  if (!m) return { problem: "data: 地址格式不正确" };
  if (!/;base64/i.test(m[2] ?? "")) return { problem: "data: 地址不是 base64 编码" };
  const raw = m[3].replace(/\s+/g, "");
  if (raw.length > (MAX_MEDIA_BYTES * 4) / 3 + 4)
    return { problem: `嵌入的文件超过 ${MAX_MEDIA_BYTES / 1024 / 1024} MB，未导入` };
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(raw)) return { problem: "嵌入文件的 base64 内容无效" };
  return Buffer.from(raw, "base64");
}

/**
 * Collects the files of one question: `add` stores a checked file and returns its token. The per-question count
 * is bounded so that a file cannot make one question hold thousands of pictures.
 */
export class MediaCollector {
  readonly files = new Map<string, MediaFile>();
  add(data: Buffer, name: string, expected?: MediaKind): { token: string } | { problem: string } {
    const m = acceptMedia(data, name, expected);
    if ("problem" in m) return m;
    if (!this.files.has(m.hash) && this.files.size >= MAX_MEDIA_PER_QUESTION)
      return { problem: `一道题最多 ${MAX_MEDIA_PER_QUESTION} 个图片或音频` };
    this.files.set(m.hash, m);
    return { token: mediaToken(m.kind, m.hash) };
  }
  /** A data: URI as a file. */
  addDataUri(src: string, kind: MediaKind): { token: string } | { problem: string } {
    const data = decodeDataUri(src);
    if (!Buffer.isBuffer(data)) return data;
    return this.add(data, kind === "img" ? "（嵌入的图片）" : "（嵌入的音频）", kind);
  }
}
