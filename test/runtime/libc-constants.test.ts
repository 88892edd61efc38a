import { describe, expect, it } from "vitest";
import * as libc from "../../src/runtime/libc.js";
import { cConstants, HAVE_GCC } from "./host-c.js";

const NAMES = [
  "O_RDONLY", "O_WRONLY", "O_RDWR", "O_NOCTTY", "O_NONBLOCK", "O_CLOEXEC",
  "EFD_SEMAPHORE", "EFD_NONBLOCK", "EFD_CLOEXEC", "MFD_CLOEXEC",
  "PROT_READ", "PROT_WRITE", "MAP_SHARED", "MAP_PRIVATE", "MAP_FIXED", "MAP_ANONYMOUS",
  "POLLIN", "POLLOUT",
] as const;

if (!HAVE_GCC) console.warn("SKIPPED: libc constants vs C — gcc not found");

describe("libc.ts constants", () => {
  it.skipIf(!HAVE_GCC)("equal the host C headers' values", () => {
    const c = cConstants(
      ["fcntl.h", "poll.h", "sys/eventfd.h", "sys/mman.h"],
      { ...Object.fromEntries(NAMES.map((n) => [n, n])), MAP_FAILED: "(long)MAP_FAILED", PTR_BITS: "8 * sizeof(void *)" },
    );
    for (const name of NAMES) expect(libc[name], name).toBe(Number(c.get(name)));
    // koffi returns pointers as unsigned bigints: MAP_FAILED is C's (void *)-1 read that way.
    expect(libc.MAP_FAILED).toBe(BigInt.asUintN(Number(c.get("PTR_BITS")), c.get("MAP_FAILED")!));
  });
});
