/** All C outputs: the uapi headers (`c/linux/*.h`) and their layout tests (`c/test/*_layout.c`). */
import type { Program } from "../../model/model.js";
import type { Target } from "../../targets/targets.js";
import { emitFamilies, type FamilyEmitter, type OutputFiles } from "../output.js";
import { cHeaderEmitter } from "./header.js";
import { cLayoutTestEmitter } from "./layout-test.js";

/** One family's header and layout test at a time (emit/index.ts streams families). */
export function cEmitter(program: Program, targets: readonly Target[]): FamilyEmitter {
  const header = cHeaderEmitter(program, targets);
  const test = cLayoutTestEmitter(targets);
  return (f, into) => {
    header(f, into);
    test(f, into);
  };
}

export function emitC(program: Program, targets: readonly Target[]): OutputFiles {
  return emitFamilies(program, cEmitter(program, targets));
}
