/** Every output abigen writes into generated/, merged from the emitters. */
import type { Program } from "../model/model.js";
import type { Target } from "../targets/targets.js";
import { jsonEmitter } from "./json.js";
import { cEmitter } from "./c/emit-c.js";
import { docsEmitter } from "./docs/index.js";
import { emitTsPackages } from "./ts/index.js";
import type { OutputFiles } from "./output.js";

export interface EmitOptions {
  /**
   * The file a previous build wrote at an output path (e.g. "ts/kvm/index.ts"), if any: the TS
   * emitter reuses a formatted file whose stamp matches instead of running prettier again, so a
   * fresh clone's `abigen specs/ --check` costs what a rebuild does.
   */
  readonly previous?: (relativePath: string) => string | undefined;
}

/**
 * The outputs in chunks: one per family (its JSON, C header, layout test and docs), then the TS
 * packages. A consumer that writes each chunk and lets it go (output.ts syncOutputs) holds one
 * family's outputs at a time instead of the whole program's (322 MiB at 10k declarations).
 */
export async function* emitChunks(program: Program, targets: readonly Target[], options: EmitOptions = {}): AsyncGenerator<OutputFiles> {
  const emitters = [jsonEmitter(targets), cEmitter(program, targets), docsEmitter(program, targets)];
  for (const f of program.families) {
    const files: OutputFiles = new Map();
    for (const emit of emitters) emit(f, files);
    yield files;
  }
  yield await emitTsPackages(program, targets, { previous: options.previous });
}

/** Every output in one map, sorted by path. */
export async function emitAll(program: Program, targets: readonly Target[]): Promise<OutputFiles> {
  const files: OutputFiles = new Map();
  for await (const part of emitChunks(program, targets)) {
    for (const [p, content] of part) files.set(p, content);
  }
  return new Map([...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
