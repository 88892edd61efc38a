/**
 * `abigen scan [dir]`: every ioctl number defined in the installed kernel headers, with its
 * value computed by the C compiler (never by us).
 *
 *   list headers → find candidate macros by text → compile one unit per header, in parallel
 *   → decode each value → cache the result, keyed by the headers' identity.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { decodeIoctl, hex32 } from "../targets/ioctl-encoding.js";
import { findTarget, type Target } from "../targets/targets.js";
import type { IoctlDir } from "../syntax/ast.js";
import { registry as defaultRegistry, type Registry } from "../registry/registry.js";
import { findCandidates, type HeaderMacros } from "./candidates.js";
import { readCache, scanKey, writeCache } from "./cache.js";
import { evaluateHeader, type FailureReason, type HeaderOutcome, type MacroFailure } from "./evaluate.js";
import { listHeaders, type HeaderFile } from "./headers.js";
import { macroDefs } from "./macros.js";
import { progressFor } from "./progress.js";

export interface ScanOptions {
  /** Include directory to scan (default /usr/include: its kernel uapi subdirectories). */
  readonly dir?: string;
  /** The C compiler whose values are the truth (default gcc, the host's). */
  readonly cc?: string;
  /** Parallel compiles (default: available CPUs). */
  readonly jobs?: number;
  /** Cache directory, or false for none (default .abigen-cache in the working directory). */
  readonly cache?: string | false;
  /** Show a progress line (default: only on a TTY and not under CI=true). */
  readonly progress?: boolean;
  /** Registry used to recognise legacy bare-number ioctls (default: the committed one). */
  readonly registry?: Registry;
  /** Evaluate only these headers (by include name); all are still read for wrapper macros. */
  readonly only?: readonly string[];
  /** Target whose ioctl encoding decodes the values (default x86_64, the host gcc's). */
  readonly target?: Target;
}

export interface ScanEntry {
  readonly name: string;
  /** Include name of the header that defines it. */
  readonly header: string;
  readonly number: number;
  readonly dir: IoctlDir | undefined;
  readonly type: number;
  readonly nr: number;
  readonly size: number;
  readonly kind: "ioc" | "legacy";
}

export interface ScanResult {
  readonly key: string;
  readonly dir: string;
  readonly cc: string;
  readonly target: string;
  readonly fromCache: boolean;
  readonly elapsedMs: number;
  readonly headersScanned: number;
  readonly headersWithCandidates: number;
  /** Headers that compiled only after the prelude of common system headers. */
  readonly headersNeedingPrelude: readonly string[];
  /** Headers that compiled neither alone nor with the prelude, with the first error. */
  readonly headerErrors: readonly { header: string; message: string }[];
  readonly entries: readonly ScanEntry[];
  readonly failures: readonly MacroFailure[];
  readonly summary: {
    readonly candidates: number;
    readonly evaluated: number;
    readonly failed: number;
    readonly byReason: Partial<Record<FailureReason, number>>;
    readonly compiles: number;
    /** Macros that got a value only after the prelude of common system headers. */
    readonly neededPrelude: number;
  };
}

async function pool<T, R>(items: readonly T[], jobs: number, work: (item: T) => Promise<R>, onDone: (n: number, item: T) => void): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]!);
      onDone(++done, items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(jobs, items.length)) }, worker));
  return results;
}

interface Plan {
  readonly dir: string;
  readonly cc: string;
  readonly reg: Registry;
  readonly target: Target;
  readonly args: string[];
  readonly headers: HeaderFile[];
  readonly key: string;
  readonly cacheDir: string | undefined;
}

function plan(opts: ScanOptions): Plan {
  const dir = resolve(opts.dir ?? "/usr/include");
  const cc = opts.cc ?? "gcc";
  const reg = opts.registry ?? defaultRegistry();
  const target = opts.target ?? findTarget("x86_64")!;
  const args = dir === "/usr/include" ? [] : ["-I", dir];
  const headers = listHeaders(dir, cc);
  const regHash = createHash("sha256").update(JSON.stringify(reg.rows)).digest("hex");
  const key = scanKey({ dir, cc, args: [...args, target.name, regHash, ...(opts.only ?? [])], headers });
  const cacheDir = opts.cache === false ? undefined : resolve(opts.cache ?? ".abigen-cache");
  return { dir, cc, reg, target, args, headers, key, cacheDir };
}

/** The cached result for these options, if a scan of the same headers was saved; never compiles. */
export function cachedScan(opts: ScanOptions = {}): ScanResult | undefined {
  const p = plan(opts);
  const hit = p.cacheDir === undefined ? undefined : readCache<ScanResult>(p.cacheDir, p.key);
  return hit && { ...hit, fromCache: true };
}

