/**
 * The kernel's raw copy_from_user: copy what is readable, zero the rest of the destination and
 * return how many bytes were NOT copied. uvirtio returns that count straight from its ioctl
 * (instead of -EFAULT), so the mock needs the count, not just "it faulted".
 *
 * UserMemory only offers all-or-nothing copies; the readable prefix of a range is found by
 * bisection (a range is readable up to the end of the one region it starts in, since regions are
 * separated by guard pages). Only the failure path pays for it.
 */
import { isErrno } from "../../../generated/ts/runtime/errors.js";
import type { UserMemory } from "../../../generated/ts/runtime/mock-fd.js";

export interface PartialCopy {
  /** `length` bytes: the copied prefix, then zeros (as the kernel pads the destination). */
  readonly bytes: Uint8Array;
  /** Bytes not copied; 0 when all were. */
  readonly notCopied: number;
}

export function copyFromUserPartial(memory: UserMemory, address: bigint, length: number): PartialCopy {
  try {
    return { bytes: memory.copyFromUser(address, length), notCopied: 0 };
  } catch (e) {
    if (!isErrno(e, "EFAULT")) throw e;
  }
  let ok = 0; // a readable prefix length
  let bad = length; // an unreadable one
  while (bad - ok > 1) {
    const mid = (ok + bad) >>> 1;
    if (readable(memory, address, mid)) ok = mid;
    else bad = mid;
  }
  const bytes = new Uint8Array(length);
  if (ok > 0) bytes.set(memory.copyFromUser(address, ok));
  return { bytes, notCopied: length - ok };
}

function readable(memory: UserMemory, address: bigint, length: number): boolean {
  try {
    memory.copyFromUser(address, length);
    return true;
  } catch (e) {
    if (isErrno(e, "EFAULT")) return false;
    throw e;
  }
}
