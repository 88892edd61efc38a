/**
 * ABI055: two ioctls whose request numbers are equal on some target — the driver cannot tell
 * them apart there. Legacy numbers (with their per-target overrides) take part.
 */
import { ioctlNumber } from "../../layout/ioctl-numbers.js";
import { hex32 } from "../../targets/ioctl-encoding.js";
import type { Rule } from "../rule.js";
import { allIoctls } from "../ioctls.js";
import { groupTargets, targetList } from "../target-groups.js";

export const ioctlNumberEqual: Rule = {
  name: "ioctl-number-equal",
  codes: ["ABI055"],
  check(ctx) {
    const ioctls = allIoctls(ctx.program);
    const numbers = new Map(ioctls.map((io) => [io, new Map(ctx.targets.map((t) => [t, ioctlNumber(io, t)]))]));
    for (const [j, io] of ioctls.entries()) {
      const mine = numbers.get(io)!;
      const clashes = ioctls
        .slice(0, j)
        .filter((o) => ctx.targets.some((t) => numbers.get(o)!.get(t) === mine.get(t)));
      const first = clashes[0];
      if (!first) continue;
      const theirs = numbers.get(first)!;
      const groups = groupTargets(ctx.targets, (t) => (theirs.get(t) === mine.get(t) ? mine.get(t) : undefined));
      const where = groups.map((g) => `${hex32(g.value)} on ${targetList(g.targets, ctx.targets)}`).join("; ");
      ctx.report("ABI055", io, {
        message:
          `ioctl \`${io.name}\` has the same number as \`${first.name}\`` +
          (clashes.length > 1 ? ` (and ${clashes.length - 1} more)` : "") +
          `: ${where}`,
        hint: "give it another nr (or magic type); two ioctls with one number cannot be told apart",
        loc: io.loc,
        related: clashes.map((o) => ({ message: `\`${o.name}\` declared here`, loc: o.loc })),
      });
    }
  },
};
