/**
 * The layout cache by data model (src/layout/layout.ts): one target per model answers layout
 * questions for all targets (modelTargets), targets of one model get the very same layout object,
 * and sharing member layouts between models never leaks a value from one model into another:
 * the layouts must not depend on the order the targets are asked in. (The values themselves are
 * checked against GCC by gcc-truth.test.ts.)
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compileSpecs } from "../../src/compiler.js";
import { dataModelKey, modelTargets, recordLayout } from "../../src/layout/layout.js";
import { allRecords } from "../../src/layout/records.js";
import type { Program } from "../../src/model/model.js";
import { TARGETS, type Target } from "../../src/targets/targets.js";

const ROOT = join(import.meta.dirname, "..", "..");
const INPUTS = [join(ROOT, "specs"), join(ROOT, "test", "fixtures", "layout", "tricky.abi")];

function program(): Program {
  const r = compileSpecs(INPUTS, { cwd: ROOT });
  expect(r.program, "the inputs build").toBeDefined();
  return r.program!;
}

/** Every record's layout on every target, as plain data (member names, not model objects). */
function layouts(p: Program, order: readonly Target[]): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const t of order) {
    for (const [i, s] of allRecords(p).entries()) {
      const l = recordLayout(s.record, t);
      out.set(`${t.name} #${i} ${s.record.name}`, {
        size: l.size, align: l.align, holes: l.holes,
        fields: l.fields.map((f) => ({ name: f.field.name ?? null, offset: f.offset, size: f.size, align: f.align })),
      });
    }
  }
  return out;
}

describe("layouts by data model", () => {
  it("modelTargets keeps the first target of each data model, in order", () => {
    const reps = modelTargets(TARGETS);
    const keys = reps.map(dataModelKey);
    expect(new Set(keys).size).toBe(keys.length);
    expect(new Set(TARGETS.map(dataModelKey))).toEqual(new Set(keys));
    for (const r of reps) expect(TARGETS.find((t) => dataModelKey(t) === dataModelKey(r))).toBe(r);
    expect(modelTargets([...TARGETS].reverse())[0]).toBe(TARGETS[TARGETS.length - 1]);
  });

  it("gives targets of one data model the same layout object", () => {
    const p = program();
    for (const s of allRecords(p)) {
      for (const t of TARGETS) {
        const rep = modelTargets(TARGETS).find((r) => dataModelKey(r) === dataModelKey(t))!;
        expect(recordLayout(s.record, t)).toBe(recordLayout(s.record, rep));
      }
    }
  });

  it("computes the same layouts whichever target is asked first", () => {
    // Two independent builds: member layouts are shared with whichever model came first.
    const forward = layouts(program(), TARGETS);
    const backward = layouts(program(), [...TARGETS].reverse());
    expect(backward.size).toBe(forward.size);
    for (const [k, v] of forward) expect(backward.get(k), k).toEqual(v);
  });
});
