/**
 * JSDoc comments carrying the spec's `///` text, with `@see` pointing back at the declaration
 * (`specs/uvirtio.abi:42`) so a reader of generated code can find the source in one step.
 */
import type { Loc } from "../../syntax/source.js";

export function specLine(loc: Loc): string {
  return `${loc.source.name}:${loc.source.position(loc.start).line}`;
}

/** `*\/` inside a doc would end the comment early. */
function escape(text: string): string {
  return text.replace(/\*\//g, "*\\/");
}

/** A JSDoc block from paragraphs (undefined/empty ones skipped) and tags; "" when empty. */
export function jsdoc(parts: readonly (string | undefined)[], tags: readonly string[] = []): string {
  const paras = parts.filter((p): p is string => p !== undefined && p.trim() !== "");
  if (paras.length === 0 && tags.length === 0) return "";
  const lines: string[] = [];
  paras.forEach((p, i) => {
    if (i > 0) lines.push("");
    lines.push(...escape(p).split("\n"));
  });
  if (paras.length > 0 && tags.length > 0) lines.push("");
  lines.push(...tags.map(escape));
  if (lines.length === 1) return `/** ${lines[0]} */\n`;
  return `/**\n${lines.map((l) => (l === "" ? " *" : ` * ${l}`)).join("\n")}\n */\n`;
}

/** The doc of a declaration with its `@see`. */
export function declDoc(doc: string | undefined, loc: Loc, extra: readonly (string | undefined)[] = []): string {
  return jsdoc([doc, ...extra], [`@see ${specLine(loc)}`]);
}
