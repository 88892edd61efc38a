/**
 * 10k open/ioctl/close cycles on the uvirtio mock through the generated stubs — successful
 * expect+create cycles and failing ones (EINVAL, ENOMEM, positive counts) — leave no open files,
 * no registered devices (none is STICK), no mapped user memory and /proc/self/fd unchanged.
 */
import { openFdCount as openFds } from "../helpers/open-fds.js";
import { describe, expect, it } from "vitest";
import { isIoctlError, isIoctlResultError } from "../../generated/ts/runtime/errors.js";
import { Uvirtio } from "../../generated/ts/uvirtio/stubs.js";
import { UvirtioMock } from "../../src/mocks/uvirtio.js";
import { defaultCycleArgs, runUvirtioCycle } from "../../src/mocks/uvirtio/cycle.js";

const CYCLES = 10_000;

describe("uvirtio mock: leaks", () => {
  it(`${CYCLES} open/expect/create/close cycles, a third of them failing, leave nothing behind`, () => {
    const mock = new UvirtioMock();
    const args = defaultCycleArgs();
    const bad = { ...args.setup, config_addr: 0x1000n, config_len: 16 };
    const before = openFds();
    for (let i = 0; i < CYCLES; i++) {
      if (i % 3 !== 0) {
        runUvirtioCycle(mock, args);
        continue;
      }
      using u = Uvirtio.from(mock.open());
      try {
        if (i % 2 === 0) u.create(bad); // positive count → IoctlResultError
        u.create(args.setup);
        u.create(args.setup); // EINVAL: already created
      } catch (e) {
        if (!isIoctlError(e, "EINVAL") && !isIoctlResultError(e)) throw e;
      }
    }
    expect(openFds()).toBe(before);
    expect(mock.openCount).toBe(0);
    expect(mock.bus.size).toBe(0);
    expect(mock.memory.regionCount).toBe(0);
    expect(mock.process.pendingFds).toBe(0);
  });
});
