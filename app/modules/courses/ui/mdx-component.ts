import { getMDXComponent } from "mdx-bundler/client/index.js";

type MdxComponent = ReturnType<typeof getMDXComponent>;
const kept = new Map<string, MdxComponent>();

/**
 * The React component of a compiled MDX text, made once per text. getMDXComponent evaluates the bundle with
 * `new Function` every time it is called; on the server that was a fresh compile of a lesson's code on every request.
 * The component is a pure function of its props and context, so one instance serves every request (decision 0034).
 */
export function mdxComponentOf(code: string): MdxComponent {
  let component = kept.get(code);
  if (!component) {
    if (kept.size >= 256) kept.clear(); // more than the catalog has lessons: a rebuilt catalog's old texts
    component = getMDXComponent(code);
    kept.set(code, component);
  }
  return component;
}
