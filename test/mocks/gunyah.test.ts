/**
 * The gunyah mock's happy paths through the generated stubs: a VM configured, started and run
 * through MMIO exits to a STATUS exit; irqfd and ioeventfd on real eventfds; REMOVE_FUNCTION's
 * memcmp matching; fd lifetime (vCPU fds keep their VM alive; the last close tears it down).
 */
import { describe, expect, it } from "vitest";
import {
  GH_FN_IOEVENTFD, GH_FN_IRQFD, GH_FN_VCPU, GH_IOEVENTFD_DATAMATCH, GH_IRQFD_LEVEL, GH_VCPU_EXIT_MMIO,
  GH_VCPU_EXIT_STATUS, GH_VM_STATUS_CRASHED, GH_VM_STATUS_EXITED, GhFnIoeventfdArg, GhFnIrqfdArg, GhFnVcpuArg,
} from "../../generated/ts/gunyah/index.js";
import { eventfd, eventfdRead, eventfdSignal } from "../../generated/ts/runtime/real-fd.js";
import { vcpuModel, vmModel } from "../../src/mocks/gunyah.js";
import { addVcpu, configure, eventfdCount, PAGE, setup } from "./gunyah-harness.js";

const bytes = (...b: number[]) => Uint8Array.from(b);

describe("a VM from create to STATUS", () => {
  it("create → memory → DTB → vCPU → mmap → start → MMIO write, MMIO read, STATUS; later runs keep the STATUS", () => {
    using s = setup();
    const vm = vmModel(s.vm);
    expect(vm.state).toBe("LOAD"); // android14: the VMID exists from create
    configure(s.vm, s.ram);
    expect(vm.regions).toEqual([{ label: 0, flags: 7, guestPhysAddr: s.GUEST, size: s.RAM_SIZE, userspaceAddr: s.ram, lent: false }]);
    vm.loadGuest(0, [
      { op: "write", addr: 0x9000_0000n, len: 4, data: 0x1122_3344_deadbeefn },
      { op: "read", addr: 0x9000_0010n, len: 2 },
      { op: "exit", status: GH_VM_STATUS_CRASHED, type: 3, reason: bytes(0x6f, 0x6f, 0x70, 0x73) },
    ]);
    using vcpu = addVcpu(s.vm, 0);
    expect(vcpu.mmapSize()).toBe(PAGE);
    using run = vcpu.map(vcpu.mmapSize());
    expect(run.bytes.length).toBe(PAGE);
    s.vm.start();
    s.vm.start(); // idempotent
    expect(vm.state).toBe("RUNNING");

    vcpu.run();
    let st = run.read();
    expect(st.exit_reason).toBe(GH_VCPU_EXIT_MMIO);
    expect(st.mmio).toMatchObject({ phys_addr: 0x9000_0000n, len: 4, is_write: 1 });
    // a 4-byte store writes the value's low 4 bytes (host-order memcpy of the u64: little endian here)
    expect([...st.mmio.data.subarray(0, 4)]).toEqual([0xef, 0xbe, 0xad, 0xde]);

    vcpu.run();
    st = run.read();
    expect(st.exit_reason).toBe(GH_VCPU_EXIT_MMIO);
    expect(st.mmio).toMatchObject({ phys_addr: 0x9000_0010n, len: 2, is_write: 0 });
    // user space answers the load in mmio.data before the next RUN
    run.write({ ...st, mmio: { ...st.mmio, data: bytes(0x34, 0x12, 0xff, 0xff, 0, 0, 0, 0) }, status: undefined });

    vcpu.run();
    st = run.read();
    expect(st.exit_reason).toBe(GH_VCPU_EXIT_STATUS);
    expect(st.status.status).toBe(GH_VM_STATUS_CRASHED);
    expect(st.status.exit_info).toMatchObject({ type: 3, reason_size: 4 });
    expect([...st.status.exit_info.reason]).toEqual([0x6f, 0x6f, 0x70, 0x73, 0, 0, 0, 0]);
    expect(vm.events).toEqual([
      { kind: "read", vcpu: 0, addr: 0x9000_0010n, len: 2, value: 0x1234n }, // only mmio.len bytes were taken
      { kind: "exit", vcpu: 0, status: GH_VM_STATUS_CRASHED },
    ]);
    expect(vm.state).toBe("EXITED");

    vcpu.run();
    vcpu.run();
    expect(run.read()).toEqual(st);
  });

  it("other vCPUs see the STATUS on their next run; a used-up script powers the VM off", () => {
    using s = setup({ guest: { 0: [{ op: "read", addr: 0x10n, len: 1 }] } });
    configure(s.vm, s.ram);
    s.vm.start();
    using a = addVcpu(s.vm, 0);
    using b = addVcpu(s.vm, 1); // no script: it powers off at once
    using runA = a.map(PAGE);
    using runB = b.map(PAGE);
    a.run();
    expect(runA.read().exit_reason).toBe(GH_VCPU_EXIT_MMIO);
    b.run();
    expect(runB.read().exit_reason).toBe(GH_VCPU_EXIT_STATUS);
    expect(runB.read().status.status).toBe(GH_VM_STATUS_EXITED);
    a.run(); // completes the read, then finds the VM down
    expect(runA.read().exit_reason).toBe(GH_VCPU_EXIT_STATUS);
    expect(vmModel(s.vm).events.map((e) => e.kind)).toEqual(["exit", "read"]);
  });

  it("a vCPU added after START gets its resource and runs", () => {
    using s = setup({ guest: { 3: [{ op: "write", addr: 0x20n, len: 1, data: 0x1ffn }] } });
    configure(s.vm, s.ram);
    s.vm.start();
    using v = addVcpu(s.vm, 3);
    using run = v.map(PAGE);
    v.run();
    expect(run.read().mmio).toMatchObject({ phys_addr: 0x20n, len: 1, is_write: 1 });
    expect(run.read().mmio.data[0]).toBe(0xff);
  });

  it("LEND_USER_MEM also registers a mapping the DTB may lie in; SET_FW_CONFIG marks an Android pVM", () => {
    using s = setup();
    s.vm.androidLendUserMem({ label: 4, flags: 3, guest_phys_addr: 0x4000_0000n, memory_size: 0x2000n, userspace_addr: s.ram });
    s.vm.setDtbConfig({ guest_phys_addr: 0x4000_1000n, size: 1n });
    s.vm.androidSetFwConfig({ guest_phys_addr: 0x4000_0000n, size: 0x1000n });
    s.vm.start();
    const vm = vmModel(s.vm);
    expect(vm.regions[0]).toMatchObject({ label: 4, lent: true });
    expect(vm.dtb).toEqual({ guestPhysAddr: 0x4000_1000n, size: 0x1000n }); // PAGE_ALIGNed
    expect(vm.authType).toBe("android-pvm");
  });

  it("GH_ANDROID_TENTATIVE_UAPI returns 0", () => {
    using s = setup();
    s.gh.androidTentativeUapi();
  });
});

