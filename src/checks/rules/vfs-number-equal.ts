/**
 * ABI102: on some target an ioctl's number equals a command that fs/ioctl.c handles before the
 * driver's ->unlocked_ioctl (FIONCLEX, FIGETBSZ, FS_IOC_GETFLAGS, …). An error: the driver would
 * not be called (or only on some fds), and every tool that sends the number means the VFS
 * command. Targets are compared one by one: FS_IOC_GETFLAGS is _IOR('f', 1, long), so a u32
 * argument meets it only where long is 4 bytes. A spec ioctl named like the command describes
 * it (specs/tty.abi's FIONREAD) and is not reported.
 */
import { hex32 } from "../../targets/ioctl-encoding.js";
import type { Rule } from "../rule.js";
import { specVfsClashes } from "../vfs-clash-table.js";
import { groupTargets, targetList } from "../target-groups.js";
import { reachText } from "../../conflicts/vfs-clashes.js";

export const vfsNumberEqual: Rule = {
  name: "vfs-number-equal",
  codes: ["ABI102"],
  check(ctx) {
    for (const c of specVfsClashes(ctx.program, ctx.targets)) {
      if (c.equal.length === 0 || c.describes) continue;
      const eq = new Map(c.equal.map((h) => [h.target, h.spec]));
      const where = groupTargets(ctx.targets, (t) => eq.get(t))
        .map((g) => `${hex32(g.value)} on ${targetList(g.targets, ctx.targets)}`)
        .join("; ");
      const elsewhere = c.equal.length < ctx.targets.length ? " (other targets: different numbers)" : "";
      ctx.report("ABI102", c.ioctl, {
        message:
          `ioctl \`${c.ioctl.name}\` has the number of the VFS command ${c.command.name}: ${where}${elsewhere}; ` +
          `${c.command.handledBy.replace(/`/g, "")} — ${reachText(c.command)}`,
        hint: "choose another nr or magic type; `abigen decode <number>` shows what the VFS does with a number",
        loc: c.ioctl.loc,
      });
    }
  },
};
