/** ABI051: the magic type of an encoded ioctl is one byte (the 8-bit type field). */
import type { Rule } from "../rule.js";
import { allIoctls } from "../ioctls.js";

export const ioctlTypeByte: Rule = {
  name: "ioctl-type-byte",
  codes: ["ABI051"],
  check(ctx) {
    for (const io of allIoctls(ctx.program)) {
      if (io.legacy || (Number.isInteger(io.magic) && io.magic >= 0 && io.magic <= 255)) continue;
      ctx.report("ABI051", io, {
        message: `ioctl \`${io.name}\` has magic type ${io.magic}, which is not one byte (0..255)`,
        hint: "use a one-byte magic such as a character constant ('G'); see Documentation/userspace-api/ioctl/ioctl-number.rst for free ones",
        loc: io.loc,
      });
    }
  },
};
