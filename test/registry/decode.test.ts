import { describe, expect, it } from "vitest";
import { decodeCommand, decodeNumber, parseNumber } from "../../src/registry/decode.js";
import type { ScanResult } from "../../src/scan/scan.js";
import { TARGETS } from "../../src/targets/targets.js";
import { cValues, haveCompiler } from "../helpers/c-values.js";

// (macro, type, nr, size): numbers made by each target's own _IOC macros.
const CASES = [
  ["_IOW", "'V'", 1, 24],
  ["_IOR", "'V'", 2, 24],
  ["_IOWR", "0xAE", 0x80, 8],
  ["_IO", "0xAE", 0x01, 0],
  ["_IOR", "'G'", 0xff, 8191],
] as const;
const DIR = { _IO: "none", _IOR: "read", _IOW: "write", _IOWR: "readwrite" } as const;
const expr = ([m, type, nr, size]: (typeof CASES)[number]) =>
  m === "_IO" ? `_IO(${type}, ${nr})` : `${m}(${type}, ${nr}, struct { char x[${size}]; })`;

describe("decodeNumber against numbers computed by C", () => {
  for (const t of TARGETS) {
    const ok = haveCompiler(t.cc);
    if (!ok) console.warn(`SKIPPED: ${t.cc} is not installed; decode on ${t.name} not checked`);
    it.skipIf(!ok)(t.name, () => {
      const numbers = cValues(CASES.map(expr), { cc: t.cc, prelude: "#include <linux/ioctl.h>\n" });
      const decoded = numbers.map((n) => decodeNumber(n, t));
      expect(decoded.map((d) => [d.dir, d.type, d.nr, d.size])).toEqual(
        CASES.map(([m, type, nr, size]) => [DIR[m], type.startsWith("'") ? type.charCodeAt(1) : Number(type), nr, size]),
      );
    });
  }
});

describe("decode lookups", () => {
  const ok = haveCompiler("gcc");
  it.skipIf(!ok)("KVM_RUN: kvm's registry row, not VFS-intercepted", () => {
    const [kvmRun, fifreeze] = cValues(["KVM_RUN", "FIFREEZE"], { prelude: "#include <linux/kvm.h>\n#include <linux/fs.h>\n" });
    const d = decodeNumber(kvmRun!, "x86_64");
    expect(d.registry.map((r) => [r.code, r.seq, r.include])).toEqual([["0xAE", "40-FF", "linux/kvm.h"]]);
    expect(d.vfs).toEqual([]);
    const f = decodeNumber(fifreeze!, "x86_64");
    expect(f.vfs.map((h) => h.command.name)).toEqual(["FIFREEZE"]);
  });

  it("uses a scan: exact matches for the scan's target, same (type, nr) for others", () => {
    const entry = { name: "FIX_A", header: "fix/a.h", number: 0x4004ae05, dir: "write", type: 0xae, nr: 5, size: 4, kind: "ioc" } as const;
    const scan = { target: "x86_64", entries: [entry] } as unknown as ScanResult;
    expect(decodeNumber(0x4004ae05, "x86_64", { scan }).headers).toEqual([entry]);
    const ppc = decodeNumber(0x8004ae05, "ppc64le", { scan });
    expect([ppc.headers, ppc.sameSlot]).toEqual([[], [entry]]);
    expect(decodeNumber(0x4004ae06, "x86_64", { scan }).sameSlot).toEqual([]);
  });

  it("flags direction bits that are not valid for the encoding", () => {
    // 3-bit dir value 7 is not _IO/_IOR/_IOW/_IOWR.
    expect(decodeNumber(0xe0000000, "ppc64le").dir).toBeUndefined();
  });

  it("parses numbers as users write them", () => {
    expect(parseNumber("0xC0045877")).toBe(0xc0045877);
    expect(parseNumber("-1073457033")).toBe(0xc0045877);
    expect(parseNumber("44672")).toBe(0xae80);
    expect(parseNumber("0x100000000")).toBeUndefined();
    expect(parseNumber("KVM_RUN")).toBeUndefined();
  });
});

describe("decodeCommand", () => {
  const run = async (...argv: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await decodeCommand(argv, { out: (s) => out.push(s), err: (s) => err.push(s) });
    return { code, out: out.join("\n"), err: err.join("\n") };
  };

  it("explains a number on a chosen target", async () => {
    const r = await run("0xc0045877", "--target", "ppc64le");
    expect(r.code).toBe(0);
    expect(r.out).toContain("0xc0045877 on ppc64le (3bit-dir encoding)");
    expect(r.out).toContain("_IOWR('X', 0x77, <4 bytes>)");
    expect(r.out).toContain("VFS: FIFREEZE");
    expect(r.out).toContain("[ioctl-number.rst:222]");
  });

  it("prints JSON for every target", async () => {
    const r = await run("0xae80", "--all-targets", "--json");
    const all = JSON.parse(r.out) as { target: string; dir: string }[];
    expect(all.map((d) => d.target)).toEqual(TARGETS.map((t) => t.name));
    // _IO on the 3-bit encodings has dir bits 1 (NONE); 0xae80 there has an invalid dir.
    expect(all.find((d) => d.target === "x86_64")!.dir).toBe("none");
    expect(all.find((d) => d.target === "ppc64le")!.dir).toBeUndefined();
  });

  it("rejects bad input with status 2", async () => {
    expect((await run("zzz")).code).toBe(2);
    expect((await run("1", "--target", "vax")).code).toBe(2);
    expect((await run()).code).toBe(2);
  });
});