describe("ioeventfd: guest writes signal a real eventfd instead of exiting", () => {
  it("without DATAMATCH every write at the address signals; other writes exit", () => {
    using s = setup();
    configure(s.vm, s.ram);
    using ev = eventfd(0, { nonblock: true });
    s.vm.addFunction({ type: GH_FN_IOEVENTFD, arg: GhFnIoeventfdArg.encode({ datamatch: 0n, addr: 0x9000n, len: 4, fd: ev.fd, flags: 0 }) });
    vmModel(s.vm).loadGuest(0, [
      { op: "write", addr: 0x9000n, len: 4, data: 1n },
      { op: "write", addr: 0x9000n, len: 4, data: 7n },
      { op: "write", addr: 0x9000n, len: 2, data: 7n }, // another width: not this handler
    ]);
    s.vm.start();
    using vcpu = addVcpu(s.vm, 0);
    using run = vcpu.map(PAGE);
    vcpu.run();
    expect(run.read().mmio).toMatchObject({ phys_addr: 0x9000n, len: 2, is_write: 1 });
    expect(eventfdRead(ev)).toBe(2n); // eventfd_signal(ctx, 1) twice
    expect(vmModel(s.vm).events.filter((e) => e.kind === "ioeventfd")).toHaveLength(2);
  });

  it("with DATAMATCH only the matching value signals; len 0 takes any width", () => {
    using s = setup();
    configure(s.vm, s.ram);
    using match = eventfd(0, { nonblock: true });
    using any = eventfd(0, { nonblock: true });
    s.vm.addFunction({
      type: GH_FN_IOEVENTFD,
      arg: GhFnIoeventfdArg.encode({ datamatch: 0x42n, addr: 0xa000n, len: 4, fd: match.fd, flags: GH_IOEVENTFD_DATAMATCH }),
    });
    s.vm.addFunction({ type: GH_FN_IOEVENTFD, arg: GhFnIoeventfdArg.encode({ datamatch: 0n, addr: 0xb000n, len: 0, fd: any.fd, flags: 0 }) });
    vmModel(s.vm).loadGuest(0, [
      { op: "write", addr: 0xa000n, len: 4, data: 0x42n },
      { op: "write", addr: 0xb000n, len: 1, data: 1n },
      { op: "write", addr: 0xb000n, len: 8, data: 1n },
      { op: "write", addr: 0xa000n, len: 4, data: 0x43n },
    ]);
    s.vm.start();
    using vcpu = addVcpu(s.vm, 0);
    using run = vcpu.map(PAGE);
    vcpu.run();
    expect(run.read().mmio).toMatchObject({ phys_addr: 0xa000n, len: 4, is_write: 1 });
    expect([...run.read().mmio.data.subarray(0, 4)]).toEqual([0x43, 0, 0, 0]);
    expect(eventfdRead(match)).toBe(1n);
    expect(eventfdRead(any)).toBe(2n);
  });
});

