/**
 * Generated outputs as data: each emitter returns files keyed by their path under the output
 * directory. The CLI writes them, or (`--check`) compares them with what is on disk.
 *
 * Outputs come in chunks (emit/index.ts: one per family, so a large program's hundreds of MiB
 * are never in memory at once); an OutputSync takes them one at a time and reports at the end.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { FamilyModel, Program } from "../model/model.js";

export type OutputFiles = Map<string, string>;

/** One family's outputs of one emitter, added to `into`; the program-wide work is done before. */
export type FamilyEmitter = (f: FamilyModel, into: OutputFiles) => void;

/** Every family's outputs of one emitter, in one map. */
export function emitFamilies(program: Program, emit: FamilyEmitter): OutputFiles {
  const files: OutputFiles = new Map();
  for (const f of program.families) emit(f, files);
  return files;
}

export interface StaleReport {
  /** Files whose content differs, or that are missing on disk. */
  readonly changed: string[];
  /** Files on disk under an owned directory that no emitter produces any more. */
  readonly extra: string[];
}

/** Paths (with `/`, relative to `dir`) of every file under `dir`. */
function listFiles(dir: string, prefix: string, out: string[]): void {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return; // no such directory: nothing in it
  }
  for (const e of entries) {
    const rel = `${prefix}/${e.name}`;
    if (e.isDirectory()) listFiles(join(dir, e.name), rel, out);
    else out.push(rel);
  }
}

/** Whether the file at `abs` holds exactly `bytes` (the size first: most changes change it). */
function sameOnDisk(abs: string, bytes: Buffer): boolean {
  const st = statSync(abs, { throwIfNoEntry: false });
  if (st === undefined || !st.isFile() || st.size !== bytes.length) return false;
  return readFileSync(abs).equals(bytes);
}

/**
 * Compares (and unless `check`, writes) outputs chunk by chunk: a file is written only when its
 * bytes differ from the disk's, so a rebuild that changes nothing writes nothing. `finish()`
 * then deletes (or, checking, reports) files under the owned top-level directories (json/, c/,
 * …) that no chunk produced.
 */
export class OutputSync {
  private readonly produced = new Set<string>();
  private readonly changed: string[] = [];
  private readonly madeDirs = new Set<string>();

  constructor(private readonly outDir: string, private readonly check: boolean) {}

  add(files: OutputFiles): void {
    for (const [p, content] of files) {
      this.produced.add(p);
      const abs = join(this.outDir, p);
      const bytes = Buffer.from(content, "utf8");
      if (sameOnDisk(abs, bytes)) continue;
      this.changed.push(p);
      if (this.check) continue;
      const dir = dirname(abs);
      if (!this.madeDirs.has(dir)) {
        mkdirSync(dir, { recursive: true });
        this.madeDirs.add(dir);
      }
      writeFileSync(abs, bytes);
    }
  }

  finish(): StaleReport {
    const owned = new Set([...this.produced].map((p) => p.split("/")[0]!));
    const extra: string[] = [];
    for (const d of owned) {
      const onDisk: string[] = [];
      listFiles(join(this.outDir, d), d, onDisk);
      for (const p of onDisk) if (!this.produced.has(p)) extra.push(p);
    }
    if (!this.check) for (const p of extra) rmSync(join(this.outDir, p));
    return { changed: this.changed.sort(), extra: extra.sort() };
  }
}

/** Consume every chunk; write changed files and delete stale ones unless `check`. */
export async function syncOutputs(outDir: string, chunks: AsyncIterable<OutputFiles> | Iterable<OutputFiles>, check: boolean): Promise<StaleReport> {
  const sync = new OutputSync(outDir, check);
  for await (const files of chunks) sync.add(files);
  return sync.finish();
}

export function compareOutputs(outDir: string, files: OutputFiles): StaleReport {
  const sync = new OutputSync(outDir, true);
  sync.add(files);
  return sync.finish();
}

/** Write changed files and delete stale ones; returns what was done. */
export function writeOutputs(outDir: string, files: OutputFiles): StaleReport {
  const sync = new OutputSync(outDir, false);
  sync.add(files);
  return sync.finish();
}
