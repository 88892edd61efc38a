/**
 * ABI055: two ioctls whose request numbers are equal on some target — the driver cannot tell
 * them apart there. Legacy numbers (with their per-target overrides) take part.
 *
 * Linear in the number of ioctls: per target, a map from number to the earlier ioctls that have
 * it, so each ioctl meets only those it actually clashes with.
 */
import { hex32 } from "../../targets/ioctl-encoding.js";
import type { Rule } from "../rule.js";
import { ioctlNumberTable } from "../ioctl-number-table.js";
import { groupTargets, targetList } from "../target-groups.js";

export const ioctlNumberEqual: Rule = {
  name: "ioctl-number-equal",
  codes: ["ABI055"],
  check(ctx) {
    const { ioctls, numbers } = ioctlNumberTable(ctx.program, ctx.targets);
    const index = new Map(ctx.targets.map((t, k) => [t, k]));
    // Targets whose numbers are all equal to an earlier target's (same encoding and sizes, no
    // legacy override between them) find the same clashes: only distinct columns are indexed.
    const columns = distinctColumns(numbers, ctx.targets.length);
    // byNumber[c]: number in column c → index of the one earlier ioctl with it, or the indices
    // (ascending) of all of them once there are several.
    const byNumber = columns.map(() => new Map<number, number | number[]>());
    for (let j = 0; j < ioctls.length; j++) {
      const io = ioctls[j]!;
      const mine = numbers[j]!;
      let clashing: Set<number> | undefined;
      for (let c = 0; c < columns.length; c++) {
        const seen = byNumber[c]!;
        const n = mine[columns[c]!]!;
        const prior = seen.get(n);
        if (prior === undefined) {
          seen.set(n, j);
        } else if (typeof prior === "number") {
          (clashing ??= new Set()).add(prior);
          seen.set(n, [prior, j]);
        } else {
          clashing ??= new Set();
          for (const i of prior) clashing.add(i);
          prior.push(j);
        }
      }
      if (clashing === undefined) continue;
      const clashes = [...clashing].sort((a, b) => a - b);
      const first = clashes[0]!;
      const theirs = numbers[first]!;
      const groups = groupTargets(ctx.targets, (t) => {
        const k = index.get(t)!;
        return theirs[k] === mine[k] ? mine[k] : undefined;
      });
      const where = groups.map((g) => `${hex32(g.value)} on ${targetList(g.targets, ctx.targets)}`).join("; ");
      ctx.report("ABI055", io, {
        message:
          `ioctl \`${io.name}\` has the same number as \`${ioctls[first]!.name}\`` +
          (clashes.length > 1 ? ` (and ${clashes.length - 1} more)` : "") +
          `: ${where}`,
        hint: "give it another nr (or magic type); two ioctls with one number cannot be told apart",
        loc: io.loc,
        related: clashes.map((i) => ({ message: `\`${ioctls[i]!.name}\` declared here`, loc: ioctls[i]!.loc })),
      });
    }
  },
};

/** Indices of the target columns of `numbers` that differ from every earlier column. */
function distinctColumns(numbers: readonly (readonly number[])[], width: number): number[] {
  const out: number[] = [];
  for (let k = 0; k < width; k++) {
    const dup = out.some((c) => numbers.every((row) => row[c] === row[k]));
    if (!dup) out.push(k);
  }
  return out;
}
