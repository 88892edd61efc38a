/**
 * How ioctls become stub method names — one deterministic rule, documented in the package
 * README:
 *
 * 1. Split the ioctl name into `_` words. The family prefix is the longest run of leading words
 *    every ioctl of the family shares (only with two or more ioctls, and never a whole name):
 *    `KVM_` for kvm, `GH_` for gunyah, `UV_DEV_` for uvirtio, nothing for tty.
 * 2. Strip it; then, when what is left starts with the fd kind's name (in full, or without the
 *    family prefix: `kvm_vcpu` → `VCPU`) and more words follow, strip that too.
 * 3. camelCase the rest: GH_CREATE_VM on gunyah → createVm, GH_VM_SET_DTB_CONFIG on vm →
 *    setDtbConfig, GH_VCPU_RUN on vcpu → run, KVM_GET_REGS on kvm_vcpu → getRegs.
 * 4. Names the Device base class uses (close, ioctl, map, …) get an `Ioctl` suffix; two ioctls
 *    that still meet on one class both fall back to their whole name camelCased.
 */

/** Instance members of the runtime's Device (and the generated `map`): not method names. */
const RESERVED = new Set(["fd", "closed", "close", "ioctl", "rawIoctl", "map", "constructor"]);

export function ioctlWords(name: string): string[] {
  return name.split("_").filter((w) => w !== "").map((w) => w.toUpperCase());
}

/** The family prefix (rule 1) of a family's ioctl names, as words. */
export function commonPrefix(ioctlNames: readonly string[]): string[] {
  if (ioctlNames.length < 2) return [];
  const all = ioctlNames.map(ioctlWords);
  const shortest = Math.min(...all.map((w) => w.length));
  const out: string[] = [];
  for (let i = 0; i < shortest - 1; i++) {
    const w = all[0]![i]!;
    if (!all.every((ws) => ws[i] === w)) break;
    out.push(w);
  }
  return out;
}

function startsWith(words: readonly string[], prefix: readonly string[]): boolean {
  return prefix.length > 0 && prefix.length <= words.length && prefix.every((w, i) => words[i] === w);
}

export function camel(words: readonly string[]): string {
  const s = words.map((w, i) => (i === 0 ? w.toLowerCase() : w[0]! + w.slice(1).toLowerCase())).join("");
  return /^[0-9]/.test(s) ? `ioctl${s}` : s;
}

/** Rules 1-3 for one ioctl issued on `kind` (undefined: the family-level Ioctls class). */
export function methodWords(ioctl: string, prefix: readonly string[], kind: string | undefined): string[] {
  let words = ioctlWords(ioctl);
  if (startsWith(words, prefix) && words.length > prefix.length) words = words.slice(prefix.length);
  if (kind !== undefined) {
    const kw = ioctlWords(kind);
    const short = startsWith(kw, prefix) ? kw.slice(prefix.length) : [];
    for (const k of [kw, short]) {
      if (startsWith(words, k) && words.length > k.length) {
        words = words.slice(k.length);
        break;
      }
    }
  }
  return words;
}

/** Method names of the ioctls of one class (rules 1-4), in the ioctls' order. */
export function classMethodNames(ioctls: readonly string[], prefix: readonly string[], kind: string | undefined): string[] {
  const names = ioctls.map((io) => {
    const n = camel(methodWords(io, prefix, kind));
    return RESERVED.has(n) ? `${n}Ioctl` : n;
  });
  const count = new Map<string, number>();
  for (const n of names) count.set(n, (count.get(n) ?? 0) + 1);
  return names.map((n, i) => (count.get(n)! > 1 ? camel(ioctlWords(ioctls[i]!)) : n));
}
