/**
 * Word (.docx) import: mammoth reads the document into simple HTML (paragraphs, tables, pictures), html.ts turns it
 * into lines of our text with pictures as media tokens, and word.ts reads the numbered-question layout.
 */
import mammoth from "mammoth";
import { htmlToText } from "./html";
import { acceptMedia, type MediaFile } from "./media";
import { mediaIn, mediaToken } from "./text";
import type { ImportResult } from "./types";
import { parseWordText } from "./word";

const MAX_DOCX_PICTURES = 500;

export async function parseDocx(data: Buffer): Promise<ImportResult> {
  const pictures: (MediaFile | { problem: string })[] = [];
  let html: string;
  try {
    const result = await mammoth.convertToHtml(
      { buffer: data },
      {
        convertImage: mammoth.images.imgElement(async (image) => {
          if (pictures.length >= MAX_DOCX_PICTURES) {
            pictures.push({ problem: `文档中的图片超过 ${MAX_DOCX_PICTURES} 张` });
          } else {
            pictures.push(
              acceptMedia(Buffer.from(await image.readAsBuffer()), `第 ${pictures.length + 1} 张图片`, "img"),
            );
          }
          return { src: `docx-picture:${pictures.length - 1}` };
        }),
      },
    );
    html = result.value;
  } catch {
    return {
      questions: [],
      problems: [{ line: 1, reason: "无法读取该 Word 文件：请上传 .docx 格式（不支持旧的 .doc），并确认文件没有损坏" }],
    };
  }
  const lineProblems = new Map<string, string>();
  const { text } = htmlToText(
    html,
    (src) => {
      const picture = pictures[Number(src.slice("docx-picture:".length))];
      if (!picture) return { problem: "图片无法读取" };
      if ("problem" in picture) {
        // Keep a marker in the text so the problem is reported on the question that had the picture.
        const marker = `［图片无法导入：${picture.problem}］`;
        lineProblems.set(marker, picture.problem);
        return { token: marker };
      }
      return { token: mediaToken(picture.kind, picture.hash) };
    },
    { numberLists: true },
  );
  const parsed = parseWordText(text);
  const byHash = new Map(pictures.filter((p): p is MediaFile => !("problem" in p)).map((p) => [p.hash, p]));
  const questions = [];
  const problems = [...parsed.problems];
  for (const q of parsed.questions) {
    const texts = [q.stem, ...q.options, q.explanation ?? ""];
    const bad = [...lineProblems.keys()].filter((m) => texts.some((t) => t.includes(m)));
    if (bad.length) {
      problems.push({
        line: q.line,
        question: q.stem.slice(0, 20),
        reason: bad.map((m) => lineProblems.get(m)).join("；"),
      });
      continue;
    }
    const files = texts
      .flatMap(mediaIn)
      .map((m) => byHash.get(m.hash)!)
      .filter(Boolean);
    if (files.length) q.files = [...new Map(files.map((f) => [f.hash, f])).values()];
    questions.push(q);
  }
  return { questions, problems: problems.sort((a, b) => a.line - b.line) };
}
