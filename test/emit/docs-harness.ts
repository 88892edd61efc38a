/** The shipped specs compiled once and their docs emitted once, shared by the docs tests. */
import { compileSpecs } from "../../src/compiler.js";
import { emitDocs } from "../../src/emit/docs/index.js";
import type { OutputFiles } from "../../src/emit/output.js";
import type { Program } from "../../src/model/model.js";
import type { Target } from "../../src/targets/targets.js";

let cached: { program: Program; targets: readonly Target[]; files: OutputFiles } | undefined;

export function shippedDocs(): { program: Program; targets: readonly Target[]; files: OutputFiles } {
  if (!cached) {
    const r = compileSpecs(["specs"]);
    if (!r.program || r.hasErrors) throw new Error("specs/ does not compile");
    cached = { program: r.program, targets: r.targets, files: emitDocs(r.program, r.targets) };
  }
  return cached;
}
