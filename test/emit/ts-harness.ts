/**
 * Shared by the TS emitter tests: compile the shipped specs once, emit the TS package into a
 * temp dir (unformatted unless asked: prettier is slow and the code runs the same) and import
 * its family modules.
 */
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { compileSpecs, type CompileResult } from "../../src/compiler.js";
import { emitTsPackages } from "../../src/emit/ts/index.js";
import { emitCHeaders } from "../../src/emit/c/header.js";
import type { OutputFiles } from "../../src/emit/output.js";
import type { Program, RecordModel } from "../../src/model/model.js";
import { declsOf } from "../../src/model/model.js";
import type { Target } from "../../src/targets/targets.js";

export const ROOT = join(import.meta.dirname, "..", "..");

let compiled: CompileResult | undefined;

/** The shipped specs, compiled with file names relative to the repo (as the CLI prints them). */
export function shippedProgram(): { program: Program; targets: readonly Target[] } {
  compiled ??= compileSpecs([join(ROOT, "specs")], { cwd: ROOT });
  if (!compiled.program || compiled.hasErrors) {
    throw new Error(`the shipped specs do not compile:\n${compiled.diagnostics.map((d) => d.message).join("\n")}`);
  }
  return { program: compiled.program, targets: compiled.targets };
}

export function writeFiles(files: OutputFiles, prefix = "abigen-ts-"): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  // The package's peer dependencies (koffi, @types/node for the stubs' fd runtime) resolve as
  // they would in an installed project.
  symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"), "dir");
  for (const [p, content] of files) {
    const abs = join(dir, p);
    mkdirSync(dirname(abs), { recursive: true });
    writeFileSync(abs, content);
  }
  return dir;
}

/**
 * The C uapi headers abigen emits for `program`, written to a temp dir: compile with
 * `-I <returned dir>` and `#include <linux/uvirtio.h>` as a user of the header would.
 */
export function writeCHeaders(program: Program, targets: readonly Target[]): string {
  const dir = mkdtempSync(join(tmpdir(), "abigen-c-"));
  for (const [path, text] of emitCHeaders(program, targets)) {
    const abs = join(dir, path.replace(/^c\//, ""));
    mkdirSync(dirname(abs), { recursive: true });
    writeFileSync(abs, text);
  }
  return dir;
}

export interface GeneratedTs {
  readonly files: OutputFiles;
  /** The directory holding `ts/`. */
  readonly dir: string;
}

export async function generateTs(program: Program, targets: readonly Target[], format = false): Promise<GeneratedTs> {
  const files = await emitTsPackages(program, targets, { format });
  return { files, dir: writeFiles(files) };
}

/** A generated family module, loaded through vitest's TS transform. */
export async function importFamily(gen: GeneratedTs, family: string): Promise<Record<string, unknown>> {
  return (await import(pathToFileURL(join(gen.dir, "ts", family, "index.ts")).href)) as Record<string, unknown>;
}

/** What the tests need of a codec (the generated ones are typed; tests reach them dynamically). */
export interface AnyCodec {
  readonly name: string;
  readonly targets: readonly string[];
  readonly SIZE: number;
  readonly ALIGN: number;
  encode(value: unknown): Uint8Array;
  encodeInto(view: DataView, offset: number, value: unknown): void;
  decode(bytes: Uint8Array | DataView, offset?: number): unknown;
  forTarget(target: string): AnyCodec;
}

/** Every named struct or union of the program with the family it lives in. */
export function namedRecords(program: Program): { family: string; rec: RecordModel }[] {
  return program.families.flatMap((f) => declsOf(f, "record").map((rec) => ({ family: f.name, rec })));
}

/** The PascalCase export name of a named record (as the emitter names it). */
export function exportName(rec: RecordModel): string {
  return rec.name.split("_").filter((w) => w !== "").map((w) => w[0]!.toUpperCase() + w.slice(1)).join("");
}

export function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("hex");
}
