import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Diagnostics } from "../../src/diagnostics/diagnostic.js";
import { parseSource } from "../../src/syntax/parse.js";
import { printFile } from "../../src/syntax/printer.js";
import { Source } from "../../src/syntax/source.js";
import { abiFiles, commentTexts, FIXTURES, ROOT } from "./helpers.js";

const texts = [...abiFiles(FIXTURES), ...abiFiles(join(ROOT, "specs"))].map((f) => f.text);
const TOKENS = ["{", "}", ";", ",", "(", ")", "[", "]", "=", ":", "@", "->", "<<", "/*", "*/", "//", "///", '"', "'", "\\", "\n", "struct", "union", "enum", "ioctl", "const", "0x", "_", "$", "é"];

type Mutation = { at: number; len: number; kind: "delete" | "insert" | "duplicate" | "swap"; token: string; other: number };

const mutation = fc.record({
  at: fc.nat(),
  len: fc.integer({ min: 1, max: 12 }),
  kind: fc.constantFrom("delete", "insert", "duplicate", "swap"),
  token: fc.constantFrom(...TOKENS),
  other: fc.nat(),
}) as fc.Arbitrary<Mutation>;

function mutate(text: string, ms: Mutation[]): string {
  let t = text;
  for (const m of ms) {
    const at = t.length ? m.at % t.length : 0;
    const piece = t.slice(at, at + m.len);
    switch (m.kind) {
      case "delete":
        t = t.slice(0, at) + t.slice(at + m.len);
        break;
      case "insert":
        t = t.slice(0, at) + m.token + t.slice(at);
        break;
      case "duplicate":
        t = t.slice(0, at) + piece + t.slice(at);
        break;
      case "swap": {
        const to = t.length ? m.other % t.length : 0;
        const without = t.slice(0, at) + t.slice(at + m.len);
        const where = Math.min(to, without.length);
        t = without.slice(0, where) + piece + without.slice(where);
        break;
      }
    }
  }
  return t;
}

describe("fuzz: mutated fixtures", () => {
  it("has texts to mutate", () => expect(texts.length).toBeGreaterThan(0));

  it("parseSource never throws, stays fast, and every tree it returns prints", () => {
    let clean = 0;
    fc.assert(
      fc.property(fc.nat({ max: texts.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 6 }), (i, ms) => {
        const text = mutate(texts[i]!, ms);
        let diags = new Diagnostics();
        let t0 = performance.now();
        let file = parseSource(new Source("fuzz.abi", text), diags);
        let elapsed = performance.now() - t0;
        for (let retry = 0; retry < 3 && elapsed >= 200; retry++) {
          // Retries: a GC pause or a busy machine is not a slow parser; a blow-up repeats.
          diags = new Diagnostics();
          t0 = performance.now();
          file = parseSource(new Source("fuzz.abi", text), diags);
          elapsed = performance.now() - t0;
        }
        expect(elapsed).toBeLessThan(200);
        // The parser never reports its own failure as a diagnostic either.
        expect(diags.list.filter((d) => d.message.startsWith("internal parser error"))).toEqual([]);
        for (const d of diags.list) {
          expect(d.loc!.start).toBeGreaterThanOrEqual(0);
          expect(d.loc!.end).toBeLessThanOrEqual(text.length);
          expect(d.loc!.start).toBeLessThanOrEqual(d.loc!.end);
        }
        const printed = printFile(file);
        // A file without errors must format to a stable, error-free text.
        if (!diags.hasErrors()) {
          const again = new Diagnostics();
          const reparsed = parseSource(new Source("fuzz.abi", printed), again);
          expect(again.list.map((d) => d.message)).toEqual([]);
          expect(printFile(reparsed)).toBe(printed);
          expect(commentTexts(printed)).toEqual(commentTexts(text));
          clean++;
        }
      }),
      { numRuns: Number(process.env["ABIGEN_FUZZ_RUNS"] ?? 400) },
    );
    // Some mutations (inside comments, duplicated items) leave valid files: those took the
    // format-stability branch above.
    expect(clean).toBeGreaterThan(0);
  });

  it("random token soup never throws", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...TOKENS, " ", "x", "1", "u32", "fd", "on", "none", "write"), { maxLength: 80 }), (parts) => {
        const diags = new Diagnostics();
        const file = parseSource(new Source("soup.abi", parts.join(" ")), diags);
        printFile(file);
      }),
      { numRuns: 300 },
    );
  });
});
