import { sniffMedia } from "./media-type";

export type Photo = { contentType: string; bytes: Buffer };

const PHOTO_TYPES = new Set(["image/jpeg", "image/png", "image/webp"]);

/**
 * Largest photo kept (drill and rectification photos, study check-ins, quiz joins). Pages shrink a camera picture in
 * the browser first (app/components/photo-input.tsx: longest side 1280 px, JPEG 0.8, usually 150–400 KB).
 */
export const PHOTO_MAX_BYTES = 1024 * 1024;
/** A form carrying one photo and a few short fields with their multipart headers (quiz join, study check-in; scripts/server.js allows the same for /q/<token>). */
export const PHOTO_FORM_BYTES = PHOTO_MAX_BYTES + 16 * 1024;
export const PHOTO_TOO_LARGE =
  "照片超过 1 MB，未保存：请重新拍照或选择较小的照片（页面会自动压缩照片，如仍过大请检查浏览器是否为最新版本）。";

/** A photo from a form, by its bytes (not its name or claimed type); null when none was chosen. */
export async function photoOf(
  value: FormDataEntryValue | null,
): Promise<{ ok: true; photo: Photo | null } | { ok: false; message: string }> {
  if (!(value instanceof File) || value.size === 0) return { ok: true, photo: null };
  if (value.size > PHOTO_MAX_BYTES) return { ok: false, message: PHOTO_TOO_LARGE };
  const bytes = Buffer.from(await value.arrayBuffer());
  const kind = sniffMedia(bytes);
  if (!kind || !PHOTO_TYPES.has(kind.contentType)) return { ok: false, message: "照片须为 JPG、PNG 或 WebP 图片。" };
  return { ok: true, photo: { contentType: kind.contentType, bytes } };
}

/** A stored photo as an HTTP answer: private, and never sniffed as anything but the image type it was checked to be. */
export function photoResponse(photo: { content_type: string; bytes: Buffer }) {
  return new Response(new Uint8Array(photo.bytes), {
    headers: {
      "Content-Type": photo.content_type,
      "Cache-Control": "private, max-age=3600",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
