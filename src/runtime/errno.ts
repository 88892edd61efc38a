/**
 * Host errno names ↔ numbers for the runtime.
 *
 * The table itself is the compiler's (src/model/errno.ts, the kernel's asm-generic errno-base.h +
 * errno.h): one list, not two. The runtime only adds the reverse direction and a host guard.
 * The generic numbers hold on every Linux architecture Node runs on (x64, ia32, arm, arm64,
 * riscv64, loong64, ppc64, s390x) except MIPS, which renumbers from 35 up, so the runtime
 * refuses to translate there rather than print wrong names. (One known gap: powerpc gives the
 * alias EDEADLOCK its own number, 58; the runtime treats it as EDEADLK, 35, everywhere.)
 */
import { ERRNO } from "../model/errno.js";

/** Aliases share a number with a canonical name; the canonical one is what errors report. */
const ALIASES: ReadonlyMap<string, string> = new Map([
  ["EWOULDBLOCK", "EAGAIN"],
  ["EDEADLOCK", "EDEADLK"],
  ["ENOTSUP", "EOPNOTSUPP"],
]);

function assertGenericHost(): void {
  if (process.platform !== "linux" || process.arch.startsWith("mips")) {
    throw new Error(
      `abigen runtime: errno numbers are the asm-generic ones; host ${process.platform}/${process.arch} differs`,
    );
  }
}

const BY_NUMBER: ReadonlyMap<number, string> = (() => {
  const m = new Map<number, string>();
  for (const [name, num] of ERRNO) {
    if (!ALIASES.has(name) && !m.has(num)) m.set(num, name);
  }
  return m;
})();

/** Canonical name for an errno number, or `E<n>?` when the kernel table has no such number. */
export function errnoName(num: number): string {
  assertGenericHost();
  return BY_NUMBER.get(num) ?? `E${num}?`;
}

/** Number for an errno name (aliases accepted); throws on an unknown name, which is a caller bug. */
export function errnoNumber(name: string): number {
  assertGenericHost();
  const canonical = ALIASES.get(name) ?? name;
  const num = ERRNO.get(canonical) ?? ERRNO.get(name);
  if (num === undefined) throw new RangeError(`unknown errno name ${JSON.stringify(name)}`);
  return num;
}

/** Whether `name` is an errno name the runtime knows (canonical or alias). */
export function isErrnoName(name: string): boolean {
  return ERRNO.has(name) || ALIASES.has(name);
}

/** All canonical names with their numbers, ascending; for tests and tools. */
export function errnoEntries(): ReadonlyArray<readonly [string, number]> {
  return [...BY_NUMBER].map(([n, name]) => [name, n] as const).sort((a, b) => a[1] - b[1]);
}
