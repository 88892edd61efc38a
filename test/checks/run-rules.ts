/** Running the checker's rules over a hand-built program, for rule unit tests. */
import { RULES } from "../../src/checks/index.js";
import { makeContext } from "../../src/checks/rule.js";
import { Diagnostics, type Diagnostic } from "../../src/diagnostics/diagnostic.js";
import type { Program } from "../../src/model/model.js";
import { TARGETS, type Target } from "../../src/targets/targets.js";

export function check(program: Program, targets: readonly Target[] = TARGETS): Diagnostic[] {
  const diags = new Diagnostics();
  const ctx = makeContext(program, targets, diags);
  for (const rule of RULES) rule.check(ctx);
  return diags.list;
}

/** Where a diagnostic points: the name the model kit gave the location ("field t.a", "record t"). */
export function at(d: Diagnostic): string | undefined {
  return d.loc?.source.name;
}

export function summary(ds: readonly Diagnostic[]): string[] {
  return ds.map((d) => `${d.code} ${at(d)}`);
}
