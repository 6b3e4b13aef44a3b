import QRCode from "qrcode";
import { publicOrigin } from "../../lib/public-url.server";

/** The join link as an SVG QR code (error correction M: readable from a screen or a printed sheet). */
export async function qrSvg(url: string): Promise<string> {
  return QRCode.toString(url, { type: "svg", errorCorrectionLevel: "M", margin: 2 });
}

/** The origin join links and QR codes use: PUBLIC_URL, else this request's (forwarded headers only with TRUST_PROXY). */
export const originOf = (request: Request): string => publicOrigin(request);
