/**
 * ABI054: two ioctls in the same (magic type, nr) slot whose numbers nevertheless differ (their
 * direction or argument size differs). The kernel could tell them apart, but the slot is the
 * unit of the ioctl-number registry and of most drivers' switch statements, so it is an error.
 * When the full numbers are equal as well, ABI055 (the stronger problem) is reported instead.
 *
 * Linear in the number of ioctls: earlier ioctls are indexed by slot, so each ioctl is compared
 * only with those sharing its slot.
 */
import type { Rule } from "../rule.js";
import { showMagic } from "../ioctls.js";
import { ioctlNumberTable } from "../ioctl-number-table.js";

export const ioctlSlotDuplicate: Rule = {
  name: "ioctl-slot-duplicate",
  codes: ["ABI054"],
  check(ctx) {
    const { ioctls, numbers } = ioctlNumberTable(ctx.program, ctx.targets);
    const sameNumberSomewhere = (a: number, b: number): boolean =>
      numbers[a]!.some((n, k) => n === numbers[b]![k]);
    // "magic:nr" → indices (ascending) of the ioctls seen so far in that slot.
    const bySlot = new Map<string, number[]>();
    for (const [j, io] of ioctls.entries()) {
      const slot = `${io.magic}:${io.nr}`;
      const before = bySlot.get(slot);
      if (before === undefined) {
        bySlot.set(slot, [j]);
        continue;
      }
      const earlier = before.filter((i) => !sameNumberSomewhere(i, j)).map((i) => ioctls[i]!);
      before.push(j);
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
