/**
 * fd leak test of the gunyah mock: 10k cycles of open /dev/gunyah → create VM → irqfd and
 * ioeventfd on real eventfds (the mock dups them) → vCPU → mmap → run → close everything, with
 * failing ioctls mixed in (EEXIST after the eventfd was dup'ed, EBADF, a non-eventfd), leave
 * /proc/self/fd unchanged and nothing pending in the mock (files, fds, mapped regions, VMs).
 */
import { describe, expect, it } from "vitest";
import {
  GH_FN_IOEVENTFD, GH_FN_IRQFD, GH_VCPU_EXIT_MMIO, GhFnIoeventfdArg, GhFnIrqfdArg,
} from "../../generated/ts/gunyah/index.js";
import { Gunyah } from "../../generated/ts/gunyah/stubs.js";
import { isIoctlError } from "../../generated/ts/runtime/errors.js";
import { eventfd, eventfdRead, pipe } from "../../generated/ts/runtime/real-fd.js";
import { GunyahDevice } from "../../src/mocks/gunyah.js";
import { addVcpu, configure, openFds } from "./gunyah-harness.js";

const CYCLES = 10_000;

function expectErrno(fn: () => unknown, code: string): void {
  try {
    fn();
  } catch (e) {
    if (isIoctlError(e, code)) return;
    throw e;
  }
  throw new Error(`expected ${code}`);
}

describe("gunyah mock fd leaks", () => {
  it(`${CYCLES} open/create/add/run/close cycles with real eventfds leave /proc/self/fd and the mock unchanged`, () => {
    const dev = new GunyahDevice({ guest: { 0: [{ op: "write", addr: 0x9000n, len: 4, data: 1n }, { op: "read", addr: 0x10n, len: 4 }] } });
    const ram = dev.memory.map(new Uint8Array(0x10000));
    const [notEventfd, pipeW] = pipe();
    const before = openFds();
    for (let i = 0; i < CYCLES; i++) {
      using gh = Gunyah.from(dev.open());
      using vm = gh.createVm(0);
      // non-blocking, so a missing signal fails (EAGAIN) instead of hanging the test
      using ev = eventfd(0, { nonblock: true });
      using bell = eventfd(0, { nonblock: true });
      configure(vm, ram);
      const irq = GhFnIrqfdArg.encode({ fd: bell.fd, label: 1, flags: 0 });
      vm.addFunction({ type: GH_FN_IRQFD, arg: irq });
      expectErrno(() => vm.addFunction({ type: GH_FN_IRQFD, arg: irq }), "EEXIST"); // dup'ed, then refused
      expectErrno(() => vm.addFunction({ type: GH_FN_IRQFD, arg: GhFnIrqfdArg.encode({ fd: notEventfd.fd, label: 2, flags: 0 }) }), "EINVAL");
      const io = GhFnIoeventfdArg.encode({ datamatch: 0n, addr: 0x9000n, len: 4, fd: ev.fd, flags: 0 });
      vm.addFunction({ type: GH_FN_IOEVENTFD, arg: io });
      expectErrno(() => vm.addFunction({ type: GH_FN_IOEVENTFD, arg: io }), "EEXIST");
      expectErrno(() => vm.addFunction({ type: GH_FN_IOEVENTFD, arg: GhFnIoeventfdArg.encode({ datamatch: 0n, addr: 0xa000n, len: 4, fd: -1, flags: 0 }) }), "EBADF");
      vm.start();
      using vcpu = addVcpu(vm, 0);
      using run = vcpu.map(vcpu.mmapSize());
      vcpu.run();
      if (run.read().exit_reason !== GH_VCPU_EXIT_MMIO) throw new Error("expected an MMIO exit");
      if (eventfdRead(ev) !== 1n) throw new Error("expected the ioeventfd signal");
      if (i % 2 === 0) vm.removeFunction({ type: GH_FN_IRQFD, arg: irq }); // the rest goes with the VM
      if (i % 3 === 0) vcpu.close(); // and the others after the VM fd, by `using`
    }
    expect(openFds()).toBe(before);
    expect(dev.vmsCreated).toBe(CYCLES);
    expect(dev.vmsReleased).toBe(CYCLES);
    expect(dev.liveVms.size).toBe(0);
    expect(dev.openCount).toBe(0);
    expect(dev.process.pendingFds).toBe(0);
    expect(dev.memory.regionCount).toBe(1); // only `ram`
    notEventfd.close();
    pipeW.close();
    dev.memory.unmap(ram);
  });
});
