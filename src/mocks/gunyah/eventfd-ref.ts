/**
 * The mock's `eventfd_ctx_fdget`: irqfd and ioeventfd take their own reference on the caller's
 * eventfd, so the caller may close its fd afterwards. The mock gets that reference by dup'ing the
 * real fd (F_DUPFD_CLOEXEC) and owns the duplicate until the function is removed or the VM freed.
 *
 * Errors as the kernel's helper returns them: a number that is not an open fd → EBADF; an open
 * file that is not an eventfd → EINVAL (eventfd_ctx_fileget checks f_op == &eventfd_fops; the mock
 * asks /proc/self/fd, where an eventfd reads "anon_inode:[eventfd]").
 */
import { readlinkSync } from "node:fs";
import { errno, isSyscallError } from "../../../generated/ts/runtime/errors.js";
import { dupFd, type RealFd } from "../../../generated/ts/runtime/real-fd.js";

const EVENTFD_LINK = "anon_inode:[eventfd]";

/** A reference to the eventfd behind `fd` (a real fd number of this process). */
export function eventfdCtxFdget(fd: number): RealFd {
  let ref: RealFd;
  try {
    ref = dupFd(fd, "eventfd-ref");
  } catch (e) {
    if (isSyscallError(e)) throw errno(e.code); // EBADF: not an open fd
    throw e;
  }
  if (linkOf(ref.fd) !== EVENTFD_LINK) {
    ref.close();
    throw errno("EINVAL", `fd ${fd} is not an eventfd`);
  }
  return ref;
}

function linkOf(fd: number): string | undefined {
  try {
    return readlinkSync(`/proc/self/fd/${fd}`);
  } catch {
    return undefined;
  }
}

/** Drains an eventfd reference: the sum of what was signalled since the last drain (0 if none). */
export function drainEventfd(ref: RealFd): bigint {
  let total = 0n;
  const word = new Uint8Array(8);
  // Poll before each read so a blocking eventfd never blocks the mock; semaphore mode reads 1 a time.
  while (ref.waitReadable(0)) {
    ref.read(word);
    total += new BigUint64Array(word.buffer)[0]!;
  }
  return total;
}