describe("irqfd: signalling the real eventfd rings the guest's doorbell", () => {
  it("signals seen by the guest at GH_VCPU_RUN, with the label and LEVEL flag; none before START", () => {
    using s = setup({ guest: { 0: [{ op: "read", addr: 0x10n, len: 4 }, { op: "read", addr: 0x14n, len: 4 }] } });
    configure(s.vm, s.ram);
    using ev = eventfd(0, { nonblock: true });
    expect(s.vm.addFunction({ type: GH_FN_IRQFD, arg: GhFnIrqfdArg.encode({ fd: ev.fd, label: 5, flags: GH_IRQFD_LEVEL }) })).toBe(0);
    const vm = vmModel(s.vm);
    eventfdSignal(ev.fd);
    vm.pollIrqfds();
    expect(vm.events).toEqual([]); // no doorbell before START: still pending in the eventfd
    s.vm.start();
    using vcpu = addVcpu(s.vm, 0);
    vcpu.run();
    expect(vm.events).toEqual([{ kind: "irq", label: 5, level: true, count: 1n }]);
    eventfdSignal(ev.fd, 3n);
    vcpu.run();
    expect(vm.events.slice(1)).toEqual([
      { kind: "read", vcpu: 0, addr: 0x10n, len: 4, value: 0n }, // the pending load completes first
      { kind: "irq", label: 5, level: true, count: 3n },
    ]);
  });

  it("the VM keeps its own reference: the caller may close its eventfd; REMOVE_FUNCTION drops the reference", () => {
    using s = setup();
    const before = eventfdCount();
    const ev = eventfd();
    const arg = GhFnIrqfdArg.encode({ fd: ev.fd, label: 1, flags: 0 });
    s.vm.addFunction({ type: GH_FN_IRQFD, arg });
    expect(eventfdCount()).toBe(before + 2);
    ev.close();
    expect(eventfdCount()).toBe(before + 1); // the VM's reference
    s.vm.removeFunction({ type: GH_FN_IRQFD, arg });
    expect(eventfdCount()).toBe(before);
    expect(vmModel(s.vm).irqfdCount).toBe(0);
  });
});

