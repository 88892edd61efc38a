/** `abigen decode` also names the spec ioctls with the number (and those sharing its slot). */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { decodeCommand, decodeNumber } from "../../src/registry/decode.js";
import { cValues, haveCompiler } from "../helpers/c-values.js";
import { compileMemory } from "./helpers.js";

const SPEC = `family dec = "linux/dec.h";
ioctl DEC_RUN = none(0xAE, 0x80);
ioctl DEC_FLAGS = read('f', 1, u32);
`;
const ok = haveCompiler("gcc") && haveCompiler("i686-linux-gnu-gcc");
if (!ok) console.warn("SKIPPED: gcc or i686-linux-gnu-gcc missing; decode of spec ioctls not checked");

describe("decode with specs", () => {
  it.skipIf(!ok)("finds the spec ioctl with the number on that target only", () => {
    const { program } = compileMemory({ "dec.abi": SPEC });
    const prelude = "#include <linux/kvm.h>\n#include <linux/fs.h>\n";
    const [run, flags64] = cValues(["KVM_RUN", "FS_IOC_GETFLAGS"], { prelude });
    const [flags32] = cValues(["FS_IOC_GETFLAGS"], { prelude, cc: "i686-linux-gnu-gcc" });
    expect(decodeNumber(run!, "x86_64", { specs: program }).specs.map((h) => [h.name, h.location])).toEqual([["DEC_RUN", "dec.abi:2:1"]]);
    // FS_IOC_GETFLAGS is _IOR('f', 1, long): DEC_FLAGS (u32) has its number on i386 only.
    expect(decodeNumber(flags32!, "i386", { specs: program }).specs.map((h) => h.name)).toEqual(["DEC_FLAGS"]);
    const lp64 = decodeNumber(flags64!, "x86_64", { specs: program });
    expect(lp64.specs).toEqual([]);
    expect(lp64.specSameSlot.map((h) => h.name)).toEqual(["DEC_FLAGS"]);
  });

  it.skipIf(!ok)("the command reads --specs DIR, and rejects a missing one", async () => {
    const dir = mkdtempSync(join(tmpdir(), "abigen-decode-"));
    writeFileSync(join(dir, "dec.abi"), SPEC);
    const [run] = cValues(["KVM_RUN"], { prelude: "#include <linux/kvm.h>\n" });
    const out: string[] = [];
    const io = { out: (s: string) => out.push(s), err: (s: string) => out.push(s) };
    expect(await decodeCommand([String(run), "--target", "x86_64", "--specs", dir], io)).toBe(0);
    expect(out.join("\n")).toMatch(/spec: DEC_RUN \(family dec, .*dec\.abi:2:1\)/);
    expect(await decodeCommand([String(run), "--specs", join(dir, "nope")], io)).toBe(2);
  });
});
