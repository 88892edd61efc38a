/**
 * ABI103: an ioctl uses the (type, nr) slot of a command the VFS handles, with another number
 * (other direction or size), on some target. The VFS compares full numbers, so the driver is
 * still called; but the slot belongs to the VFS command in every table and decoder. A warning,
 * not reported when ABI102 (equal numbers on some target) already is.
 */
import { hex32 } from "../../targets/ioctl-encoding.js";
import type { Rule } from "../rule.js";
import { specVfsClashes } from "../vfs-clash-table.js";
import { targetList } from "../target-groups.js";
import { rangeLabel } from "../../conflicts/labels.js";

export const vfsSlotShared: Rule = {
  name: "vfs-slot-shared",
  codes: ["ABI103"],
  check(ctx) {
    for (const c of specVfsClashes(ctx.program, ctx.targets)) {
      if (c.equal.length > 0 || c.slot.length === 0 || c.describes) continue;
      const h = c.slot[0]!;
      ctx.report("ABI103", c.ioctl, {
        message:
          `ioctl \`${c.ioctl.name}\` uses the slot ${rangeLabel(c.ioctl.magic, c.ioctl.nr, c.ioctl.nr)} of the VFS command ` +
          `${c.command.name} on ${targetList(c.slot.map((x) => x.target), ctx.targets)} ` +
          `(another number: ${hex32(h.vfs)} vs ${hex32(h.spec)} on ${h.target.name})`,
        hint: "choose another nr or magic type: the slot is the VFS command's in every ioctl table",
        loc: c.ioctl.loc,
      });
    }
  },
};
