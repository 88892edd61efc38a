import { readFileSync } from "node:fs";
import koffi from "koffi";
import { describe, expect, it } from "vitest";
import { errnoEntries, errnoName, errnoNumber, isErrnoName } from "../../src/runtime/errno.js";
import { cConstants, HAVE_GCC } from "./host-c.js";

const HEADERS = ["/usr/include/asm-generic/errno-base.h", "/usr/include/asm-generic/errno.h"];

/** Every name the kernel's asm-generic headers #define (the names only: values come from C). */
function headerNames(): string[] {
  const names: string[] = [];
  for (const h of HEADERS) {
    for (const m of readFileSync(h, "utf8").matchAll(/^#define\s+(E[A-Z0-9]+)\s/gm)) names.push(m[1]!);
  }
  return names;
}

if (!HAVE_GCC) console.warn("SKIPPED: errno vs C — gcc not found");

describe("runtime errno table", () => {
  it.skipIf(!HAVE_GCC)("matches the host's <errno.h> for every asm-generic name, both ways", () => {
    const names = headerNames();
    expect(names.length).toBeGreaterThan(130);
    const c = cConstants(["errno.h"], Object.fromEntries(names.map((n) => [n, n])));
    for (const name of names) {
      expect(isErrnoName(name), name).toBe(true);
      expect(errnoNumber(name), name).toBe(Number(c.get(name)));
    }
    // Reverse direction: each canonical name's number maps back to that name.
    for (const [name, num] of errnoEntries()) {
      expect(errnoName(num)).toBe(name);
      expect(Number(c.get(name)), name).toBe(num);
    }
  });

  it("agrees with koffi's host errno list (built from the host's C headers)", () => {
    for (const [name, num] of Object.entries(koffi.os.errno)) {
      expect(errnoNumber(name), name).toBe(num);
    }
  });

  it("reports aliases under their canonical name", () => {
    expect(errnoName(errnoNumber("EWOULDBLOCK"))).toBe("EAGAIN");
    expect(errnoName(errnoNumber("EDEADLOCK"))).toBe("EDEADLK");
    expect(errnoName(errnoNumber("ENOTSUP"))).toBe("EOPNOTSUPP");
  });

  it("rejects unknown names and marks unknown numbers", () => {
    expect(() => errnoNumber("ENOTANERRNO")).toThrow(/unknown errno name/);
    expect(errnoName(4095)).toBe("E4095?");
  });
});
