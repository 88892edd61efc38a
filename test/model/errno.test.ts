/** ERRNO against the kernel's own headers, when they are installed (linux-libc-dev). */
import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ERRNO } from "../../src/model/errno.js";

const HEADERS = ["/usr/include/asm-generic/errno-base.h", "/usr/include/asm-generic/errno.h"];
const have = HEADERS.every((h) => existsSync(h));
if (!have) console.warn("SKIPPED: errno names vs asm-generic headers: /usr/include/asm-generic/errno*.h not installed");

describe("errno names", () => {
  it.skipIf(!have)("are exactly those of asm-generic/errno-base.h and errno.h, with their numbers", () => {
    const defined = new Map<string, number>();
    for (const h of HEADERS) {
      for (const m of readFileSync(h, "utf8").matchAll(/^#define\s+(E\w+)\s+(\w+)/gm)) {
        const v = /^\d+$/.test(m[2]!) ? Number(m[2]) : defined.get(m[2]!);
        if (v !== undefined) defined.set(m[1]!, v);
      }
    }
    expect(defined.size).toBeGreaterThan(100);
    expect(new Map([...ERRNO].sort())).toEqual(new Map([...defined].sort()));
  });

  it("include the ones ioctl specs document most", () => {
    for (const n of ["EINVAL", "EFAULT", "ENOTTY", "ENOMEM", "EBUSY", "EEXIST", "EPERM", "ENOENT", "EOPNOTSUPP"]) {
      expect(ERRNO.has(n), n).toBe(true);
    }
  });
});
