/**
 * grammar/parser.ts parses every file without error recovery first and falls back to the
 * recovering parser only when that pass finds a problem. The result must not depend on which
 * parser produced it: on input without errors both must build the same CST (same rules,
 * tokens and node offsets), and on input with errors the result is the recovering parser's.
 */
import { join } from "node:path";
import type { CstElement, CstNode } from "chevrotain";
import { describe, expect, it } from "vitest";
import { lex } from "../../grammar/lexer.js";
import { parseTokens, parseTokensWithRecovery } from "../../grammar/parser.js";
import { abiFiles, FIXTURES, ROOT } from "./helpers.js";

/** The CST as plain data: rule names, child keys in order, token images and all offsets. */
function plain(e: CstElement): unknown {
  if ("image" in e) return [e.image, e.tokenType.name, e.startOffset, e.endOffset, e.isInsertedInRecovery === true];
  const n = e as CstNode;
  const kids: Record<string, unknown> = {};
  for (const k of Object.keys(n.children)) kids[k] = n.children[k]!.map(plain);
  return { name: n.name, start: n.location?.startOffset, end: n.location?.endOffset, recovered: n.recoveredNode === true, kids };
}

const files = [...abiFiles(FIXTURES), ...abiFiles(join(ROOT, "specs")), ...abiFiles(join(ROOT, "test", "fixtures", "diagnostics"))];

describe("two-pass parsing", () => {
  it("has error-free inputs to compare", () => {
    const clean = files.filter((f) => {
      const r = parseTokensWithRecovery(lex(f.text).tokens);
      return r.errors.length === 0 && r.junk.length === 0;
    });
    expect(clean.length).toBeGreaterThan(10);
  });

  for (const f of files) {
    it(`same result as the recovering parser: ${f.name.slice(ROOT.length + 1)}`, () => {
      const tokens = lex(f.text).tokens;
      const recovering = parseTokensWithRecovery(tokens);
      const twoPass = parseTokens(tokens);
      expect(plain(twoPass.cst)).toEqual(plain(recovering.cst));
      expect(twoPass.errors.map((e) => [e.name, e.message, e.token.startOffset])).toEqual(recovering.errors.map((e) => [e.name, e.message, e.token.startOffset]));
      expect(twoPass.junk.map((j) => [j.kind, j.first.startOffset, j.last.startOffset])).toEqual(recovering.junk.map((j) => [j.kind, j.first.startOffset, j.last.startOffset]));
    });
  }

  it("falls back to the recovering parser on a syntax error", () => {
    const tokens = lex("struct a { x: u32 }\nstruct b { y u32; }\n").tokens;
    const r = parseTokens(tokens);
    expect(r.errors.length).toBeGreaterThan(0);
    // The recovering parse goes on after the first error: both records are in the tree.
    expect(r.cst.children["topItem"]).toHaveLength(2);
  });
});
