/**
 * The `#define`s of a C header, found by text: comments removed, continued lines joined. This
 * only finds names and macro bodies; what a macro's value is, is left to the C compiler.
 */

export interface MacroDef {
  readonly name: string;
  /** Parameter list for function-like macros (`#define F(a, b) …`), undefined for object-like. */
  readonly params?: string;
  readonly body: string;
}

/** Remove comments, keeping string and character literals intact (a `'/'` must survive). */
export function stripComments(text: string): string {
  let out = "";
  for (let i = 0; i < text.length; ) {
    const c = text[i]!;
    if (c === "/" && text[i + 1] === "*") {
      const end = text.indexOf("*/", i + 2);
      const stop = end < 0 ? text.length : end + 2;
      // Keep the newlines so that line structure is unchanged.
      out += " " + text.slice(i, stop).replace(/[^\n]/g, "");
      i = stop;
    } else if (c === "/" && text[i + 1] === "/") {
      while (i < text.length && text[i] !== "\n") i++;
    } else if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < text.length && text[j] !== c && text[j] !== "\n") j += text[j] === "\\" ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

const DEFINE = /^\s*#\s*define\s+([A-Za-z_]\w*)(\([^)]*\))?(.*)$/;

export function macroDefs(text: string): MacroDef[] {
  const logical = stripComments(text).replace(/\\\r?\n/g, " ").split("\n");
  const defs: MacroDef[] = [];
  for (const line of logical) {
    const m = DEFINE.exec(line);
    if (!m) continue;
    const body = m[3]!.trim();
    defs.push(m[2] === undefined ? { name: m[1]!, body } : { name: m[1]!, params: m[2], body });
  }
  return defs;
}
