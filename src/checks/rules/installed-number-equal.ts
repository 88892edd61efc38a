/**
 * ABI104: an ioctl's number equals, on the target the headers were scanned for, an ioctl of
 * another name in the installed kernel headers. An error: a driver gets whatever number user
 * space passes on its fd, so a program (or fuzzer, or library) that sends the other ioctl to
 * this fd — or this one to the other driver's fd — is obeyed with the wrong meaning, and
 * strace and every decoder show the other name. Needs a scan, so it is not in RULES: see
 * installedRules().
 */
import { hex32 } from "../../targets/ioctl-encoding.js";
import type { ScanResult } from "../../scan/scan.js";
import type { Rule } from "../rule.js";
import { entryLabel, installedClashes } from "../../conflicts/installed-clashes.js";

export function installedNumberEqual(scan: ScanResult): Rule {
  return {
    name: "installed-number-equal",
    codes: ["ABI104"],
    check(ctx) {
      for (const c of installedClashes(ctx.program, scan)) {
        if (c.equal.length === 0) continue;
        ctx.report("ABI104", c.ioctl, {
          message:
            `ioctl \`${c.ioctl.name}\` is ${hex32(c.number)} on ${c.target.name}, the number of ` +
            `${c.equal.map(entryLabel).join(", ")} in the installed headers: a program that sends one to the ` +
            `other's driver gets the wrong operation instead of ENOTTY, and strace names the other one`,
          hint: "choose another nr or magic type; `abigen conflicts --format html` maps the free slots",
          loc: c.ioctl.loc,
        });
      }
    },
  };
}
