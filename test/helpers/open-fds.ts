/**
 * What this process has open, for leak tests. Regular files are left out: Node's module loader
 * and the libuv thread pool open and close them at any moment (an async read that started before
 * a synchronous test loop can open its file in the middle of it), and a test that counted them
 * would fail on noise. Devices, pipes, sockets, anonymous inodes and memfds — everything the
 * runtime and the mocks create — are kept.
 */
import { readdirSync, readlinkSync } from "node:fs";

function linkOf(fd: string): string | undefined {
  try {
    return readlinkSync(`/proc/self/fd/${fd}`);
  } catch {
    return undefined; // closed since the listing (the listing's own directory fd, for one)
  }
}

const isRegularFile = (target: string): boolean =>
  target.startsWith("/") && !target.startsWith("/dev/") && !target.startsWith("/memfd:");

/** `"<fd> <target>"` for every open fd that is not a regular file, sorted. */
export function openFds(): string[] {
  const out: string[] = [];
  for (const fd of readdirSync("/proc/self/fd")) {
    const target = linkOf(fd);
    if (target !== undefined && !isRegularFile(target)) out.push(`${fd} ${target}`);
  }
  return out.sort();
}

export const openFdCount = (): number => openFds().length;

/** How many open fds link to exactly `target` (e.g. "/dev/null", "anon_inode:[eventfd]"). */
export const fdsLinkingTo = (target: string): number => openFds().filter((e) => e.endsWith(` ${target}`)).length;
