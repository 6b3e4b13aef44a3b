/**
 * Text files arrive as UTF-8 (with or without BOM), UTF-16 with a BOM (Excel's "Unicode text", Notepad) or GB18030/GBK
 * (Chinese Windows). We read them in that order and say which one we read; a file that is none of them is refused
 * rather than imported with replacement characters (U+FFFD).
 */
export type TextEncodingName = "UTF-8" | "UTF-16LE" | "UTF-16BE" | "GB18030";

export type DecodedText =
  { ok: true; text: string; encoding: TextEncodingName; bom: boolean } | { ok: false; reason: string };

function strict(label: string, bytes: Uint8Array): string | null {
  try {
    return new TextDecoder(label, { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return null;
  }
}

export function decodeText(data: Uint8Array): DecodedText {
  let encoding: TextEncodingName;
  let body = data;
  let bom = true;
  if (data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf) {
    encoding = "UTF-8";
    body = data.subarray(3);
  } else if (data[0] === 0xff && data[1] === 0xfe) {
    encoding = "UTF-16LE";
    body = data.subarray(2);
  } else if (data[0] === 0xfe && data[1] === 0xff) {
    encoding = "UTF-16BE";
    body = data.subarray(2);
  } else {
    bom = false;
    const utf8 = strict("utf-8", data);
    if (utf8 !== null) return checked(utf8, "UTF-8", false);
    const gb = strict("gb18030", data);
    if (gb !== null) return checked(gb, "GB18030", false);
    return {
      ok: false,
      reason: "文件编码无法识别：既不是 UTF-8，也不是 GB18030/GBK。请用记事本“另存为”UTF-8 编码后重新上传",
    };
  }
  const text = strict(encoding.toLowerCase(), body);
  if (text === null)
    return { ok: false, reason: `文件开头标明是 ${encoding} 编码，但内容中有不是 ${encoding} 的字节，无法读取` };
  return checked(text, encoding, bom);
}

/** A file that spells U+FFFD itself already lost characters before it reached us: say where. */
function checked(text: string, encoding: TextEncodingName, bom: boolean): DecodedText {
  const at = text.indexOf("\ufffd");
  if (at >= 0) {
    const line = text.slice(0, at).split("\n").length;
    return {
      ok: false,
      reason: `文件第 ${line} 行含有替换字符“\ufffd”（文字在此前的转换中已损坏），请用原始文件重新导出`,
    };
  }
  return { ok: true, text, encoding, bom };
}
