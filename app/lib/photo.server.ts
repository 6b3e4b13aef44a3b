import { sniffMedia } from "./media-type";

export type Photo = { contentType: string; bytes: Buffer };

const PHOTO_TYPES = new Set(["image/jpeg", "image/png", "image/webp"]);

/** A photo from a form, by its bytes (not its name or claimed type); null when none was chosen. */
export async function photoOf(value: FormDataEntryValue | null): Promise<{ ok: true; photo: Photo | null } | { ok: false; message: string }> {
  if (!(value instanceof File) || value.size === 0) return { ok: true, photo: null };
  const bytes = Buffer.from(await value.arrayBuffer());
  const kind = sniffMedia(bytes);
  if (!kind || !PHOTO_TYPES.has(kind.contentType)) return { ok: false, message: "照片须为 JPG、PNG 或 WebP 图片。" };
  return { ok: true, photo: { contentType: kind.contentType, bytes } };
}
