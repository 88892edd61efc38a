/**
 * Spec ioctls against the commands fs/ioctl.c answers before a driver's ->unlocked_ioctl, per
 * target: the full number (the VFS switches on it) and, separately, the (type, nr) slot.
 */
import type { IoctlModel } from "../model/model.js";
import { ioctlNumber } from "../layout/ioctl-numbers.js";
import { decodeIoctl } from "../targets/ioctl-encoding.js";
import type { Target } from "../targets/targets.js";
import { vfsNumbers, type VfsCommand } from "../registry/vfs.js";

export interface VfsTargetHit {
  readonly target: Target;
  readonly spec: number;
  readonly vfs: number;
}

export interface VfsClash {
  readonly ioctl: IoctlModel;
  readonly command: VfsCommand;
  /** Targets where the numbers are equal. */
  readonly equal: readonly VfsTargetHit[];
  /** Targets where the numbers differ but the (type, nr) slot is the same. */
  readonly slot: readonly VfsTargetHit[];
  /**
   * The spec ioctl has the command's name: it describes that very command (specs/tty.abi's
   * FIONREAD, which a tty driver answers), so meeting it is no conflict.
   */
  readonly describes: boolean;
}

const perTarget = new Map<string, { command: VfsCommand; number: number; type: number; nr: number }[]>();

function commandsOn(t: Target) {
  let list = perTarget.get(t.name);
  if (!list) {
    list = vfsNumbers(t).map((h) => {
      const d = decodeIoctl(t.ioctl, h.number);
      return { command: h.command, number: h.number, type: d.type, nr: d.nr };
    });
    perTarget.set(t.name, list);
  }
  return list;
}

/** Every (ioctl, command) pair that meets on some target, in ioctl then command order. */
export function vfsClashes(ioctls: readonly IoctlModel[], targets: readonly Target[]): VfsClash[] {
  const out: VfsClash[] = [];
  for (const ioctl of ioctls) {
    const byCommand = new Map<VfsCommand, { equal: VfsTargetHit[]; slot: VfsTargetHit[] }>();
    for (const t of targets) {
      const spec = ioctlNumber(ioctl, t);
      const mine = decodeIoctl(t.ioctl, spec);
      for (const c of commandsOn(t)) {
        const equal = c.number === spec;
        if (!equal && !(c.type === mine.type && c.nr === mine.nr)) continue;
        const entry = byCommand.get(c.command) ?? { equal: [], slot: [] };
        (equal ? entry.equal : entry.slot).push({ target: t, spec, vfs: c.number });
        byCommand.set(c.command, entry);
      }
    }
    for (const [command, { equal, slot }] of byCommand) out.push({ ioctl, command, equal, slot, describes: ioctl.name === command.name });
  }
  return out;
}

/** What happens to the command on a device fd, in words. */
export function reachText(c: VfsCommand): string {
  switch (c.reachesDriver) {
    case "never":
      return "the VFS answers it for every fd, so the driver is never called";
    case "non-regular":
      return "the VFS answers it on regular files; on a device or anon-inode fd it reaches the driver, but every tool that sends it expects the VFS meaning";
    case "conditional":
      return "the VFS answers it whenever the inode has fileattr operations (devtmpfs and most file systems do), so the driver is called only by luck";
  }
}
