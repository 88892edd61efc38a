/**
 * The target table itself, checked against each target's GCC and kernel headers: type sizes,
 * member alignment of every scalar size, byte order, and the ioctl encoding's field widths and
 * direction values (<asm/ioctl.h>). The layout engine is only as right as this data.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { TARGETS, type Target } from "../../src/targets/targets.js";
import { compileC, errorsOf, hasCompiler, type CompileOutcome } from "./gcc.js";

function probe(t: Target): string {
  const member = (type: string, want: number, what: string) =>
    `_Static_assert(__builtin_offsetof(struct { char c; ${type} x; }, x) == ${want}, "${what} member alignment");`;
  const e = t.ioctl;
  return `#include <asm/ioctl.h>
_Static_assert(sizeof(int) == ${t.sizes.int}, "sizeof int");
_Static_assert(sizeof(long) == ${t.sizes.long}, "sizeof long");
_Static_assert(sizeof(void *) == ${t.sizes.ptr}, "sizeof ptr");
${member("short", t.align.i16, "16-bit")}
${member("int", t.align.i32, "32-bit")}
${member("long long", t.align.i64, "64-bit")}
${member("long", t.align.long, "long")}
${member("void *", t.align.ptr, "pointer")}
_Static_assert(__BYTE_ORDER__ == ${t.endian === "little" ? "__ORDER_LITTLE_ENDIAN__" : "__ORDER_BIG_ENDIAN__"}, "byte order");
_Static_assert(_IOC_NRBITS == ${e.nrBits} && _IOC_TYPEBITS == ${e.typeBits}, "nr and type bits");
_Static_assert(_IOC_SIZEBITS == ${e.sizeBits}, "size bits");
_Static_assert(_IOC_DIRBITS == ${e.dirBits}, "dir bits");
_Static_assert(_IOC_NONE == ${e.none} && _IOC_READ == ${e.read} && _IOC_WRITE == ${e.write}, "direction values");
`;
}

const available = TARGETS.filter((t) => hasCompiler(t.cc));
for (const t of TARGETS) {
  if (!available.includes(t)) console.warn(`SKIPPED: target data for ${t.name}: compiler ${t.cc} is not installed`);
}

describe("target table matches each target's GCC", () => {
  const outcomes = new Map<string, CompileOutcome>();
  let wrong: CompileOutcome | undefined;
  beforeAll(async () => {
    const x86 = available.find((t) => t.name === "x86_64");
    const jobs: Promise<unknown>[] = available.map(async (t) => outcomes.set(t.name, await compileC(t.cc, probe(t))));
    // A deliberately wrong table entry must be caught: x86_64 with a 4-byte long.
    if (x86) jobs.push(compileC(x86.cc, probe({ ...x86, sizes: { ...x86.sizes, long: 4 } })).then((o) => void (wrong = o)));
    await Promise.all(jobs);
  });

  for (const t of TARGETS) {
    it.skipIf(!available.includes(t))(t.name, () => {
      const o = outcomes.get(t.name)!;
      expect(o.ok, errorsOf(o)).toBe(true);
    });
  }

  it.skipIf(!available.some((t) => t.name === "x86_64"))("rejects a wrong entry (x86_64 with a 4-byte long)", () => {
    expect(wrong?.ok).toBe(false);
    expect(wrong?.stderr).toContain("sizeof long");
  });
});
