import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Registry } from "../../src/registry/registry.js";
import type { RegistryRow } from "../../src/registry/rst-table.js";
import { scanHeaders, scanCommand, type ScanResult } from "../../src/scan/scan.js";
import { cValues, haveCompiler } from "../helpers/c-values.js";

const GCC = haveCompiler("gcc");
if (!GCC) console.warn("SKIPPED: gcc is not installed; the header scan cannot be tested");

const GOOD = `#ifndef FIX_GOOD_H
#define FIX_GOOD_H
#include <linux/types.h>
#include <linux/ioctl.h>
struct fix_pair { __u32 a; __u64 b; };
#define FIX_NONE   _IO('q', 0x01)
#define FIX_GET    _IOR('q', 0x02, struct fix_pair)
#define FIX_SET    _IOW('q', 0x03, __u32)
#define FIX_XCHG   _IOWR('q', 0x04, struct fix_pair) /* a comment with _IO('z', 1) in it */
#define FIX_IOW(nr, t) _IOW('q', nr, t)
#define FIX_VIA_WRAPPER \\
        FIX_IOW(0x05, __u16)
#define FIX_ALIAS  FIX_GET
#define FIX_BROKEN _IOR('q', 0x06, struct fix_missing)
#define FIX_UNDECL _IOW('q', 0x07, fix_no_such_t)
#ifdef __KERNEL__
#define FIX_KERNEL_ONLY _IO('q', 0x08)
#endif
#define FIX_NOT_IOCTL 0x7102
#endif
`;
// Uses size_t without including <stddef.h>: compiles only after the prelude.
const NEEDS = `#include <linux/ioctl.h>
#define NEED_SZ _IOR('q', 0x10, size_t)
`;
const BROKEN = `#include <linux/ioctl.h>
#error this header cannot be used
#define BROKEN_ONE _IO('q', 0x20)
`;
// Bare numbers count only inside a registry row that names this header.
const LEGACY = `#define FIX_LEGACY_A 0x7101
#define FIX_LEGACY_OUTSIDE 0x7190
#define FIX_FLAG 0x0004
`;

const row: RegistryRow = {
  type: 0x71, nrFirst: 0x00, nrLast: 0x1f, include: "fix/legacy.h", comment: "", conflict: false, line: 1,
  code: "'q'", seq: "00-1F", headers: ["fix/legacy.h"],
};

