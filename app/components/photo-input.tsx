import { useEffect, useRef, useState } from "react";

/** What a photo is shrunk to in the browser before upload (the server keeps at most 1 MB, photo.server.ts). */
export const PHOTO_LONGEST_SIDE = 1280;
export const PHOTO_QUALITY = 0.8;
const KEEP_AS_IS_BYTES = 400 * 1024;

async function decode(
  file: File,
): Promise<{ source: CanvasImageSource; width: number; height: number; close: () => void }> {
  if (typeof createImageBitmap === "function") {
    try {
      // "from-image": the phone's EXIF rotation is applied, so a portrait photo stays upright.
      const bitmap = await createImageBitmap(file, { imageOrientation: "from-image" });
      return { source: bitmap, width: bitmap.width, height: bitmap.height, close: () => bitmap.close() };
    } catch {
      /* fall back to an <img> */
    }
  }
  const url = URL.createObjectURL(file);
  const img = new Image();
  img.src = url;
  await img.decode();
  return { source: img, width: img.naturalWidth, height: img.naturalHeight, close: () => URL.revokeObjectURL(url) };
}

/**
 * A camera picture redrawn at most PHOTO_LONGEST_SIDE px on its longest side as JPEG at PHOTO_QUALITY (a 5 MB
 * phone photo becomes a few hundred KB; the location data of the original is not carried over). A small JPEG is
 * kept as it is. Returns the original when the browser cannot decode it (the server then says what is wrong).
 */
export async function shrinkPhoto(file: File): Promise<File> {
  if (!file.type.startsWith("image/")) return file;
  let image: Awaited<ReturnType<typeof decode>>;
  try {
    image = await decode(file);
  } catch {
    return file;
  }
  try {
    const scale = Math.min(1, PHOTO_LONGEST_SIDE / Math.max(image.width, image.height));
    if (scale === 1 && file.type === "image/jpeg" && file.size <= KEEP_AS_IS_BYTES) return file;
    const canvas = document.createElement("canvas");
    canvas.width = Math.max(1, Math.round(image.width * scale));
    canvas.height = Math.max(1, Math.round(image.height * scale));
    const ctx = canvas.getContext("2d");
    if (!ctx) return file;
    ctx.drawImage(image.source, 0, 0, canvas.width, canvas.height);
    const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, "image/jpeg", PHOTO_QUALITY));
    if (!blob || blob.size >= file.size) return file;
    return new File([blob], (file.name.replace(/\.[^.]*$/, "") || "photo") + ".jpg", {
      type: "image/jpeg",
      lastModified: Date.now(),
    });
  } finally {
    image.close();
  }
}

const sizeLabel = (n: number) =>
  n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(n / 1024))} KB`;

type PhotoInputProps = {
  id?: string;
  name: string;
  required?: boolean;
  /** "user" opens the front camera (a selfie at join or check-in), "environment" the back one (site photos). */
  capture?: "user" | "environment";
  "aria-invalid"?: boolean;
  "aria-describedby"?: string;
  /** Told while a picture is being shrunk, so the form can hold its submit button. */
  onBusyChange?: (busy: boolean) => void;
  preview?: boolean;
};

/**
 * A file input for one photo from the phone camera. The chosen picture is shrunk in the browser (shrinkPhoto) and
 * put back into the input, so the form sends the small JPEG; a small preview shows what will be sent.
 */
export function PhotoInput({ onBusyChange, preview = true, capture, ...input }: PhotoInputProps) {
  const ref = useRef<HTMLInputElement>(null);
  const [state, setState] = useState<{ busy: boolean; note: string | null; url: string | null }>({
    busy: false,
    note: null,
    url: null,
  });
  useEffect(
    () => () => {
      if (state.url) URL.revokeObjectURL(state.url);
    },
    [state.url],
  );
  const onChange = async () => {
    const el = ref.current;
    const file = el?.files?.[0];
    if (!el || !file) {
      setState({ busy: false, note: null, url: null });
      return;
    }
    setState((s) => ({ ...s, busy: true, note: "正在处理照片…" }));
    onBusyChange?.(true);
    let sent = file;
    try {
      sent = await shrinkPhoto(file);
      if (sent !== file && typeof DataTransfer === "function") {
        const dt = new DataTransfer();
        dt.items.add(sent);
        el.files = dt.files;
      }
    } catch {
      sent = file;
    }
    setState({
      busy: false,
      note:
        sent !== file ? `已压缩：${sizeLabel(file.size)} → ${sizeLabel(sent.size)}` : `照片 ${sizeLabel(sent.size)}`,
      url: preview && sent.type.startsWith("image/") ? URL.createObjectURL(sent) : null,
    });
    onBusyChange?.(false);
  };
  return (
    <div className="photo-input">
      <input ref={ref} type="file" accept="image/*" capture={capture} onChange={onChange} {...input} />
      {state.url ? <img src={state.url} alt="将要上传的照片" className="photo-preview" /> : null}
      {state.note ? (
        <div className="hint" data-testid="photo-note" data-busy={state.busy ? "1" : "0"}>
          {state.note}
        </div>
      ) : null}
    </div>
  );
}
