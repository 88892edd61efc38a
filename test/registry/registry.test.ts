import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseRegistryRst, RstTableError } from "../../src/registry/rst-table.js";
import { Registry, registryRows } from "../../src/registry/registry.js";
import { sharedPath } from "../helpers/shared.js";

const RST = sharedPath("ioctl-number.upstream-7.0-reconstructed.rst");
const FORK_RST = sharedPath("ioctl-number.rst");
const text = readFileSync(RST, "utf8");
const table = parseRegistryRst(text);
const rawLines = text.split("\n");
const pick = (code: string, seq: string) => table.rows.filter((r) => r.code === code && r.seq === seq);

describe("ioctl-number.rst parser on the real file", () => {
  it("finds one row per line that starts with a code", () => {
    // Independent count: table lines that begin with a quoted character or a 0xNN code.
    const inTable = rawLines.slice(table.firstLine - 1, table.lastLine);
    const codeLines = inTable.filter((l) => /^('.'|0x[0-9A-Fa-f]{2})\s/.test(l));
    expect(table.rows.length).toBe(codeLines.length);
    expect(table.rows.length).toBe(285);
  });

  it("accounts for every non-blank line of the table", () => {
    for (let n = table.firstLine; n <= table.lastLine; n++) {
      const l = rawLines[n - 1]!;
      if (l.trim() === "") continue;
      expect(table.lines.get(n), `line ${n}: ${l}`).toBeDefined();
    }
    const kinds = [...table.lines.values()];
    expect(kinds.filter((k) => k === "border").length).toBe(3);
    expect(kinds.filter((k) => k === "header").length).toBe(2);
    expect(kinds.filter((k) => k === "row").length).toBe(table.rows.length);
  });

  it("keeps every word of every table line (round trip)", () => {
    // Words of a row and its continuation lines == words of code, seq, include and comment.
    const ends = [...table.rows.map((r) => r.line), table.lastLine];
    table.rows.forEach((r, i) => {
      const raw = rawLines.slice(r.line - 1, ends[i + 1]! - 1).join(" ").replace(/`/g, "");
      const words = raw.split(/\s+/).filter(Boolean).sort();
      const parsed = [r.code, r.seq, r.include, r.comment].join(" ").split(/\s+/).filter(Boolean).sort();
      expect(parsed, `row at line ${r.line}`).toEqual(words);
    });
  });

  it("reads the 'G' rows", () => {
    const g = table.rows.filter((r) => r.type === "G".charCodeAt(0));
    expect(g.map((r) => [r.nrFirst, r.nrLast, r.include, r.conflict])).toEqual([
      [0x00, 0x3f, "drivers/misc/sgi-gru/grulib.h", true],
      [0x00, 0x0f, "xen/gntalloc.h, xen/gntdev.h", true],
    ]);
    expect(g[1]!.headers).toEqual(["xen/gntalloc.h", "xen/gntdev.h"]);
  });

  it("reads the kvm rows with their wrapped comments", () => {
    const kvm = table.rows.filter((r) => r.type === 0xae);
    expect(kvm.map((r) => [r.nrFirst, r.nrLast, r.include])).toEqual([
      [0x00, 0x1f, "linux/kvm.h"], [0x40, 0xff, "linux/kvm.h"], [0x20, 0x3f, "linux/nitro_enclaves.h"],
    ]);
    expect(kvm[0]!.comment).toBe("Kernel-based Virtual Machine <mailto:kvm@vger.kernel.org>");
    expect(kvm[0]!.conflict).toBe(false);
  });

  it("reads the 'V' rows (all and single numbers)", () => {
    const v = table.rows.filter((r) => r.code === "'V'");
    expect(v.map((r) => [r.nrFirst, r.nrLast, r.include])).toEqual([
      [0, 255, "linux/vt.h"], [0, 255, "linux/videodev2.h"],
      [0xc0, 0xc0, "linux/ivtvfb.h"], [0xc0, 0xc0, "linux/ivtv.h"], [0xc0, 0xc0, "media/si4713.h"],
    ]);
    expect(v.every((r) => r.conflict)).toBe(true);
  });

  it("reads the 0xB2 papr rows, including the one whose path fills its column", () => {
    const b2 = table.rows.filter((r) => r.type === 0xb2);
    expect(b2.map((r) => [r.nrFirst, r.nrLast])).toEqual([[0, 0], [1, 2], [3, 5], [6, 7], [8, 8], [9, 9]]);
    expect(b2[4]!.include).toBe("arch/powerpc/include/uapi/asm/papr-physical-attestation.h");
    expect(b2[4]!.comment).toBe("powerpc/pseries Physical Attestation API <mailto:linuxppc-dev@lists.ozlabs.org>");
  });

  it("has the hfsplus and mwave rows that the fork copy lacks", () => {
    expect(pick("'h'", "80-8F").map((r) => [r.type, r.include, r.line])).toEqual([[0x68, "fs/hfsplus/ioctl.c", 258]]);
    expect(pick("0xDB", "00-0F").map((r) => [r.type, r.include, r.line])).toEqual([[0xdb, "drivers/char/mwave/mwavepub.h", 400]]);
    const fork = parseRegistryRst(readFileSync(FORK_RST, "utf8"));
    expect(fork.rows.length).toBe(table.rows.length - 2);
    expect(fork.rows.some((r) => r.type === 0xdb)).toBe(false);
  });

  it("handles the odd rows: 'and' in Seq#, conflict! in the include column, lower-case hex, '0'", () => {
    const m = pick("'M'", "01-16")[0]!;
    expect(m.include).toBe("mtd/mtd-abi.h and drivers/mtd/mtdchar.c");
    expect(m.headers).toEqual(["mtd/mtd-abi.h", "drivers/mtd/mtdchar.c"]);
    const msr = pick("'c'", "A0-AF")[0]!;
    expect([msr.include, msr.comment, msr.conflict]).toEqual(["arch/x86/include/asm/msr.h", "conflict!", true]);
    expect(pick("'='", "00-3f")[0]).toMatchObject({ type: 0x3d, nrFirst: 0, nrLast: 0x3f });
    expect(pick("0xA1", "0")[0]).toMatchObject({ type: 0xa1, nrFirst: 0, nrLast: 0, include: "linux/vtpm_proxy.h" });
    const q = pick("'q'", "80-FF")[0]!;
    expect(q.include).toBe("linux/telephony.h linux/ixjuser.h");
    expect(q.comment).toBe("Internet PhoneJACK, Internet LineJACK <http://web.archive.org/web/%2A/http://www.quicknet.net>");
    expect(pick("'z'", "00-3F")[0]).toMatchObject({ include: "", conflict: true });
    expect(pick("'i'", "90-9F")[0]!.include).toBe("linux/iio/*.h");
  });

  it("reads a range written with spaces and rejects a line it cannot read", () => {
    const head = "====  =====  ==========  ========\nCode  Seq#   Include     Comments\n====  =====  ==========  ========\n";
    const ok = parseRegistryRst(head + "'Q'   80 - 8F a/b.h       x\n====  =====  ==========  ========\n");
    expect(ok.rows[0]).toMatchObject({ type: 0x51, nrFirst: 0x80, nrLast: 0x8f });
    expect(() => parseRegistryRst(head + "junk  xx     a.h\n====  =====  ==========  ========\n")).toThrow(RstTableError);
  });

  it("the committed JSON is what the script makes from the .rst", () => {
    expect(JSON.parse(JSON.stringify(table.rows))).toEqual(registryRows());
  });
});

describe("Registry queries", () => {
  const reg = new Registry(table.rows);

  it("rowsFor finds every row covering a number", () => {
    expect(reg.rowsFor(0xae, 0x80).map((r) => r.line)).toEqual(pick("0xAE", "40-FF").map((r) => r.line));
    expect(reg.rowsFor(0xae, 0x30).map((r) => r.include)).toEqual(["linux/nitro_enclaves.h"]);
    expect(reg.rowsFor("V".charCodeAt(0), 0xc0).length).toBe(5);
    expect(reg.rowsFor(0xdb, 0x10)).toEqual([]);
  });

  it("freeRanges returns aligned slots that overlap no row", () => {
    const slots = reg.freeRanges({ width: 32 });
    expect(slots.length).toBeGreaterThan(100);
    for (const s of slots) {
      expect(s.nrLast - s.nrFirst + 1).toBe(32);
      expect(s.nrFirst % 32).toBe(0);
      expect(reg.rowsOverlapping(s.type, s.nrFirst, s.nrLast)).toEqual([]);
    }
    // Codes nobody uses come first; 0x01 has no row in the table.
    expect(slots[0]).toMatchObject({ type: 0x01, nrFirst: 0, typeUnused: true });
    expect(table.rows.some((r) => r.type === 0x01)).toBe(false);
  });

  it("freeRanges for one type finds the holes between its rows", () => {
    // 0xAE: 00-1F kvm, 20-3F nitro, 40-FF kvm: nothing free.
    expect(reg.freeRanges({ type: 0xae, width: 1 })).toEqual([]);
    // 0xB2 uses 00-09: the first free 16-slot is 10-1F, in the gap 0A-FF.
    expect(reg.freeRanges({ type: 0xb2, width: 16 })[0]).toMatchObject({ nrFirst: 0x10, nrLast: 0x1f, gapFirst: 0x0a, gapLast: 0xff });
    expect(() => reg.freeRanges({ width: 0 })).toThrow(RangeError);
  });
});
