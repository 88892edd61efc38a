/**
 * The C emitter on every shipped spec (specs/): each header compiles under C90 -pedantic, C++
 * and every target's compiler, and each layout test agrees with GCC on every target.
 */
import { describe, expect, it } from "vitest";
import { compileSpecs } from "../../src/compiler.js";
import { formatLoc } from "../../src/syntax/source.js";
import { emitC } from "../../src/emit/c/emit-c.js";
import { compileChecks, type GeneratedC } from "./c-checks.js";
import { writeTemp } from "./c-harness.js";
import { registry } from "../../src/registry/registry.js";

let generated: (GeneratedC & { families: string[][] }) | undefined;
function gen(): GeneratedC & { families: string[][] } {
  if (!generated) {
    const r = compileSpecs(["specs"]);
    if (!r.program || r.hasErrors) {
      const errors = r.diagnostics.filter((d) => d.severity === "error").map((d) => `${d.code} ${d.loc ? formatLoc(d.loc) : ""} ${d.message}`);
      throw new Error(`specs/ does not compile:\n${errors.join("\n")}`);
    }
    const files = emitC(r.program, r.targets);
    const families = r.program.families.map((f) => [f.name, f.header]);
    generated = { files, dir: writeTemp(files, "abigen-c-specs-"), families };
  }
  return generated;
}

describe("C outputs of specs/", () => {
  it("has a header and a layout test for every family", () => {
    const { families, files } = gen();
    expect(families.length).toBeGreaterThan(0);
    for (const [name, header] of families) {
      expect(files.has(`c/${header}`)).toBe(true);
      expect(files.has(`c/test/${name}_layout.c`)).toBe(true);
    }
  });

  it("asserts the seed numbers known from the original headers (x86_64)", () => {
    // From shared/data/seed-abis.md, computed there by the original C headers.
    // What x86_64's compiler checks: the checks common to every target, then its own block (the first).
    const x86 = (file: string): string => {
      const text = gen().files.get(file) ?? "";
      const seen = text.slice(0, text.indexOf("#elif"));
      expect(seen).toContain("/* x86_64 */");
      return seen;
    };
    expect(x86("c/test/uvirtio_layout.c")).toContain("ABIGEN_EQ(UV_DEV_CREATE, 0x40185601u);");
    expect(x86("c/test/uvirtio_layout.c")).toContain("ABIGEN_EQ(UV_DEV_EXPECT, 0x4e005602u);");
    expect(x86("c/test/uvirtio_layout.c")).toContain("ABIGEN_EQ(sizeof(struct uvirtio_expect), 3584);");
    expect(x86("c/test/uio_msi_layout.c")).toContain("ABIGEN_EQ(UIO_MSI_IRQ_SET, 0x40084987u);");
  });

  it("writes the uvirtio header in kernel form", () => {
    const h = gen().files.get("c/linux/uvirtio.h") ?? "";
    expect(h.split("\n")[0]).toBe("/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */");
    expect(h).toContain("#ifndef _UAPI_LINUX_UVIRTIO_H");
    expect(h).toMatch(/\t\} expects\[(UVIRTIO_MAX_EXPECTS|8)\];\n/);
    expect(h).toMatch(/#define UV_DEV_CREATE _IOW\((UVIRTIO_IOCTL_BASE|'V'), (1|0x1), struct uvirtio_setup\)\n/);
    // The registry data has 'V' rows of other headers (linux/vt.h, linux/videodev2.h: "all"): conflict!.
    expect(registry().rowsOverlapping(0x56, 1, 2).filter((r) => !r.headers.includes("linux/uvirtio.h")).length).toBeGreaterThan(0);
    expect(h).toMatch(/^ \* 'V'   01-02  linux\/uvirtio\.h +conflict!\n/m);
  });
});

compileChecks("specs", gen);
