/**
 * ABI053 (warning): a `none` ioctl (_IO) that takes a value argument. The number's size field
 * says "no argument", so tools (strace, compat layers, seccomp filters) cannot see it. Legacy
 * ioctls are exempt: their numbers are fixed history, nothing can be made explicit.
 */
import type { Rule } from "../rule.js";
import { allIoctls } from "../ioctls.js";

export const ioWithArgument: Rule = {
  name: "io-with-argument",
  codes: ["ABI053"],
  check(ctx) {
    for (const io of allIoctls(ctx.program)) {
      if (io.legacy || io.dir !== "none" || !io.value) continue;
      ctx.report("ABI053", io, {
        message: `ioctl \`${io.name}\` is _IO (no argument in its number) but takes a \`${io.value.type.name}\` value argument`,
        hint:
          "for a new ioctl pass the value through a struct with write(…); for a merged one keep it and " +
          "add @allow(ABI053, \"reason\")",
        loc: io.loc,
      });
    }
  },
};
