/**
 * ABI101: two spec families claim overlapping unregistered ranges of one magic type (ranges as
 * in ABI100). Their registry rows would overlap each other. Shared slots are ABI054/ABI055;
 * this is the range-level warning. Reported on the later family's first ioctl of the type.
 */
import { registry } from "../../registry/registry.js";
import type { Rule } from "../rule.js";
import { familyRanges, overlappingClaims } from "../../registry/family-lines.js";
import { rangeLabel } from "../../conflicts/labels.js";

export const registrySpecOverlap: Rule = {
  name: "registry-spec-overlap",
  codes: ["ABI101"],
  check(ctx) {
    for (const { earlier, later } of overlappingClaims(familyRanges(ctx.program, registry()))) {
      const first = later.uncovered[0]!;
      const a = earlier.claim!;
      const b = later.claim!;
      ctx.report("ABI101", first, {
        message:
          `family \`${later.family.name}\` uses ${rangeLabel(later.type, b.nrFirst, b.nrLast)}, which overlaps ` +
          `${rangeLabel(earlier.type, a.nrFirst, a.nrLast)} of family \`${earlier.family.name}\``,
        hint: "give each family its own nr range (or its own magic type), so each gets one ioctl-number.rst row",
        loc: first.loc,
        related: [{ message: `\`${earlier.family.name}\`'s range starts here`, loc: earlier.uncovered[0]!.loc }],
      });
    }
  },
};
