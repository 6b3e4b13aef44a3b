/**
 * The kind of a picture or sound file, read from its first bytes — never trusted from its name or a declared MIME
 * type — for every upload that keeps files (question media, drill and rectification photos, study check-in photos).
 * Only formats browsers show safely are known (no SVG: it can carry script).
 */
export type MediaKind = "img" | "audio";

const ascii = (b: Buffer, at: number, n: number) => b.subarray(at, at + n).toString("latin1");

/** The content type of a picture or sound file from its magic bytes, or null. */
export function sniffMedia(b: Buffer): { kind: MediaKind; contentType: string } | null {
  if (b.length < 12) return null;
  if (b[0] === 0x89 && ascii(b, 1, 3) === "PNG") return { kind: "img", contentType: "image/png" };
  if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return { kind: "img", contentType: "image/jpeg" };
  if (ascii(b, 0, 4) === "GIF8") return { kind: "img", contentType: "image/gif" };
  if (ascii(b, 0, 4) === "RIFF" && ascii(b, 8, 4) === "WEBP") return { kind: "img", contentType: "image/webp" };
  if (ascii(b, 0, 2) === "BM") return { kind: "img", contentType: "image/bmp" };
  if (ascii(b, 0, 4) === "RIFF" && ascii(b, 8, 4) === "WAVE") return { kind: "audio", contentType: "audio/wav" };
  if (ascii(b, 0, 3) === "ID3" || (b[0] === 0xff && (b[1] & 0xe0) === 0xe0))
    return { kind: "audio", contentType: "audio/mpeg" };
  if (ascii(b, 0, 4) === "OggS") return { kind: "audio", contentType: "audio/ogg" };
  if (ascii(b, 4, 4) === "ftyp" && /^(M4A |M4B |mp42|isom)/.test(ascii(b, 8, 4)))
    return { kind: "audio", contentType: "audio/mp4" };
  return null;
}
