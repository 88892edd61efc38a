/**
 * Printing a diff: text grouped by family, breaking changes first (binary before source), each
 * line naming the kind; or JSON for tools. The order is deterministic: it follows the engine's
 * order (which follows the sorted lock) within each group.
 */
import type { Change } from "./change.js";

const RANK = { binary: 0, source: 1, none: 2 } as const;
const SUBJECTS = ["ioctl", "message", "command", "fd", "struct", "union", "enum", "flags", "const", "family", "targets"];

function subjectRank(c: Change): number {
  const i = SUBJECTS.indexOf(c.subject.split(" ")[0]!);
  return i < 0 ? SUBJECTS.length : i;
}

export function sortChanges(changes: readonly Change[]): Change[] {
  return changes
    .map((c, i) => ({ c, i }))
    .sort((x, y) =>
      (x.c.family < y.c.family ? -1 : x.c.family > y.c.family ? 1 : 0) ||
      (x.c.severity === y.c.severity ? 0 : x.c.severity === "breaking" ? -1 : 1) ||
      RANK[x.c.impact] - RANK[y.c.impact] ||
      subjectRank(x.c) - subjectRank(y.c) ||
      x.i - y.i)
    .map((x) => x.c);
}

export interface DiffSummary {
  readonly breaking: number;
  readonly compatible: number;
  readonly binary: number;
  readonly source: number;
}

export function summarizeChanges(changes: readonly Change[]): DiffSummary {
  return {
    breaking: changes.filter((c) => c.severity === "breaking").length,
    compatible: changes.filter((c) => c.severity === "compatible").length,
    binary: changes.filter((c) => c.impact === "binary").length,
    source: changes.filter((c) => c.impact === "source").length,
  };
}

function label(c: Change): string {
  if (c.severity === "compatible") return "compatible";
  return c.impact === "binary" ? "BREAKING (binary)" : "BREAKING (source)";
}

export function renderText(changes: readonly Change[]): string[] {
  const lines: string[] = [];
  const sorted = sortChanges(changes);
  const families = [...new Set(sorted.map((c) => c.family))];
  for (const fam of families) {
    const mine = sorted.filter((c) => c.family === fam);
    const s = summarizeChanges(mine);
    lines.push(`${fam}: ${s.breaking} breaking (${s.binary} binary, ${s.source} source), ${s.compatible} compatible`);
    // Messages name their subject (the ioctl, record, field and targets) themselves.
    for (const c of mine) lines.push(`  ${label(c)} [${c.kind}] ${c.message}`);
  }
  return lines;
}

export function renderJson(changes: readonly Change[], extra: Record<string, unknown> = {}): string {
  const sorted = sortChanges(changes);
  return JSON.stringify({ ...extra, summary: summarizeChanges(sorted), changes: sorted }, null, 2);
}
