/**
 * buildProgram never throws, whatever the parser hands it: every diagnostics fixture, cut short
 * at random places or with random pieces removed (so the parser recovers into partial trees).
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { parseSource } from "../../src/syntax/parse.js";
import { Source } from "../../src/syntax/source.js";
import { Diagnostics } from "../../src/diagnostics/diagnostic.js";
import { buildProgram } from "../../src/model/build.js";

const ROOT = join(import.meta.dirname, "..", "fixtures", "diagnostics");

function specs(dir: string): string[] {
  return readdirSync(dir).flatMap((e) => {
    const p = join(dir, e);
    return statSync(p).isDirectory() ? specs(p) : e.endsWith(".abi") ? [readFileSync(p, "utf8")] : [];
  });
}

function buildText(text: string): Diagnostics {
  const diags = new Diagnostics();
  const file = parseSource(new Source("cut.abi", text), diags);
  buildProgram([file], () => undefined, diags);
  return diags;
}

describe("buildProgram on damaged input", () => {
  const texts = specs(ROOT);

  it("has fixtures to damage", () => {
    expect(texts.length).toBeGreaterThan(5);
  });

  it("never throws on a spec cut short or with a piece removed", () => {
    fc.assert(
      fc.property(
        fc.nat({ max: texts.length - 1 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (which, a, b) => {
          const text = texts[which]!;
          const from = Math.floor(Math.min(a, b) * text.length);
          const to = Math.floor(Math.max(a, b) * text.length);
          buildText(text.slice(0, to));
          buildText(text.slice(0, from) + text.slice(to));
          return true;
        },
      ),
      { numRuns: 150 },
    );
  });

  it("reports every diagnostic with a location inside the file", () => {
    for (const text of texts) {
      for (const d of buildText(text).list) {
        expect(d.loc, d.message).toBeDefined();
        expect(d.loc!.start).toBeGreaterThanOrEqual(0);
        expect(d.loc!.end).toBeLessThanOrEqual(text.length);
        expect(d.hint, d.message).toBeTruthy();
      }
    }
  });
});
