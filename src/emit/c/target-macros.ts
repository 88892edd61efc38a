/**
 * How C code recognises each target: the compiler's predefined macros, probed with
 * `<target.cc> -dM -E - </dev/null`. `exact` picks out exactly one ABI (the layout test needs
 * that: x86_64 and x32 share `__x86_64__`); `arch` names the whole architecture, which is what
 * an ioctl encoding depends on (a legacy number override for powerpc holds for ppc64 BE too).
 *
 * Keyed by Target.name; a target without an entry cannot be emitted (the error says so).
 */
import { TARGETS, type Target } from "../../targets/targets.js";

interface TargetMacros {
  readonly exact: string;
  /** Architecture test and the target names that make up the whole architecture here. */
  readonly arch: string;
}

const LE = "__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__";
const BE = "__BYTE_ORDER__ == __ORDER_BIG_ENDIAN__";

const MACROS: Readonly<Record<string, TargetMacros>> = {
  x86_64: { exact: "defined(__x86_64__) && !defined(__ILP32__)", arch: "defined(__x86_64__) || defined(__i386__)" },
  i386: { exact: "defined(__i386__)", arch: "defined(__x86_64__) || defined(__i386__)" },
  x32: { exact: "defined(__x86_64__) && defined(__ILP32__)", arch: "defined(__x86_64__) || defined(__i386__)" },
  aarch64: { exact: "defined(__aarch64__) && !defined(__ILP32__)", arch: "defined(__aarch64__)" },
  arm: { exact: "defined(__arm__) && defined(__ARM_EABI__)", arch: "defined(__arm__)" },
  riscv64: { exact: "defined(__riscv) && __riscv_xlen == 64", arch: "defined(__riscv)" },
  ppc64le: { exact: `defined(__powerpc64__) && ${LE}`, arch: "defined(__powerpc__)" },
  powerpc: { exact: "defined(__powerpc__) && !defined(__powerpc64__)", arch: "defined(__powerpc__)" },
  mips: { exact: `defined(__mips__) && _MIPS_SIM == _ABIO32 && ${BE}`, arch: "defined(__mips__)" },
  mips64el: { exact: `defined(__mips__) && _MIPS_SIM == _ABI64 && ${LE}`, arch: "defined(__mips__)" },
  s390x: { exact: "defined(__s390x__)", arch: "defined(__s390__)" },
  m68k: { exact: "defined(__m68k__)", arch: "defined(__m68k__)" },
  sparc64: { exact: "defined(__sparc__) && defined(__arch64__)", arch: "defined(__sparc__)" },
  hppa: { exact: "defined(__hppa__) && !defined(__LP64__)", arch: "defined(__hppa__)" },
  alpha: { exact: "defined(__alpha__)", arch: "defined(__alpha__)" },
  sh4: { exact: `defined(__sh__) && ${LE}`, arch: "defined(__sh__)" },
};

function macrosOf(target: Target): TargetMacros {
  const m = MACROS[target.name];
  if (!m) throw new Error(`abigen: no C predefined-macro test known for target ${target.name} (src/emit/c/target-macros.ts)`);
  return m;
}

/** A preprocessor condition true on exactly this target's ABI. */
export function exactCondition(target: Target): string {
  return macrosOf(target).exact;
}

/**
 * A preprocessor condition for a set of targets (legacy number overrides): whole architectures
 * become their arch macro when every modelled ABI of that architecture is in the set, the rest
 * stay exact (judged against every known target, not just the selected ones). Deduplicated, in
 * the order given, so the output is stable.
 */
export function targetsCondition(names: readonly string[], all: readonly Target[] = TARGETS): string {
  const inSet = new Set(names);
  const parts: string[] = [];
  for (const name of names) {
    const t = all.find((x) => x.name === name);
    if (!t) continue;
    const m = macrosOf(t);
    const sameArch = all.filter((x) => MACROS[x.name]?.arch === m.arch);
    const whole = sameArch.every((x) => inSet.has(x.name));
    const cond = whole ? m.arch : `(${m.exact})`;
    if (!parts.includes(cond)) parts.push(cond);
  }
  return parts.join(" || ");
}
