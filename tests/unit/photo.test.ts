import { describe, expect, it } from "vitest";
import { PHOTO_MAX_BYTES, photoOf } from "../../app/lib/photo.server";

const jpeg = (size: number) => {
  const b = new Uint8Array(size).fill(0x11);
  b.set([0xff, 0xd8, 0xff, 0xe0]);
  return b;
};

describe("photoOf", () => {
  it("keeps a JPEG up to 1 MB, by its bytes", async () => {
    const r = await photoOf(new File([jpeg(PHOTO_MAX_BYTES)], "x.png", { type: "image/png" }));
    expect(r).toMatchObject({ ok: true, photo: { contentType: "image/jpeg" } });
  });
  it("refuses a photo past 1 MB with a clear Chinese message", async () => {
    const r = await photoOf(new File([jpeg(PHOTO_MAX_BYTES + 1)], "x.jpg", { type: "image/jpeg" }));
    expect(r).toEqual({ ok: false, message: expect.stringContaining("照片超过 1 MB") });
  });
  it("refuses what is not a JPEG, PNG or WebP, whatever its name", async () => {
    const svg = new TextEncoder().encode("<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>");
    expect(await photoOf(new File([svg], "x.jpg", { type: "image/jpeg" }))).toEqual({
      ok: false,
      message: expect.stringContaining("JPG、PNG 或 WebP"),
    });
  });
  it("is no photo when nothing was chosen", async () => {
    expect(await photoOf(null)).toEqual({ ok: true, photo: null });
    expect(await photoOf(new File([], "", { type: "application/octet-stream" }))).toEqual({ ok: true, photo: null });
  });
});
