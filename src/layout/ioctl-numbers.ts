/**
 * The request number of an ioctl on one target: `_IOC(dir, type, nr, sizeof(arg))` with that
 * target's encoding and argument size, or the literal number of a legacy ioctl (with its
 * per-target overrides).
 */
import type { IoctlModel } from "../model/model.js";
import type { Target } from "../targets/targets.js";
import { encodeIoctl } from "../targets/ioctl-encoding.js";
import { sizeAlign } from "./layout.js";

/** sizeof(arg) on the target; 0 when the ioctl has no argument type (`none`). */
export function ioctlArgSize(io: IoctlModel, target: Target): number {
  return io.arg ? sizeAlign(io.arg, target).size : 0;
}

/** The number user space passes to ioctl(2), as an unsigned 32-bit integer. */
export function ioctlNumber(io: IoctlModel, target: Target): number {
  if (io.legacy) return (io.legacy.overrides.get(target.name) ?? io.legacy.number) >>> 0;
  return encodeIoctl(target.ioctl, io.dir, io.magic, io.nr, ioctlArgSize(io, target));
}
