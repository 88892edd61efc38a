/**
 * One compiler measurement, run in its own process (bench/compiler.ts spawns it) so peak memory
 * (maxRSS) belongs to this spec alone. Prints one JSON line on stdout.
 *
 *   node --import tsx bench/compile-child.ts <spec dir> <out dir> full     # abigen as the CLI runs it
 *   node --import tsx bench/compile-child.ts <spec dir> <out dir> phases   # time per phase and emitter
 *
 * `compile` stops after the front end (parse, model, rules, layout on all targets).
 * `noformat` is `full` with the TS emitter's prettier pass off. `full`, `warm` and `rebuild` run
 * what the CLI runs, including its reuse of previously written TS files whose stamp matches
 * (src/emit/ts/format-stamp.ts); the parent sets the stage: `full` gets an empty out dir and an
 * empty prettier cache (ABIGEN_PRETTIER_CACHE) — a first build; `warm` an emptied out dir and the
 * cache `full` filled; `rebuild` the out dir `full` wrote and an empty cache — a fresh clone of a
 * repository with generated/ committed, as a user's CI runs `abigen specs/ --check`.
 * `phases` runs with the prettier cache off, so emit.ts.prettier is prettier's real cost.
 *
 * `full` is the pipeline the CLI runs for `abigen specs/` minus the installed-header conflict
 * checks (they need a cached /usr/include scan, which a synthetic family never matches) and the
 * ABI lock: compile (parse, model, rules, layout on all 16 targets), emitAll (JSON, C, docs, TS
 * formatted by prettier), write. `phases` times the same work piece by piece, and the TS emitter
 * once with and once without prettier.
 */
import { performance } from "node:perf_hooks";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { compileSpecs, findSpecFiles } from "../src/compiler.js";
import { emitChunks } from "../src/emit/index.js";
import { emitJson } from "../src/emit/json.js";
import { emitC } from "../src/emit/c/emit-c.js";
import { emitDocs } from "../src/emit/docs/index.js";
import { emitTsPackages } from "../src/emit/ts/index.js";
import { OutputSync, writeOutputs } from "../src/emit/output.js";
import { parseSource } from "../src/syntax/parse.js";
import { Source } from "../src/syntax/source.js";
import { Diagnostics } from "../src/diagnostics/diagnostic.js";

const MODES = ["full", "warm", "rebuild", "noformat", "phases", "compile"];
const [specDir, outDir, mode] = process.argv.slice(2);
if (specDir === undefined || outDir === undefined || mode === undefined || !MODES.includes(mode)) {
  console.error("usage: compile-child.ts <spec dir> <out dir> full|warm|rebuild|noformat|phases|compile");
  process.exit(2);
}

const ms: Record<string, number> = {};
async function time<T>(name: string, fn: () => T | Promise<T>): Promise<T> {
  const t0 = performance.now();
  const r = await fn();
  ms[name] = performance.now() - t0;
  return r;
}

const t0 = performance.now();
const result = await time("compile", () => compileSpecs([specDir]));
if (result.program === undefined || result.hasErrors) {
  console.log(JSON.stringify({ error: `the spec does not compile: ${result.diagnostics.length} diagnostics`, first: result.diagnostics[0]?.message }));
  process.exit(1);
}
const program = result.program;
const warnings = result.diagnostics.filter((d) => d.severity === "warning" && d.suppressed === undefined).length;

let files = 0;
let bytes = 0;
if (mode === "compile") {
  // front end only
} else if (mode === "full" || mode === "warm" || mode === "rebuild") {
  // As the CLI runs it: family by family, each chunk written before the next is emitted (so
  // peak memory is one family's outputs); emit and write are timed apart.
  ms.emit = 0;
  ms.write = 0;
  const sync = new OutputSync(outDir, false);
  const previous = (path: string): string | undefined => {
    try {
      return readFileSync(join(outDir, path), "utf8");
    } catch {
      return undefined;
    }
  };
  const chunks = emitChunks(program, result.targets, { previous });
  for (;;) {
    const t = performance.now();
    const next = await chunks.next();
    ms.emit += performance.now() - t;
    if (next.done === true) break;
    await time("chunk", () => sync.add(next.value));
    ms.write += ms.chunk!;
    files += next.value.size;
    for (const v of next.value.values()) bytes += v.length;
  }
  delete ms.chunk;
  const t = performance.now();
  sync.finish();
  ms.write += performance.now() - t;
} else if (mode === "noformat") {
  // emitAll's work with the TS emitter's prettier pass off (same outputs, unformatted TS).
  const out = await time("emit", async () => {
    const all = new Map<string, string>();
    for (const part of [emitJson(program, result.targets), emitC(program, result.targets), emitDocs(program, result.targets),
      await emitTsPackages(program, result.targets, { format: false })]) {
      for (const [p, c] of part) all.set(p, c);
    }
    return all;
  });
  await time("write", () => writeOutputs(outDir, out));
  files = out.size;
  for (const v of out.values()) bytes += v.length;
} else {
  // Parsing alone (a second parse of the same files: the front end's share of it).
  const paths = findSpecFiles([specDir]);
  const texts = paths.map((p) => [p, readFileSync(p, "utf8")] as const);
  await time("parse", () => {
    for (const [p, t] of texts) parseSource(new Source(p, t), new Diagnostics());
  });
  const targets = result.targets;
  await time("emit.json", () => emitJson(program, targets));
  await time("emit.c", () => emitC(program, targets));
  await time("emit.docs", () => emitDocs(program, targets));
  const raw = await time("emit.ts.noformat", () => emitTsPackages(program, targets, { format: false }));
  await time("emit.ts.prettier", () => emitTsPackages(program, targets, { format: true }));
  files = raw.size;
  for (const v of raw.values()) bytes += v.length;
}
const total = performance.now() - t0;
const usage = process.resourceUsage();
console.log(JSON.stringify({
  mode, ms, totalMs: total, maxRssMiB: usage.maxRSS / 1024, warnings,
  declarations: countDeclarations(program), files, bytes,
}));

function countDeclarations(p: typeof program): number {
  return p.families.reduce((n, f) => n + f.decls.length, 0);
}
