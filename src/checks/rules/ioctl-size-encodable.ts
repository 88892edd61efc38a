/**
 * ABI052: sizeof(arg) must fit the number's size field: 14 bits (16383 bytes) on most targets,
 * 13 bits (8191) on powerpc, mips, sparc and alpha. A larger size spills into the direction bits.
 */
import { ioctlArgSize } from "../../layout/ioctl-numbers.js";
import { typeName } from "../../model/type-name.js";
import { maxSize } from "../../targets/ioctl-encoding.js";
import type { Rule } from "../rule.js";
import { allIoctls } from "../ioctls.js";
import { groupTargets, targetList } from "../target-groups.js";

export const ioctlSizeEncodable: Rule = {
  name: "ioctl-size-encodable",
  codes: ["ABI052"],
  check(ctx) {
    for (const io of allIoctls(ctx.program)) {
      if (io.legacy || !io.arg) continue;
      const groups = groupTargets(ctx.targets, (t) => {
        const size = ioctlArgSize(io, t);
        const max = maxSize(t.ioctl);
        return size > max ? { size, max, bits: t.ioctl.sizeBits } : undefined;
      });
      if (groups.length === 0) continue;
      const where = groups
        .map((g) => `${g.value.size} bytes on ${targetList(g.targets, ctx.targets)} (at most ${g.value.max}: ${g.value.bits}-bit size field)`)
        .join("; ");
      ctx.report("ABI052", io, {
        message: `argument \`${typeName(io.arg)}\` of ioctl \`${io.name}\` is too large for the number's size field: ${where}`,
        hint: "pass a small struct holding a u64 @ptr to the data and its length instead of the data itself",
        loc: io.loc,
      });
    }
  },
};
