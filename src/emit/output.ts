/**
 * Generated outputs as data: each emitter returns files keyed by their path under the output
 * directory. The CLI writes them, or (`--check`) compares them with what is on disk.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";

export type OutputFiles = Map<string, string>;

export interface StaleReport {
  /** Files whose content differs, or that are missing on disk. */
  readonly changed: string[];
  /** Files on disk under an owned directory that no emitter produces any more. */
  readonly extra: string[];
}

function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    const p = join(dir, entry);
    if (statSync(p).isDirectory()) out.push(...listFiles(p));
    else out.push(p);
  }
  return out;
}

/** Top-level directories (json/, c/, …) the given outputs own: anything else in them is stale. */
function ownedDirs(files: OutputFiles): string[] {
  return [...new Set([...files.keys()].map((p) => p.split("/")[0]!))];
}

export function compareOutputs(outDir: string, files: OutputFiles): StaleReport {
  const changed = [...files].filter(([p, content]) => {
    const abs = join(outDir, p);
    return !existsSync(abs) || readFileSync(abs, "utf8") !== content;
  }).map(([p]) => p);
  const extra = ownedDirs(files)
    .flatMap((d) => listFiles(join(outDir, d)))
    .map((abs) => relative(outDir, abs).split("\\").join("/"))
    .filter((p) => !files.has(p));
  return { changed: changed.sort(), extra: extra.sort() };
}

/** Write changed files and delete stale ones; returns what was done. */
export function writeOutputs(outDir: string, files: OutputFiles): StaleReport {
  const report = compareOutputs(outDir, files);
  for (const p of report.changed) {
    const abs = join(outDir, p);
    mkdirSync(dirname(abs), { recursive: true });
    writeFileSync(abs, files.get(p)!);
  }
  for (const p of report.extra) rmSync(join(outDir, p));
  return report;
}
