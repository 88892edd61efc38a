/**
 * Columns of a family's ioctl table: targets on which every ioctl of the family has the same
 * number. Usually that is one column per ioctl encoding (generic, 3-bit dir); parisc joins
 * the generic column when only `_IO` numbers are involved and the 3-bit one when only
 * `_IOR`/`_IOW` are (its READ/WRITE bits are swapped), and a column splits further when
 * argument sizes differ between targets.
 */
import type { IoctlModel } from "../../model/model.js";
import { ioctlArgSize, ioctlNumber } from "../../layout/ioctl-numbers.js";
import type { Target } from "../../targets/targets.js";
import { groupTargets } from "../../checks/target-groups.js";

export interface NumberGroup {
  /** `generic`, `3-bit dir + parisc`, `generic, 32-bit sizes`, … */
  readonly label: string;
  readonly targets: readonly Target[];
  /** ioctl number per ioctl, in the order given. */
  readonly numbers: readonly number[];
}

const ENCODING_NAME: Record<Target["ioctl"]["name"], string> = {
  generic: "generic",
  "3bit-dir": "3-bit dir",
  parisc: "parisc",
};

export function numberGroups(ioctls: readonly IoctlModel[], targets: readonly Target[]): NumberGroup[] {
  if (ioctls.length === 0) return [];
  const groups = groupTargets(targets, (t) => ioctls.map((io) => ioctlNumber(io, t)));
  const labels = groups.map((g) => [...new Set(g.targets.map((t) => ENCODING_NAME[t.ioctl.name]))].join(" + "));
  const out = groups.map((g, i) => {
    let label = labels[i]!;
    if (labels.filter((l) => l === label).length > 1) {
      // Same encodings, different numbers: the argument sizes differ; say which ones.
      const sizes = [...new Set(ioctls.map((io) => ioctlArgSize(io, g.targets[0]!)))];
      const ptr = g.targets[0]!.sizes.ptr * 8;
      label += `, ${ptr}-bit (sizes ${sizes.join("/")})`;
    }
    return { label, targets: g.targets, numbers: g.value };
  });
  // Labels must tell columns apart; number any that still collide.
  return out.map((g, i) => (out.filter((o) => o.label === g.label).length > 1 ? { ...g, label: `${g.label} #${i + 1}` } : g));
}
