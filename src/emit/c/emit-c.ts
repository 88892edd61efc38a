/** All C outputs: the uapi headers (`c/linux/*.h`) and their layout tests (`c/test/*_layout.c`). */
import type { Program } from "../../model/model.js";
import type { Target } from "../../targets/targets.js";
import type { OutputFiles } from "../output.js";
import { emitCHeaders } from "./header.js";
import { emitCLayoutTests } from "./layout-test.js";

export function emitC(program: Program, targets: readonly Target[]): OutputFiles {
  return new Map([...emitCHeaders(program, targets), ...emitCLayoutTests(program, targets)]);
}
