/**
 * specs/tty.abi against every target's own kernel headers: the legacy tty/file ioctl numbers
 * (FIONREAD, TIOCGWINSZ, …) are irregular per architecture, so each target's number in the spec
 * must equal what that target's cross compiler computes from its sysroot's <asm/termios.h>
 * (which brings in asm/ioctls.h and the kernel's struct winsize). One compile per target.
 */
import { describe, expect, it } from "vitest";
import { join } from "node:path";
import { compileSpecs } from "../../src/compiler.js";
import { ioctlNumber } from "../../src/layout/ioctl-numbers.js";
import { declsOf } from "../../src/model/model.js";
import { hex32 } from "../../src/targets/ioctl-encoding.js";
import { TARGETS } from "../../src/targets/targets.js";
import { cValues, haveCompiler } from "../helpers/c-values.js";

const ROOT = join(import.meta.dirname, "..", "..");

function ttyIoctls() {
  const r = compileSpecs([join(ROOT, "specs", "tty.abi")], { cwd: ROOT });
  // FIONREAD equals the VFS command of the same name by design: it *is* that command.
  const errors = r.diagnostics.filter((d) => d.severity === "error" && d.code !== "ABI102");
  expect(errors.map((d) => `${d.code} ${d.message}`)).toEqual([]);
  const fam = r.program!.families.find((f) => f.name === "tty")!;
  return { ioctls: declsOf(fam, "ioctl"), records: declsOf(fam, "record") };
}

const present = TARGETS.filter((t) => haveCompiler(t.cc));
for (const t of TARGETS) if (!present.includes(t)) console.warn(`SKIPPED: tty numbers on ${t.name}: ${t.cc} is not installed`);

describe("specs/tty.abi numbers against each target's <asm/termios.h>", () => {
  it("declares the ioctls the runtime tests use", () => {
    expect(ttyIoctls().ioctls.map((io) => io.name)).toEqual(["FIONREAD", "TIOCGWINSZ", "TIOCSWINSZ", "TIOCGPTN", "TIOCSPTLCK", "TIOCGPTPEER"]);
  });

  for (const t of present) {
    it(`${t.name} (${t.cc})`, () => {
      const { ioctls } = ttyIoctls();
      const exprs = [...ioctls.map((io) => io.name), "sizeof(struct winsize)"];
      const c = cValues(exprs, { cc: t.cc, prelude: "#include <asm/termios.h>\n" });
      const mine = [...ioctls.map((io) => ioctlNumber(io, t)), 8];
      expect(mine.map(hex32)).toEqual(c.map(hex32));
    });
  }

  it.skipIf(present.length === 0)("the check can fail: a wrong number is caught", () => {
    const t = present[0]!;
    const [c] = cValues(["TIOCGWINSZ"], { cc: t.cc, prelude: "#include <asm/termios.h>\n" });
    expect(c).not.toBe(ioctlNumber(ttyIoctls().ioctls.find((io) => io.name === "TIOCSWINSZ")!, t));
  });
});
