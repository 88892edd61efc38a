/**
 * Grouping targets that agree, so a layout problem is reported once with the list of targets it
 * affects ("on x86_64, aarch64, …") instead of once per target.
 */
import type { Target } from "../targets/targets.js";

export interface TargetGroup<V> {
  readonly value: V;
  readonly targets: Target[];
}

/**
 * Targets grouped by `f`'s answer (targets where it answers undefined are left out), groups in
 * the order their first target appears. `key` says when two answers are the same.
 */
export function groupTargets<V>(
  targets: readonly Target[],
  f: (t: Target) => V | undefined,
  key: (v: V) => string = defaultKey,
): TargetGroup<V>[] {
  const groups = new Map<string, TargetGroup<V>>();
  for (const t of targets) {
    const v = f(t);
    if (v === undefined) continue;
    const k = key(v);
    const g = groups.get(k);
    if (g) g.targets.push(t);
    else groups.set(k, { value: v, targets: [t] });
  }
  return [...groups.values()];
}

/** Same answers, same key; numbers (the common answer: sizes, offsets, request numbers) skip JSON. */
function defaultKey(v: unknown): string {
  return typeof v === "number" ? `#${v}` : JSON.stringify(v);
}

/** "x86_64, i386" — or "every target" when the group is all the targets being checked. */
export function targetList(group: readonly Target[], all: readonly Target[]): string {
  if (all.length > 1 && group.length === all.length) return "every target";
  return group.map((t) => t.name).join(", ");
}

/** "offset 12" or "offsets 12..15" (inclusive byte range). */
export function byteRange(offset: number, size: number): string {
  return size === 1 ? `offset ${offset}` : `offsets ${offset}..${offset + size - 1}`;
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}