export async function scanHeaders(opts: ScanOptions = {}): Promise<ScanResult> {
  const started = Date.now();
  const { dir, cc, reg, target, args, headers, key, cacheDir } = plan(opts);
  const only = opts.only === undefined ? undefined : new Set(opts.only);
  if (cacheDir) {
    const hit = readCache<ScanResult>(cacheDir, key);
    if (hit) return { ...hit, fromCache: true, elapsedMs: Date.now() - started };
  }

  const macros: HeaderMacros[] = headers.map((h) => ({ header: h.name, defs: macroDefs(readFileSync(h.path, "latin1")) }));
  const candidates = findCandidates(macros, reg);
  const work = [...candidates].filter(([h]) => only === undefined || only.has(h));
  // Big headers first, so one slow compile does not end up last.
  work.sort((a, b) => b[1].length - a[1].length);
  const progress = progressFor(opts.progress);
  const outcomes: HeaderOutcome[] = await pool(
    work, opts.jobs ?? availableParallelism(),
    ([header, cands]) => evaluateHeader(cc, args, header, cands),
    (n, [header]) => progress.tick(n, work.length, header),
  );
  progress.done();

  const entries: ScanEntry[] = [];
  const failures: MacroFailure[] = [];
  for (const o of outcomes) {
    failures.push(...o.failures);
    for (const v of o.values) {
      const d = decodeIoctl(target.ioctl, v.value);
      entries.push({ name: v.name, header: o.header, number: v.value, dir: d.dir, type: d.type, nr: d.nr, size: d.size, kind: v.kind });
    }
  }
  const byName = (a: { header: string; name: string }, b: { header: string; name: string }) =>
    a.header < b.header ? -1 : a.header > b.header ? 1 : a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
  entries.sort(byName);
  failures.sort(byName);
  const byReason: Partial<Record<FailureReason, number>> = {};
  for (const f of failures) byReason[f.reason] = (byReason[f.reason] ?? 0) + 1;
  const result: ScanResult = {
    key, dir, cc, target: target.name, fromCache: false, elapsedMs: Date.now() - started,
    headersScanned: headers.length,
    headersWithCandidates: work.length,
    headersNeedingPrelude: outcomes.filter((o) => o.neededPrelude).map((o) => o.header).sort(),
    headerErrors: outcomes.flatMap((o) => (o.headerError === undefined ? [] : [{ header: o.header, message: o.headerError }])).sort(byHeader),
    entries, failures,
    summary: {
      candidates: entries.length + failures.length, evaluated: entries.length, failed: failures.length, byReason,
      compiles: outcomes.reduce((s, o) => s + o.compiles, 0),
      neededPrelude: outcomes.reduce((s, o) => s + o.macrosNeedingPrelude, 0),
    },
  };
  if (cacheDir) writeCache(cacheDir, key, result);
  return result;
}

function byHeader(a: { header: string }, b: { header: string }): number {
  return a.header < b.header ? -1 : a.header > b.header ? 1 : 0;
}

export interface ScanIo {
  out(s: string): void;
  err(s: string): void;
}

export const SCAN_USAGE = `usage: abigen scan [dir] [--list] [--failures] [--json] [--no-cache] [--jobs N]
  Find every ioctl number defined in the headers under dir (default /usr/include) and
  compute its value with the C compiler.
      --list       print every number found (NAME  0xNUMBER  dir type nr size  header)
      --failures   print every macro that could not be evaluated, with the reason
      --json       print the whole result as JSON
      --no-cache   ignore and do not write .abigen-cache/`;

/** The CLI command; returns the exit status (2 for usage errors). */
export async function scanCommand(argv: string[], io: ScanIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv, allowPositionals: true,
      options: {
        list: { type: "boolean", default: false }, failures: { type: "boolean", default: false },
        json: { type: "boolean", default: false }, "no-cache": { type: "boolean", default: false },
        jobs: { type: "string" }, help: { type: "boolean", short: "h", default: false },
      },
    });
  } catch (e) {
    io.err(`abigen scan: ${(e as Error).message}\n${SCAN_USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.out(SCAN_USAGE);
    return 0;
  }
  if (positionals.length > 1) {
    io.err(`abigen scan: give at most one directory\n${SCAN_USAGE}`);
    return 2;
  }
  const jobs = values.jobs === undefined ? undefined : Number(values.jobs);
  if (jobs !== undefined && !(Number.isInteger(jobs) && jobs > 0)) {
    io.err(`abigen scan: --jobs must be a positive integer, not ${values.jobs}`);
    return 2;
  }
  const r = await scanHeaders({ dir: positionals[0], jobs, cache: values["no-cache"] ? false : undefined });
  if (values.json) {
    io.out(JSON.stringify(r, null, 1));
    return 0;
  }
  if (values.list) {
    for (const e of r.entries) {
      io.out(`${e.name.padEnd(40)} ${hex32(e.number)}  ${(e.dir ?? "?").padEnd(9)} 0x${e.type.toString(16).padStart(2, "0")} 0x${e.nr.toString(16).padStart(2, "0")} ${String(e.size).padStart(5)}  ${e.header}`);
    }
  }
  if (values.failures) for (const f of r.failures) io.out(`${f.header}: ${f.name}: ${f.reason}: ${f.message}`);
  io.out(formatSummary(r));
  return 0;
}

export function formatSummary(r: ScanResult): string {
  const lines = [
    `${r.summary.evaluated} ioctl numbers from ${r.headersWithCandidates} of ${r.headersScanned} headers in ${r.dir} ` +
      `(${r.cc}, ${r.fromCache ? "cached" : `${r.summary.compiles} compiles, ${(r.elapsedMs / 1000).toFixed(1)} s`})`,
  ];
  if (r.summary.failed > 0) {
    lines.push(`${r.summary.failed} macros could not be evaluated:`);
    for (const [reason, n] of Object.entries(r.summary.byReason).sort((a, b) => b[1] - a[1])) lines.push(`  ${String(n).padStart(5)}  ${reason}`);
  }
  if (r.summary.neededPrelude > 0) {
    lines.push(`${r.summary.neededPrelude} macros in ${r.headersNeedingPrelude.length} headers needed common system headers first (the header does not include what it uses)`);
  }
  for (const h of r.headerErrors) lines.push(`header ${h.header} does not compile: ${h.message}`);
  return lines.join("\n");
}
