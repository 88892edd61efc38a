/**
 * ioctlNumber against values the kernel documents (include/uapi/linux/fs.h definitions, values as
 * listed in /work/shared/data/vfs-intercepted-ioctls.md); every number of the synthetic program
 * is also checked by GCC with the kernel macros in gcc-truth.test.ts.
 */
import { describe, expect, it } from "vitest";
import { ioctlArgSize, ioctlNumber } from "../../src/layout/ioctl-numbers.js";
import { findTarget } from "../../src/targets/targets.js";
import { ioctl, sc } from "./model-kit.js";

const T = (name: string) => {
  const t = findTarget(name);
  if (!t) throw new Error(name);
  return t;
};

describe("ioctlNumber", () => {
  it("FS_IOC_GETFLAGS = _IOR('f', 1, long): size and direction follow the target", () => {
    const io = ioctl("FS_IOC_GETFLAGS", { dir: "read", magic: 0x66, nr: 1, arg: sc("long") });
    expect(ioctlNumber(io, T("x86_64"))).toBe(0x80086601);
    expect(ioctlNumber(io, T("i386"))).toBe(0x80046601);
    expect(ioctlNumber(io, T("ppc64le"))).toBe(0x40086601);
    expect(ioctlNumber(io, T("powerpc"))).toBe(0x40046601);
    expect(ioctlNumber(io, T("hppa"))).toBe(0x40046601);
    expect(ioctlArgSize(io, T("sparc64"))).toBe(8);
  });

  it("FICLONE = _IOW(0x94, 9, int) and FIFREEZE = _IOWR('X', 119, int)", () => {
    const clone = ioctl("FICLONE", { dir: "write", magic: 0x94, nr: 9, arg: sc("int") });
    expect(ioctlNumber(clone, T("aarch64"))).toBe(0x40049409);
    expect(ioctlNumber(clone, T("mips"))).toBe(0x80049409);
    expect(ioctlNumber(clone, T("hppa"))).toBe(0x80049409);
    const freeze = ioctl("FIFREEZE", { dir: "readwrite", magic: 0x58, nr: 119, arg: sc("int") });
    for (const t of ["x86_64", "alpha", "hppa", "m68k"]) expect(ioctlNumber(freeze, T(t))).toBe(0xc0045877);
  });

  it("FIGETBSZ = _IO(0x00, 2): no argument, size 0; the 3-bit encodings set the NONE bit", () => {
    const io = ioctl("FIGETBSZ", { dir: "none", magic: 0, nr: 2 });
    expect(ioctlArgSize(io, T("x86_64"))).toBe(0);
    expect(ioctlNumber(io, T("x86_64"))).toBe(0x00000002);
    expect(ioctlNumber(io, T("sparc64"))).toBe(0x20000002);
    expect(ioctlNumber(io, T("hppa"))).toBe(0x00000002);
  });

  it("legacy numbers use the per-target override, else the generic number", () => {
    const io = ioctl("FIONREAD", { dir: "read", arg: sc("int"), legacy: { number: 0x541b, overrides: { mips: 0x467f } } });
    expect(ioctlNumber(io, T("x86_64"))).toBe(0x541b);
    expect(ioctlNumber(io, T("mips"))).toBe(0x467f);
    expect(ioctlArgSize(io, T("mips"))).toBe(4);
  });
});
