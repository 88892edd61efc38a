/**
 * ABI106: the family's own header is installed and defines an ioctl of the same name with
 * another number (on the scanned target). The spec and the kernel disagree about an ABI that
 * already exists — a wrong argument size or direction in the spec, or an incompatible change.
 * Needs a scan; see installedRules().
 */
import { hex32 } from "../../targets/ioctl-encoding.js";
import type { ScanResult } from "../../scan/scan.js";
import type { Rule } from "../rule.js";
import { installedClashes } from "../../conflicts/installed-clashes.js";

export function installedDefinitionDiffers(scan: ScanResult): Rule {
  return {
    name: "installed-definition-differs",
    codes: ["ABI106"],
    check(ctx) {
      for (const c of installedClashes(ctx.program, scan)) {
        for (const e of c.differs) {
          ctx.report("ABI106", c.ioctl, {
            message:
              `ioctl \`${c.ioctl.name}\` is ${hex32(c.number)} on ${c.target.name}, but the installed ${e.header} ` +
              `defines it as ${hex32(e.number)} (${e.dir ?? "?"}, size ${e.size})`,
            hint: "make the spec's direction and argument type match the header (`abigen decode` splits both numbers)",
            loc: c.ioctl.loc,
          });
        }
      }
    },
  };
}