describe.skipIf(!GCC)("scanHeaders on a fixture include directory", () => {
  let dir: string;
  let cache: string;
  let r: ScanResult;
  const opts = () => ({ dir, cache, registry: new Registry([row]), progress: false, jobs: 2 });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "abigen-scan-"));
    cache = join(dir, ".cache");
    mkdirSync(join(dir, "fix"));
    writeFileSync(join(dir, "fix/good.h"), GOOD);
    writeFileSync(join(dir, "fix/needs.h"), NEEDS);
    writeFileSync(join(dir, "fix/broken.h"), BROKEN);
    writeFileSync(join(dir, "fix/legacy.h"), LEGACY);
    writeFileSync(join(dir, "fix/nothing.h"), "#define NOT_AN_IOCTL 1\n");
    r = await scanHeaders(opts());
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("counts headers, values and failures", () => {
    expect(r.headersScanned).toBe(5);
    expect(r.headersWithCandidates).toBe(4);
    expect(r.entries.map((e) => e.name).sort()).toEqual(
      ["FIX_ALIAS", "FIX_GET", "FIX_LEGACY_A", "FIX_NONE", "FIX_SET", "FIX_VIA_WRAPPER", "FIX_XCHG", "NEED_SZ"],
    );
    expect(r.failures.map((f) => [f.name, f.reason])).toEqual([
      ["BROKEN_ONE", "header does not compile"],
      ["FIX_BROKEN", "incomplete type"],
      ["FIX_KERNEL_ONLY", "not defined when the header is included"],
      ["FIX_UNDECL", "undeclared name"],
    ]);
    expect(r.summary).toMatchObject({ candidates: 12, evaluated: 8, failed: 4, neededPrelude: 1 });
    expect(r.headerErrors).toEqual([{ header: "fix/broken.h", message: "#error this header cannot be used" }]);
    expect(r.headersNeedingPrelude).toEqual(["fix/needs.h"]);
  });

  it("takes every value from the C compiler", () => {
    const names = r.entries.map((e) => e.name);
    const fields = names.flatMap((n) => [n, `_IOC_DIR(${n})`, `_IOC_TYPE(${n})`, `_IOC_NR(${n})`, `_IOC_SIZE(${n})`]);
    const truth = cValues(fields, {
      prelude: "#include <stddef.h>\n#include <fix/good.h>\n#include <fix/needs.h>\n#include <fix/legacy.h>\n",
      args: ["-I", dir],
    });
    const dirName = ["none", "write", "read", "readwrite"];
    expect(r.entries.map((e) => [e.name, e.number, e.dir, e.type, e.nr, e.size])).toEqual(
      names.map((n, i) => [n, truth[5 * i], dirName[truth[5 * i + 1]!], truth[5 * i + 2], truth[5 * i + 3], truth[5 * i + 4]]),
    );
    expect(r.entries.find((e) => e.name === "FIX_LEGACY_A")!.kind).toBe("legacy");
    expect(r.entries.find((e) => e.name === "FIX_GET")!.header).toBe("fix/good.h");
  });

  it("reuses the cache until a header changes", async () => {
    const again = await scanHeaders(opts());
    expect(again.fromCache).toBe(true);
    expect(again.entries).toEqual(r.entries);
    utimesSync(join(dir, "fix/nothing.h"), new Date(), new Date(Date.now() + 5000));
    const fresh = await scanHeaders(opts());
    expect(fresh.fromCache).toBe(false);
  });

  it("scanCommand prints the summary with the failure reasons", async () => {
    const out: string[] = [];
    const code = await scanCommand([dir, "--no-cache", "--list"], { out: (s) => out.push(s), err: (s) => out.push(s) });
    const text = out.join("\n");
    expect(code).toBe(0);
    expect(text).toMatch(/FIX_XCHG\s+0xc0107104\s+readwrite/);
    expect(text).toContain("4 macros could not be evaluated");
    expect(text).toContain("header fix/broken.h does not compile: #error this header cannot be used");
    expect(await scanCommand(["a", "b"], { out: () => {}, err: () => {} })).toBe(2);
  });
});

describe.skipIf(!GCC)("scanHeaders on the real /usr/include", () => {
  const NAMES = ["KVM_RUN", "KVM_GET_API_VERSION", "KVM_CREATE_VM", "TIOCGWINSZ", "FIONREAD", "TIOCINQ", "TCGETS"];
  it("finds KVM and tty ioctls with the values C gives", async () => {
    const r = await scanHeaders({ only: ["linux/kvm.h", "asm-generic/ioctls.h"], cache: false, progress: false });
    const truth = cValues(NAMES, { prelude: "#include <linux/kvm.h>\n#include <sys/ioctl.h>\n" });
    const found = NAMES.map((n) => r.entries.find((e) => e.name === n)?.number);
    expect(found).toEqual(truth);
    expect(r.entries.find((e) => e.name === "KVM_RUN")).toMatchObject({ header: "linux/kvm.h", dir: "none", type: 0xae, nr: 0x80, size: 0, kind: "ioc" });
    expect(r.entries.find((e) => e.name === "TIOCGWINSZ")).toMatchObject({ header: "asm-generic/ioctls.h", kind: "legacy" });
    expect(r.entries.length).toBeGreaterThan(150);
  });
});

// A full scan of /usr/include takes ~15 s on 2 cores: run it on purpose, not on every test run.
const FULL = process.env.ABIGEN_FULL_SCAN === "1";
if (!FULL) console.warn("SKIPPED: full /usr/include scan (set ABIGEN_FULL_SCAN=1 to run it)");
describe.skipIf(!GCC || !FULL)("full scan of /usr/include", () => {
  it("finishes within 60 s and evaluates most macros", async () => {
    const r = await scanHeaders({ cache: false, progress: false });
    expect(r.elapsedMs).toBeLessThan(60_000);
    expect(r.summary.evaluated).toBeGreaterThan(2000);
    expect(r.summary.failed / r.summary.candidates).toBeLessThan(0.1);
  }, 120_000);
});
