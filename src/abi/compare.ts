/** Small comparisons the diff engine shares: per-target values and rename pairing. */
import { at, type PerTarget } from "./lock-model.js";

export interface TargetGroup {
  readonly from: number | undefined;
  readonly to: number | undefined;
  readonly targets: string[];
}

/** Targets where two per-target values differ, grouped by (old, new) pair in target order. */
export function perTargetChanges(a: PerTarget, b: PerTarget, targets: readonly string[]): TargetGroup[] {
  const groups: TargetGroup[] = [];
  for (const t of targets) {
    const from = at(a, t);
    const to = at(b, t);
    if (from === to) continue;
    const g = groups.find((x) => x.from === from && x.to === to);
    if (g) g.targets.push(t);
    else groups.push({ from, to, targets: [t] });
  }
  return groups;
}

export function changedTargets(groups: readonly TargetGroup[]): string[] {
  return groups.flatMap((g) => g.targets);
}

/** "on every target" or "on i386, m68k". */
export function onTargets(ts: readonly string[], all: readonly string[]): string {
  return ts.length === all.length ? `on every target (${all.length})` : `on ${ts.join(", ")}`;
}

/** "8 → 12 on every target (16)" or "4 → 8 on x86_64, aarch64; 4 → 6 on m68k". */
export function describeGroups(groups: readonly TargetGroup[], all: readonly string[]): string {
  return groups.map((g) => `${g.from ?? "—"} → ${g.to ?? "—"} ${onTargets(g.targets, all)}`).join("; ");
}

/** Whether two per-target values agree on every one of the targets. */
export function sameOn(a: PerTarget, b: PerTarget, targets: readonly string[]): boolean {
  return targets.every((t) => at(a, t) === at(b, t));
}

function tokens(name: string): string[] {
  return name.toLowerCase().split("_").filter(Boolean);
}

/**
 * How alike two names are: the number of `_`-separated words they end with in common; when they
 * share none, half a point if their last words share a stem of 3+ letters (demo_stat, demo_stats).
 */
export function nameSimilarity(a: string, b: string): number {
  const x = tokens(a);
  const y = tokens(b);
  let n = 0;
  while (n < x.length && n < y.length && x[x.length - 1 - n] === y[y.length - 1 - n]) n++;
  if (n > 0) return n;
  const [p, q] = [x[x.length - 1] ?? "", y[y.length - 1] ?? ""];
  let k = 0;
  while (k < p.length && k < q.length && p[k] === q[k]) k++;
  return k >= 3 ? 0.5 : 0;
}

/**
 * Pair names that vanished with names that appeared, when `same` says the two are the same
 * thing under another name. Best-scoring pairs first (most trailing words in common: GH_VM_START
 * and GUNYAH_VM_START share three); each name pairs at most once; pairs scoring below
 * `minScore` are not renames. Deterministic: ties go to the alphabetically first names.
 */
export function pairRenames(
  olds: readonly string[],
  news: readonly string[],
  same: (o: string, n: string) => boolean,
  minScore = 1,
): Map<string, string> {
  const cands: { o: string; n: string; score: number }[] = [];
  for (const o of olds) for (const n of news) {
    const score = nameSimilarity(o, n);
    if (score >= minScore && same(o, n)) cands.push({ o, n, score });
  }
  cands.sort((p, q) => q.score - p.score || (p.o < q.o ? -1 : p.o > q.o ? 1 : p.n < q.n ? -1 : p.n > q.n ? 1 : 0));
  const out = new Map<string, string>();
  const taken = new Set<string>();
  for (const c of cands) {
    if (out.has(c.o) || taken.has(c.n)) continue;
    out.set(c.o, c.n);
    taken.add(c.n);
  }
  return out;
}
