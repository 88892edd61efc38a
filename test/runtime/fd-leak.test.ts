import { describe, expect, it } from "vitest";
import { errno, isIoctlError } from "../../src/runtime/errors.js";
import { bufferArg, type Fd, NO_ARG } from "../../src/runtime/fd.js";
import { MockDevice, type MockFd } from "../../src/runtime/mock-fd.js";
import { openFd, pipe } from "../../src/runtime/real-fd.js";
import { openFdCount as openFds } from "../helpers/open-fds.js";
import { cConstants, HAVE_GCC, need } from "./host-c.js";

const CYCLES = 10_000;

const FIONREAD = HAVE_GCC ? need(cConstants(["sys/ioctl.h"], { FIONREAD: "FIONREAD" }), "FIONREAD") : -1;
if (!HAVE_GCC) console.warn("SKIPPED: real-fd leak tests — gcc not found (FIONREAD comes from C)");

/** One open/ioctl/close cycle where the ioctl fails half the time: error paths must not leak either. */
function cycle(open: () => Fd, i: number): void {
  using fd = open();
  try {
    fd.ioctl(FIONREAD, bufferArg(new Uint8Array(4)), "FIONREAD");
  } catch (e) {
    if (!isIoctlError(e)) throw e;
  }
  if (i % 2 === 0) fd.close(); // the other half is closed by `using`
}

describe("fd leaks", () => {
  it.skipIf(!HAVE_GCC)(`${CYCLES} open/ioctl/close cycles on /dev/null (ENOTTY) and on pipes leave /proc/self/fd unchanged`, () => {
    const before = openFds();
    for (let i = 0; i < CYCLES; i++) cycle(() => openFd("/dev/null"), i);
    for (let i = 0; i < CYCLES / 2; i++) {
      const [r, w] = pipe();
      cycle(() => r, i);
      cycle(() => w, i + 1);
    }
    for (let i = 0; i < CYCLES; i++) {
      try {
        openFd("/nonexistent/abigen");
      } catch {
        /* ENOENT: nothing to close */
      }
    }
    expect(openFds()).toBe(before);
  });

  it(`${CYCLES} mock open/ioctl/close cycles leave no open files, regions or pending fds (nor real fds)`, () => {
    class Counter extends MockDevice {
      override ioctl(_f: MockFd, request: number, arg: bigint): number {
        if (request !== 1) throw errno("ENOTTY");
        this.memory.copyToUser(arg, new Uint8Array([1, 0, 0, 0]));
        return 0;
      }
    }
    const dev = new Counter("counter");
    const before = openFds();
    for (let i = 0; i < CYCLES; i++) {
      using fd = dev.open();
      fd.ioctl(1, bufferArg(new Uint8Array(4)));
      try {
        fd.ioctl(2, NO_ARG);
      } catch (e) {
        if (!isIoctlError(e, "ENOTTY")) throw e;
      }
    }
    expect(dev.openCount).toBe(0);
    expect(dev.memory.regionCount).toBe(0);
    expect(dev.process.pendingFds).toBe(0);
    expect(openFds()).toBe(before);
  });
});
