/**
 * The ABI edit corpus (test/fixtures/abi-edits): each case is a small patch to the base specs
 * with its expected classification written next to it:
 *
 *   # what the edit is and why it is classified so
 *   expect: breaking | compatible
 *   kinds: field-moved, ioctl-size-changed        (exactly the kinds the diff must report; "none" for none)
 *   --- demo.abi                                  (edit a base file with hunks:)
 *   <<<<<<<
 *   text that occurs exactly once
 *   =======
 *   its replacement
 *   >>>>>>>
 *   --- +other.abi                                (create a file: the lines that follow)
 *   --- -extra.abi                                (delete a base file)
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";

export const CORPUS = resolve(import.meta.dirname, "../fixtures/abi-edits");

export interface EditCase {
  readonly name: string;
  readonly description: string;
  readonly expect: "breaking" | "compatible";
  readonly kinds: readonly string[];
  /** The specs after the edit, by file name. */
  readonly after: ReadonlyMap<string, string>;
}

export function baseFiles(): Map<string, string> {
  const dir = join(CORPUS, "base");
  return new Map(readdirSync(dir).sort().map((f) => [f, readFileSync(join(dir, f), "utf8")]));
}

function applyHunks(name: string, text: string, body: string[], file: string): string {
  let out = text;
  let i = 0;
  while (i < body.length) {
    if (body[i]!.trim() === "") { i++; continue; }
    if (body[i] !== "<<<<<<<") throw new Error(`${name}: expected <<<<<<< in the ${file} section, got: ${body[i]}`);
    const mid = body.indexOf("=======", i);
    const end = body.indexOf(">>>>>>>", mid);
    if (mid < 0 || end < 0) throw new Error(`${name}: unterminated hunk in ${file}`);
    const from = body.slice(i + 1, mid).join("\n");
    const to = body.slice(mid + 1, end).join("\n");
    const at = out.indexOf(from);
    if (at < 0 || out.indexOf(from, at + 1) >= 0) throw new Error(`${name}: hunk text must occur exactly once in ${file}:\n${from}`);
    out = out.slice(0, at) + to + out.slice(at + from.length);
    i = end + 1;
  }
  return out;
}

export function parseCase(name: string, text: string, base: ReadonlyMap<string, string>): EditCase {
  const lines = text.split("\n");
  const description: string[] = [];
  let expect: string | undefined;
  let kinds: string[] | undefined;
  let i = 0;
  for (; i < lines.length && !lines[i]!.startsWith("--- "); i++) {
    const l = lines[i]!;
    if (l.startsWith("#")) description.push(l.replace(/^#\s?/, ""));
    else if (l.startsWith("expect:")) expect = l.slice(7).trim();
    else if (l.startsWith("kinds:")) kinds = l.slice(6).split(",").map((s) => s.trim()).filter((s) => s && s !== "none");
    else if (l.trim() !== "") throw new Error(`${name}: unexpected header line: ${l}`);
  }
  if (expect !== "breaking" && expect !== "compatible") throw new Error(`${name}: expect: must be breaking or compatible`);
  if (!kinds) throw new Error(`${name}: kinds: missing`);
  const after = new Map(base);
  while (i < lines.length) {
    const header = lines[i]!.slice(4).trim();
    let j = i + 1;
    while (j < lines.length && !lines[j]!.startsWith("--- ")) j++;
    const body = lines.slice(i + 1, j);
    if (header.startsWith("+")) after.set(header.slice(1), body.join("\n"));
    else if (header.startsWith("-")) {
      if (!after.delete(header.slice(1))) throw new Error(`${name}: no file ${header.slice(1)} to delete`);
    } else {
      const cur = after.get(header);
      if (cur === undefined) throw new Error(`${name}: no file ${header} to edit`);
      after.set(header, applyHunks(name, cur, body, header));
    }
    i = j;
  }
  return { name, description: description.join(" "), expect, kinds, after };
}

export function loadCorpus(): EditCase[] {
  const base = baseFiles();
  const dir = join(CORPUS, "cases");
  return readdirSync(dir).filter((f) => f.endsWith(".edit")).sort()
    .map((f) => parseCase(f, readFileSync(join(dir, f), "utf8"), base));
}
