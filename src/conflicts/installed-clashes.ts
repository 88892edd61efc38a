/**
 * Spec ioctls against the ioctls of the installed kernel headers (`abigen scan`). The scan holds
 * numbers for one target (the compiler it ran, x86_64 by default), so full numbers are compared
 * on that target only; the (type, nr) slot is compared as well.
 *
 * A spec ioctl with the same name and number as an installed one IS that ioctl (specs/kvm.abi
 * declares KVM_RUN as linux/kvm.h does): not a conflict. Other installed ioctls that happen to
 * equal it then collide with the kernel already, not with the spec, so they are not reported.
 */
import { declsOf, type FamilyModel, type IoctlModel, type Program } from "../model/model.js";
import { ioctlNumber } from "../layout/ioctl-numbers.js";
import { decodeIoctl } from "../targets/ioctl-encoding.js";
import { findTarget, type Target } from "../targets/targets.js";
import type { ScanEntry, ScanResult } from "../scan/scan.js";
import { isOwnHeader } from "../registry/own-header.js";

export interface InstalledClash {
  readonly ioctl: IoctlModel;
  readonly family: FamilyModel;
  readonly target: Target;
  /** The spec ioctl's number on the scan's target. */
  readonly number: number;
  /** Installed ioctls with the same name and number: the spec describes them. */
  readonly matches: readonly ScanEntry[];
  /** Same number, another name (empty when `matches` is not). */
  readonly equal: readonly ScanEntry[];
  /** Same (type, nr), another number (empty when `matches` is not). */
  readonly slot: readonly ScanEntry[];
  /** Same name in the family's own header, another number. */
  readonly differs: readonly ScanEntry[];
}

export function scanTarget(scan: ScanResult): Target {
  const t = findTarget(scan.target);
  if (!t) throw new Error(`scan result is for unknown target ${scan.target}`);
  return t;
}

/** One entry per spec ioctl that meets an installed ioctl at all, in program order. */
export function installedClashes(program: Program, scan: ScanResult): InstalledClash[] {
  const target = scanTarget(scan);
  const byNumber = group(scan.entries, (e) => e.number);
  const bySlot = group(scan.entries, (e) => (e.type << 8) | e.nr);
  const byName = group(scan.entries, (e) => e.name);
  const out: InstalledClash[] = [];
  for (const family of program.families) {
    for (const ioctl of declsOf(family, "ioctl")) {
      const number = ioctlNumber(ioctl, target);
      const d = decodeIoctl(target.ioctl, number);
      const sameNumber = byNumber.get(number) ?? [];
      const matches = sameNumber.filter((e) => e.name === ioctl.name);
      const known = matches.length > 0;
      const equal = known ? [] : sameNumber.filter((e) => e.name !== ioctl.name);
      const slot = known ? [] : (bySlot.get((d.type << 8) | d.nr) ?? []).filter((e) => e.number !== number);
      const differs = (byName.get(ioctl.name) ?? []).filter((e) => e.number !== number && isOwnHeader(e.header, family.header));
      if (matches.length + equal.length + slot.length + differs.length === 0) continue;
      out.push({ ioctl, family, target, number, matches, equal, slot, differs });
    }
  }
  return out;
}

function group<K>(entries: readonly ScanEntry[], key: (e: ScanEntry) => K): Map<K, ScanEntry[]> {
  const m = new Map<K, ScanEntry[]>();
  for (const e of entries) {
    const list = m.get(key(e));
    if (list) list.push(e);
    else m.set(key(e), [e]);
  }
  return m;
}

/** `GSMIOC_DISABLE_NET (linux/gsmmux.h)`. */
export function entryLabel(e: ScanEntry): string {
  return `${e.name} (${e.header})`;
}
