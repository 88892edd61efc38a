/** ABI050: the nr of an encoded ioctl must fit its 8-bit field; a larger one spills into the type byte. */
import type { Rule } from "../rule.js";
import { allIoctls } from "../ioctls.js";

export const ioctlNrRange: Rule = {
  name: "ioctl-nr-range",
  codes: ["ABI050"],
  check(ctx) {
    for (const io of allIoctls(ctx.program)) {
      // Legacy numbers are literal; their nr is decoded from the number and always fits.
      if (io.legacy || (Number.isInteger(io.nr) && io.nr >= 0 && io.nr <= 255)) continue;
      ctx.report("ABI050", io, {
        message: `ioctl \`${io.name}\` has nr ${io.nr}, outside 0..255 (the nr field is 8 bits)`,
        hint: "use a number from 0 to 255; a driver that needs more ioctls takes a second magic byte",
        loc: io.loc,
      });
    }
  },
};
