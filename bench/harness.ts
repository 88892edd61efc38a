/**
 * A tiny benchmark harness: every contender of a comparison runs in the same process on the same
 * input, interleaved (round r runs A, B, C, … then the next round in a rotated order), after a
 * warm-up that also calibrates how many operations fill one round. The result per contender is
 * the median ops/s over the rounds, with the spread (min–max over rounds) to show how noisy the
 * machine was. Ratios between contenders of one comparison are what the report states: on shared
 * machines absolute times drift, ratios measured interleaved mostly do not.
 *
 * Before every measured batch the harness collects garbage (when Node runs with --expose-gc, as
 * `npm run bench` does), outside the timing: otherwise a contender pays for collecting the
 * garbage its predecessor in the rotation left behind, and the fixed rotation makes that the
 * same predecessor every round (measured: the same encoder went 0.87× → 1.04× of another by
 * swapping their neighbours). With it, each batch pays for its own garbage only.
 */
import { performance } from "node:perf_hooks";

export interface Contender {
  readonly name: string;
  /** One operation. Its result is kept (so the work cannot be optimised away). */
  readonly op?: () => unknown;
  /**
   * Or: run `n` operations elsewhere (a C process) and return the milliseconds they took, as
   * measured there.
   */
  readonly batch?: (n: number) => number;
}

export interface Measured {
  readonly name: string;
  /** Median over rounds. */
  readonly opsPerSec: number;
  readonly nsPerOp: number;
  readonly minOpsPerSec: number;
  readonly maxOpsPerSec: number;
  readonly rounds: number;
  readonly opsPerRound: number;
}

export interface Options {
  /** Time spent warming up each contender (also used to calibrate). */
  readonly warmupMs?: number;
  /** Target duration of one contender's batch in one round. */
  readonly roundMs?: number;
  readonly rounds?: number;
}

/** Defaults sized so a comparison of 3–4 contenders takes ~1.5–2 s. */
const DEFAULTS = { warmupMs: 150, roundMs: 30, rounds: 11 } as const;

let sink: unknown;
/** Read by nobody; exported so the engine must assume it is observed. */
export function blackhole(): unknown {
  return sink;
}

const collectGarbage = (globalThis as { gc?: () => void }).gc;

function runBatch(c: Contender, n: number): number {
  if (c.batch !== undefined) return c.batch(n);
  const op = c.op;
  if (op === undefined) throw new Error(`contender ${c.name} has neither op nor batch`);
  let last: unknown;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) last = op();
  const dt = performance.now() - t0;
  sink = last;
  return dt;
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Measures the contenders interleaved; results in the contenders' order. */
export function compare(contenders: readonly Contender[], options: Options = {}): Measured[] {
  const { warmupMs, roundMs, rounds } = { ...DEFAULTS, ...options };
  // Warm-up and calibration: run each until warmupMs has passed, in growing batches.
  const perRound = contenders.map((c) => {
    let n = 1;
    let spent = 0;
    let done = 0;
    while (spent < warmupMs) {
      spent += runBatch(c, n);
      done += n;
      n *= 2;
    }
    const msPerOp = spent / done;
    return Math.max(1, Math.round(roundMs / msPerOp));
  });
  const samples: number[][] = contenders.map(() => []);
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < contenders.length; k++) {
      const i = (k + r) % contenders.length; // rotate who goes first
      const n = perRound[i]!;
      collectGarbage?.();
      const ms = runBatch(contenders[i]!, n);
      samples[i]!.push((n / ms) * 1000);
    }
  }
  return contenders.map((c, i) => {
    const s = samples[i]!;
    const ops = median(s);
    return {
      name: c.name,
      opsPerSec: ops,
      nsPerOp: 1e9 / ops,
      minOpsPerSec: Math.min(...s),
      maxOpsPerSec: Math.max(...s),
      rounds: s.length,
      opsPerRound: perRound[i]!,
    };
  });
}

/** Compact number formatting for the report: 1234567 → "1.23 M". */
export function si(n: number): string {
  const units: [number, string][] = [[1e9, " G"], [1e6, " M"], [1e3, " k"]];
  for (const [f, u] of units) if (Math.abs(n) >= f) return `${(n / f).toPrecision(3)}${u}`;
  return n.toPrecision(3);
}

export function ratio(a: number, b: number): number {
  return Math.round((a / b) * 100) / 100;
}
