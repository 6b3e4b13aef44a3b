/**
 * Checks a Moodle XML file before any XML parser sees it, in one linear pass of htmlparser2's tokenizer: no DOCTYPE
 * (so no entity declarations, no external entities — nothing is ever fetched or expanded) and no nesting deeper than
 * a question bank needs. Deep nesting would otherwise overflow the recursive parser's stack.
 */
import { Tokenizer } from "htmlparser2";
import type { ImportProblem } from "./types";

/** quiz › question › answer › feedback › text is 5; rich text inside CDATA does not count. */
export const MAX_XML_DEPTH = 32;

const lineAt = (src: string, index: number) => {
  let line = 1;
  for (let i = src.indexOf("\n"); i >= 0 && i < index; i = src.indexOf("\n", i + 1)) line++;
  return line;
};

export async function guardXml(src: string, tick: () => Promise<void> = async () => {}): Promise<ImportProblem | null> {
  let depth = 0;
  let problem: { index: number; reason: string } | null = null;
  const stop = (index: number, reason: string) => {
    if (!problem) problem = { index, reason };
  };
  const tokenizer = new Tokenizer(
    { xmlMode: true, decodeEntities: false },
    {
      onopentagname: (a) => {
        if (++depth > MAX_XML_DEPTH) stop(a, `XML 嵌套超过 ${MAX_XML_DEPTH} 层，不是 Moodle 题库的结构，文件未读取`);
      },
      onselfclosingtag: () => {
        depth--;
      },
      onclosetag: () => {
        depth = Math.max(0, depth - 1);
      },
      ondeclaration: (a, b) => {
        const body = src.slice(a, Math.min(b, a + 16)).toUpperCase();
        if (body.startsWith("DOCTYPE") || body.startsWith("!DOCTYPE"))
          stop(
            a,
            "文件含有 DOCTYPE 声明（可定义实体、引用外部文件）。出于安全考虑不予读取，请删除 <!DOCTYPE …> 后重新上传",
          );
        else if (body.includes("ENTITY")) stop(a, "文件含有实体声明 <!ENTITY …>。出于安全考虑不予读取");
      },
      onattribdata: () => {},
      onattribentity: () => {},
      onattribend: () => {},
      onattribname: () => {},
      oncdata: () => {},
      oncomment: () => {},
      onend: () => {},
      onopentagend: () => {},
      onprocessinginstruction: () => {},
      ontext: () => {},
      ontextentity: () => {},
    },
  );
  // Feed in pieces so a problem stops the pass early.
  for (let i = 0; i < src.length && !problem; i += 65536) {
    tokenizer.write(src.slice(i, i + 65536));
    await tick();
  }
  if (!problem) tokenizer.end();
  // A DOCTYPE that the tokenizer read as something else (e.g. inside a comment is harmless; anywhere else is not).
  if (!problem && /<!DOCTYPE|<!ENTITY/i.test(src.replace(/<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>/g, ""))) {
    const m = /<!DOCTYPE|<!ENTITY/i.exec(src)!;
    stop(m.index, "文件含有 DOCTYPE 或实体声明。出于安全考虑不予读取");
  }
  const p = problem as { index: number; reason: string } | null;
  return p ? { line: lineAt(src, p.index), reason: p.reason } : null;
}
