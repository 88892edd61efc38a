/**
 * The diagnostics corpus: every spec under test/fixtures/diagnostics/ marks each line that must
 * draw a diagnostic with a trailing `// expect: ABI0xx[, ABI0yy]` comment. A top-level `.abi`
 * file is one compilation; a subfolder is one compilation of all the specs in it (imports).
 *
 * Each compilation is parsed, built, and — when building reported no error — checked by every
 * rule on every target, as the pipeline does. The diagnostics reported (suppressed ones
 * excluded) must be exactly the expected ones, line by line, counted: a line that draws the
 * same code twice must say so twice.
 */
import { readdirSync, readFileSync, statSync, existsSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { parseSource } from "../src/syntax/parse.js";
import { Source } from "../src/syntax/source.js";
import type { FileNode } from "../src/syntax/ast.js";
import { Diagnostics, headline } from "../src/diagnostics/diagnostic.js";
import { CODES, type Code } from "../src/diagnostics/codes.js";
import { buildProgram } from "../src/model/build.js";
import { makeContext } from "../src/checks/rule.js";
import { RULES } from "../src/checks/index.js";
import { TARGETS } from "../src/targets/targets.js";

const ROOT = join(import.meta.dirname, "fixtures", "diagnostics");

/** Syntax codes are covered by the parser's own tests. */
// Syntax codes are covered by the parser tests; the installed-header codes need a scan of
// /usr/include, which test/conflicts/installed.test.ts provides (with numbers computed by gcc).
const NOT_IN_CORPUS: readonly Code[] = ["ABI001", "ABI002", "ABI104", "ABI105", "ABI106"];

/** Codes whose checks do not exist yet; each must leave this list when its rule lands. */
const PENDING: readonly Code[] = [];

function specsUnder(dir: string): string[] {
  return readdirSync(dir).sort().flatMap((entry) => {
    const p = join(dir, entry);
    return statSync(p).isDirectory() ? specsUnder(p) : entry.endsWith(".abi") ? [p] : [];
  });
}

/** One compilation per top-level spec file and per subfolder. */
function cases(): { name: string; files: string[] }[] {
  return readdirSync(ROOT).sort().flatMap((entry) => {
    const p = join(ROOT, entry);
    if (statSync(p).isDirectory()) return [{ name: `${entry}/`, files: specsUnder(p) }];
    return entry.endsWith(".abi") ? [{ name: entry, files: [p] }] : [];
  });
}

const EXPECT = /\/\/\s*expect:\s*(ABI\d{3}(?:\s*,\s*ABI\d{3})*)\s*$/;

function expectations(files: readonly string[]): string[] {
  const out: string[] = [];
  for (const path of files) {
    const lines = readFileSync(path, "utf8").split("\n");
    for (const [i, line] of lines.entries()) {
      const m = EXPECT.exec(line);
      if (m) for (const code of m[1]!.split(",")) out.push(`${relative(ROOT, path)}:${i + 1} ${code.trim()}`);
    }
  }
  return out.sort();
}

function compile(files: readonly string[]): { reported: string[]; all: Diagnostics } {
  const diags = new Diagnostics();
  const byPath = new Map<string, FileNode>();
  const pathOf = new Map<FileNode, string>();
  const load = (abs: string): FileNode | undefined => {
    const known = byPath.get(abs);
    if (known) return known;
    if (!existsSync(abs)) return undefined;
    const file = parseSource(new Source(relative(ROOT, abs), readFileSync(abs, "utf8")), diags);
    byPath.set(abs, file);
    pathOf.set(file, abs);
    return file;
  };
  for (const f of files) load(f);
  const resolveImport = (from: FileNode, path: string): FileNode | undefined =>
    load(resolve(dirname(pathOf.get(from)!), path));
  const program = buildProgram([...byPath.values()], resolveImport, diags);
  if (!diags.hasErrors()) {
    const ctx = makeContext(program, TARGETS, diags);
    for (const rule of RULES) rule.check(ctx);
  }
  const reported = diags.list
    .filter((d) => !d.suppressed)
    .map((d) => `${d.loc ? `${d.loc.source.name}:${d.loc.source.position(d.loc.start).line}` : "?"} ${d.code}`)
    .sort();
  return { reported, all: diags };
}

describe("diagnostics corpus", () => {
  for (const c of cases()) {
    it(c.name, () => {
      const { reported, all } = compile(c.files);
      // On failure, show the full diagnostics: the message says what the checker thought.
      const detail = all.sorted().map((d) => headline(d) + (d.suppressed ? ` [allowed: ${d.suppressed}]` : "")).join("\n");
      expect(reported, detail).toEqual(expectations(c.files));
    });
  }

  it("every diagnostic code has a failing case in the corpus", () => {
    const expected = new Set(cases().flatMap((c) => expectations(c.files).map((e) => e.split(" ")[1])));
    const missing = Object.keys(CODES).filter(
      (code) => !expected.has(code) && !NOT_IN_CORPUS.includes(code as Code) && !PENDING.includes(code as Code),
    );
    expect(missing).toEqual([]);
  });

  it("every fixture also compiles passing declarations (the rules have a passing case)", () => {
    // A fixture made only of failing lines proves nothing about false positives.
    for (const c of cases()) {
      const text = c.files.map((f) => readFileSync(f, "utf8")).join("\n");
      const declLines = text.split("\n").filter((l) => /^\s*(const|struct|union|enum|flags|ioctl|fd|type|protocol)\b/.test(l));
      const failing = declLines.filter((l) => EXPECT.test(l));
      expect(declLines.length - failing.length, c.name).toBeGreaterThan(0);
    }
  });
});
