/**
 * ABI105: an ioctl uses the (type, nr) slot of an installed-header ioctl, with another number
 * (other direction or size). The kernel can tell them apart, so it is a warning, but the slot
 * is how drivers switch and how decoders name numbers (_IOC_NR). Needs a scan; see
 * installedRules().
 */
import { hex32 } from "../../targets/ioctl-encoding.js";
import type { ScanResult } from "../../scan/scan.js";
import type { Rule } from "../rule.js";
import { installedClashes } from "../../conflicts/installed-clashes.js";
import { rangeLabel } from "../../conflicts/labels.js";

export function installedSlotShared(scan: ScanResult): Rule {
  return {
    name: "installed-slot-shared",
    codes: ["ABI105"],
    check(ctx) {
      for (const c of installedClashes(ctx.program, scan)) {
        if (c.slot.length === 0) continue;
        ctx.report("ABI105", c.ioctl, {
          message:
            `ioctl \`${c.ioctl.name}\` (${hex32(c.number)} on ${c.target.name}) uses the slot ` +
            `${rangeLabel(c.ioctl.magic, c.ioctl.nr, c.ioctl.nr)} of installed ` +
            c.slot.map((e) => `${e.name} = ${hex32(e.number)} (${e.header})`).join(", "),
          hint: "choose a (type, nr) no installed header uses, or acknowledge with @allow(ABI105, \"reason\")",
          loc: c.ioctl.loc,
        });
      }
    },
  };
}
