import type { LoaderFunctionArgs } from "@remix-run/node";
import { notFound } from "~/lib/http";
import { getMedia } from "~/modules/exams/media.server";

/**
 * A question picture or sound (decision 0015). Files are named by a 128-bit content hash that only a question
 * text reveals, and must reach people answering an on-site quiz without an account, so the hash itself is the
 * permission (as for any capability URL). Content never changes: cached for a year.
 */
export async function loader({ params }: LoaderFunctionArgs) {
  const hash = params.hash ?? "";
  if (!/^[0-9a-f]{32}$/.test(hash)) notFound();
  const file = await getMedia(hash);
  if (!file) notFound();
  return new Response(new Uint8Array(file.bytes), {
    headers: {
      "Content-Type": file.content_type,
      "Cache-Control": "public, max-age=31536000, immutable",
      "X-Content-Type-Options": "nosniff",
      "Content-Security-Policy": "default-src 'none'; sandbox",
    },
  });
}