describe("GH_VM_REMOVE_FUNCTION (android14: type + memcmp of the argument)", () => {
  it("removes only a byte-identical argument of the same type", () => {
    using s = setup();
    using ev = eventfd(0, { nonblock: true });
    const vm = vmModel(s.vm);
    const arg = GhFnIoeventfdArg.encode({ datamatch: 0n, addr: 0x9000n, len: 4, fd: ev.fd, flags: 0 });
    s.vm.addFunction({ type: GH_FN_IOEVENTFD, arg });
    // same handler, other bytes (v17 would match on addr/len/flags; android14 does not)
    s.vm.removeFunction({ type: GH_FN_IOEVENTFD, arg: GhFnIoeventfdArg.encode({ datamatch: 5n, addr: 0x9000n, len: 4, fd: ev.fd, flags: 0 }) });
    expect(vm.ioeventfdCount).toBe(1);
    s.vm.removeFunction({ type: GH_FN_IRQFD, arg: arg.subarray(0, 16) }); // other type
    expect(vm.ioeventfdCount).toBe(1);
    s.vm.removeFunction({ type: GH_FN_IOEVENTFD, arg });
    expect(vm.ioeventfdCount).toBe(0);
    s.vm.addFunction({ type: GH_FN_IOEVENTFD, arg }); // and it may be added again
    expect(vm.functionCount).toBe(1);
  });

  it("a removed vCPU id may be added again (its ticket is gone)", () => {
    using s = setup();
    using a = addVcpu(s.vm, 4);
    s.vm.removeFunction({ type: GH_FN_VCPU, arg: GhFnVcpuArg.encode({ id: 4 }) });
    expect(vcpuModel(a).bound).toBe(false);
    using b = addVcpu(s.vm, 4);
    expect(vcpuModel(b).bound).toBe(true);
  });
});

describe("fd lifetime", () => {
  it("closing the VM fd while a vCPU fd is open keeps the VM alive; closing the vCPU releases it", () => {
    using s = setup({ guest: { 0: [{ op: "read", addr: 0x10n, len: 4 }] } });
    configure(s.vm, s.ram);
    using ev = eventfd(0, { nonblock: true });
    s.vm.addFunction({ type: GH_FN_IRQFD, arg: GhFnIrqfdArg.encode({ fd: ev.fd, label: 1, flags: 0 }) });
    s.vm.start();
    const vcpu = addVcpu(s.vm, 0);
    const vm = vmModel(s.vm);
    const withRef = eventfdCount();
    expect(vm.refs).toBe(2);
    s.vm.close();
    expect(vm.released).toBe(false);
    expect(s.dev.liveVms.size).toBe(1);
    vcpu.run(); // still runs
    expect(vm.state).toBe("RUNNING");
    vcpu.close();
    expect(vm.released).toBe(true);
    expect(vm.state).toBe("RESET");
    expect(s.dev.vmsReleased).toBe(1);
    expect(s.dev.liveVms.size).toBe(0);
    expect(vm.functionCount).toBe(0);
    expect(vm.regions).toEqual([]);
    expect(eventfdCount()).toBe(withRef - 1); // the irqfd's reference went with the VM
    expect(s.dev.openCount).toBe(1); // /dev/gunyah itself
  });

  it("closing vCPU fds first, then the VM fd, releases at the last close; /dev/gunyah's fd is independent", () => {
    using s = setup();
    const a = addVcpu(s.vm, 0);
    const b = addVcpu(s.vm, 1);
    s.gh.close(); // the VM does not need /dev/gunyah
    a.close();
    b.close();
    expect(s.dev.vmsReleased).toBe(0);
    expect(vmModel(s.vm).refs).toBe(1);
    s.vm.close();
    expect(s.dev.vmsReleased).toBe(1);
  });

  it("a removed vCPU still holds its VM until its fd is closed", () => {
    using s = setup();
    const v = addVcpu(s.vm, 0);
    s.vm.removeFunction({ type: GH_FN_VCPU, arg: GhFnVcpuArg.encode({ id: 0 }) });
    s.vm.close();
    expect(s.dev.vmsReleased).toBe(0);
    v.close();
    expect(s.dev.vmsReleased).toBe(1);
  });
});
