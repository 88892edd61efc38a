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
    // byNumber[k]: number on targets[k] → indices (ascending) of the ioctls seen so far with it.
    const byNumber = ctx.targets.map(() => new Map<number, number[]>());
    for (const [j, io] of ioctls.entries()) {
      const mine = numbers[j]!;
      const clashing = new Set<number>();
      for (const [k, seen] of byNumber.entries()) {
        const list = seen.get(mine[k]!);
        if (list === undefined) seen.set(mine[k]!, [j]);
        else {
          for (const i of list) clashing.add(i);
          list.push(j);
        }
      }
      if (clashing.size === 0) continue;
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
