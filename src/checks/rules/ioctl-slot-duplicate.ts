/**
 * ABI054: two ioctls in the same (magic type, nr) slot whose numbers nevertheless differ (their
 * direction or argument size differs). The kernel could tell them apart, but the slot is the
 * unit of the ioctl-number registry and of most drivers' switch statements, so it is an error.
 * When the full numbers are equal as well, ABI055 (the stronger problem) is reported instead.
 */
import type { IoctlModel } from "../../model/model.js";
import { ioctlNumber } from "../../layout/ioctl-numbers.js";
import type { Rule } from "../rule.js";
import { allIoctls, showMagic } from "../ioctls.js";

export const ioctlSlotDuplicate: Rule = {
  name: "ioctl-slot-duplicate",
  codes: ["ABI054"],
  check(ctx) {
    const ioctls = allIoctls(ctx.program);
    const sameNumberSomewhere = (a: IoctlModel, b: IoctlModel) =>
      ctx.targets.some((t) => ioctlNumber(a, t) === ioctlNumber(b, t));
    for (const [j, io] of ioctls.entries()) {
      const earlier = ioctls
        .slice(0, j)
        .filter((o) => o.magic === io.magic && o.nr === io.nr && !sameNumberSomewhere(o, io));
      const first = earlier[0];
      if (!first) continue;
      ctx.report("ABI054", io, {
        message:
          `ioctl \`${io.name}\` uses the slot (type ${showMagic(io.magic)}, nr ${io.nr}) of \`${first.name}\`` +
          (earlier.length > 1 ? ` (and ${earlier.length - 1} more)` : "") +
          ` (${io.dir} vs ${first.dir}; only the direction or size differs)`,
        hint: "give each ioctl its own nr within the magic type",
        loc: io.loc,
        related: earlier.map((o) => ({ message: `\`${o.name}\` declared here`, loc: o.loc })),
      });
    }
  },
};
