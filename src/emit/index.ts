/** Every output abigen writes into generated/, merged from the emitters. */
import type { Program } from "../model/model.js";
import type { Target } from "../targets/targets.js";
import { emitJson } from "./json.js";
import { emitC } from "./c/emit-c.js";
import { emitDocs } from "./docs/index.js";
import { emitTsPackages } from "./ts/index.js";
import type { OutputFiles } from "./output.js";

export async function emitAll(program: Program, targets: readonly Target[]): Promise<OutputFiles> {
  const files: OutputFiles = new Map();
  for (const part of [
    emitJson(program, targets),
    emitC(program, targets),
    emitDocs(program, targets),
    await emitTsPackages(program, targets),
  ]) {
    for (const [p, content] of part) files.set(p, content);
  }
  return new Map([...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
