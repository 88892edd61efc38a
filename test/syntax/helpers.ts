import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Diagnostics, headline } from "../../src/diagnostics/diagnostic.js";
import type { FileNode } from "../../src/syntax/ast.js";
import { parseSource } from "../../src/syntax/parse.js";
import { Source } from "../../src/syntax/source.js";

export const ROOT = join(import.meta.dirname, "..", "..");
export const FIXTURES = join(ROOT, "test", "fixtures", "syntax");

export function parse(text: string, name = "test.abi"): { file: FileNode; diags: Diagnostics; messages: string[] } {
  const diags = new Diagnostics();
  const file = parseSource(new Source(name, text), diags);
  return { file, diags, messages: diags.sorted().map(headline) };
}

/** `.abi` files of a directory (empty when it does not exist). */
export function abiFiles(dir: string): { name: string; text: string }[] {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith(".abi")).sort();
  } catch {
    return [];
  }
  return names.map((n) => ({ name: join(dir, n), text: readFileSync(join(dir, n), "utf8") }));
}

/** The tree without positions and comments: what must survive print → parse unchanged. */
export function shape(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(shape);
  if (node === null || typeof node !== "object") return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === "span" || k === "source" || k === "leading" || k === "trailing" || k === "danglingComments") continue;
    out[k] = k === "doc" ? (v as { text: string }).text : shape(v);
  }
  return out;
}

/** Every comment of a tree in source order, as printed text. */
export function commentTexts(text: string): string[] {
  const out: string[] = [];
  const re = /\/\/[^\n]*|\/\*[\s\S]*?\*\/|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'/g;
  for (const m of text.matchAll(re)) {
    const c = m[0].trimEnd();
    if (!c.startsWith("/")) continue;
    // The formatter writes doc lines as "/// text"; compare them without that one space.
    out.push(/^\/\/\/(?!\/)/.test(c) ? "///" + c.slice(3).replace(/^ /, "") : c);
  }
  return out;
}
