/**
 * Target ABIs as data. Everything layout and ioctl numbering need to know about an
 * architecture lives here; nothing else in abigen branches on a target's name.
 *
 * Scalar alignments are the ABI alignment of a member inside a struct (what offsetof sees),
 * probed from each target's GCC — the compiler the kernel is built with. The ioctl encodings
 * follow include/uapi/asm-generic/ioctl.h and the arch overrides (powerpc, mips, sparc,
 * alpha: 13 size bits and 3 dir bits; parisc: READ and WRITE swapped).
 */
export interface IoctlEncoding {
  readonly name: "generic" | "3bit-dir" | "parisc";
  readonly nrBits: 8;
  readonly typeBits: 8;
  readonly sizeBits: 13 | 14;
  readonly dirBits: 2 | 3;
  /** Values of the direction field, from the caller's point of view (WRITE = _IOW). */
  readonly none: number;
  readonly read: number;
  readonly write: number;
}

export interface Target {
  /** Name used on the command line and in outputs (x86_64, i386, …). */
  readonly name: string;
  /** The Debian cross compiler that is the layout truth for this target. */
  readonly cc: string;
  readonly debianPackage: string;
  readonly endian: "little" | "big";
  readonly sizes: { readonly int: 4; readonly long: 4 | 8; readonly ptr: 4 | 8 };
  /** Alignment of each scalar size inside a struct; 1-byte scalars align to 1 everywhere. */
  readonly align: {
    readonly i16: number;
    readonly i32: number;
    readonly i64: number;
    readonly long: number;
    readonly ptr: number;
  };
  readonly ioctl: IoctlEncoding;
}

export const GENERIC: IoctlEncoding = {
  name: "generic", nrBits: 8, typeBits: 8, sizeBits: 14, dirBits: 2, none: 0, read: 2, write: 1,
};
export const DIR3: IoctlEncoding = {
  name: "3bit-dir", nrBits: 8, typeBits: 8, sizeBits: 13, dirBits: 3, none: 1, read: 2, write: 4,
};
export const PARISC: IoctlEncoding = {
  name: "parisc", nrBits: 8, typeBits: 8, sizeBits: 14, dirBits: 2, none: 0, read: 1, write: 2,
};

const LP64 = { sizes: { int: 4, long: 8, ptr: 8 }, align: { i16: 2, i32: 4, i64: 8, long: 8, ptr: 8 } } as const;
const ILP32 = { sizes: { int: 4, long: 4, ptr: 4 }, align: { i16: 2, i32: 4, i64: 8, long: 4, ptr: 4 } } as const;
const ILP32_I64_ALIGN4 = { sizes: { int: 4, long: 4, ptr: 4 }, align: { i16: 2, i32: 4, i64: 4, long: 4, ptr: 4 } } as const;
const M68K = { sizes: { int: 4, long: 4, ptr: 4 }, align: { i16: 2, i32: 2, i64: 2, long: 2, ptr: 2 } } as const;

function t(name: string, triple: string, endian: "little" | "big", abi: Pick<Target, "sizes" | "align">, ioctl: IoctlEncoding): Target {
  // Debian package names cannot contain "_": gcc-x86-64-linux-gnux32 installs x86_64-linux-gnux32-gcc.
  return { name, cc: `${triple}-gcc`, debianPackage: `gcc-${triple.replaceAll("_", "-")}`, endian, ...abi, ioctl };
}

/** Every target abigen models, in a fixed order (outputs list targets in this order). */
export const TARGETS: readonly Target[] = [
  t("x86_64", "x86_64-linux-gnu", "little", LP64, GENERIC),
  t("i386", "i686-linux-gnu", "little", ILP32_I64_ALIGN4, GENERIC),
  t("x32", "x86_64-linux-gnux32", "little", ILP32, GENERIC),
  t("aarch64", "aarch64-linux-gnu", "little", LP64, GENERIC),
  t("arm", "arm-linux-gnueabi", "little", ILP32, GENERIC),
  t("riscv64", "riscv64-linux-gnu", "little", LP64, GENERIC),
  t("ppc64le", "powerpc64le-linux-gnu", "little", LP64, DIR3),
  t("powerpc", "powerpc-linux-gnu", "big", ILP32, DIR3),
  t("mips", "mips-linux-gnu", "big", ILP32, DIR3),
  t("mips64el", "mips64el-linux-gnuabi64", "little", LP64, DIR3),
  t("s390x", "s390x-linux-gnu", "big", LP64, GENERIC),
  t("m68k", "m68k-linux-gnu", "big", M68K, GENERIC),
  t("sparc64", "sparc64-linux-gnu", "big", LP64, DIR3),
  t("hppa", "hppa-linux-gnu", "big", ILP32, PARISC),
  t("alpha", "alpha-linux-gnu", "little", LP64, DIR3),
  t("sh4", "sh4-linux-gnu", "little", ILP32_I64_ALIGN4, GENERIC),
];

const BY_NAME = new Map(TARGETS.map((x) => [x.name, x]));

export function findTarget(name: string): Target | undefined {
  return BY_NAME.get(name);
}

/** The target Node is running on, for runtime codecs and real-fd ioctls. */
export function hostTarget(): Target {
  const byArch: Record<string, string> = {
    x64: "x86_64", ia32: "i386", arm64: "aarch64", arm: "arm", riscv64: "riscv64",
    ppc64: "ppc64le", s390x: "s390x", mips: "mips", mipsel: "mips64el",
  };
  const name = byArch[process.arch];
  const found = name === undefined ? undefined : BY_NAME.get(name);
  if (!found) throw new Error(`abigen: no target model for host architecture ${process.arch}`);
  return found;
}
