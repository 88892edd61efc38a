/**
 * ABI100: a family's ioctl range (per magic type: min..max nr of the ioctls outside the family's
 * own ioctl-number.rst rows) overlaps rows that ioctl-number.rst gives to other headers. A
 * warning: the kernel routes by fd, so two drivers can share a range (the registry marks such
 * rows `conflict!`), but tools that decode numbers and anyone reading the registry are misled.
 * Reported once per family and type, on the first ioctl of the range.
 */
import { registry } from "../../registry/registry.js";
import type { Rule } from "../rule.js";
import { familyRanges, overlappedRows } from "../../registry/family-lines.js";
import { occupancy, slotLabel, suggestFree } from "../../conflicts/free-ranges.js";
import { rangeLabel, rowLabel } from "../../conflicts/labels.js";

export const registryRangeOverlap: Rule = {
  name: "registry-range-overlap",
  codes: ["ABI100"],
  check(ctx) {
    const reg = registry();
    const ranges = familyRanges(ctx.program, reg);
    const occ = occupancy(ranges);
    for (const range of ranges) {
      const rows = overlappedRows(range, reg);
      const first = range.uncovered[0];
      if (rows.length === 0 || !first || !range.claim) continue;
      const free = suggestFree(range, reg, occ).map(slotLabel);
      ctx.report("ABI100", first, {
        message:
          `family \`${range.family.name}\` uses ${rangeLabel(range.type, range.claim.nrFirst, range.claim.nrLast)}, ` +
          `which ioctl-number.rst gives to other headers: ${rows.map(rowLabel).join("; ")}`,
        hint:
          `move the family to a free range${free.length > 0 ? ` (${free.join(", ")})` : ""}, or keep it and register it ` +
          `marked conflict! (\`abigen conflicts --format rst\`), acknowledging with @allow(ABI100, "reason") here`,
        loc: first.loc,
      });
    }
  },
};
