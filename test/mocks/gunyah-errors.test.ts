/**
 * Every documented error path of the gunyah mock (variant A, android14), one `it` each: the errno
 * seed-abis.md §1.6 gives, as an IoctlError naming the ioctl and the fd kind. Paths the typed
 * stubs cannot reach (values their encoders refuse) go through `rawIoctl` with bytes from the
 * generated codecs, patched at offsets from the generated JSON model.
 */
import { describe, expect, it } from "vitest";
import {
  GH_CREATE_VM, GH_FN_IOEVENTFD, GH_VM_ANDROID_LEND_USER_MEM, GH_FN_IRQFD, GH_FN_VCPU, GH_IOEVENTFD_DATAMATCH, GH_VM_ADD_FUNCTION,
  GH_VM_SET_DTB_CONFIG, GH_VM_SET_USER_MEM_REGION, GH_VM_START, GH_VM_STATUS_EXITED, GhFnDesc, GhFnIoeventfdArg,
  GhFnIrqfdArg, GhFnVcpuArg, GhUserspaceMemoryRegion, type GhUserspaceMemoryRegionInput,
} from "../../generated/ts/gunyah/index.js";
import { bufferArg, valueArg } from "../../generated/ts/runtime/fd.js";
import { eventfd, pipe } from "../../generated/ts/runtime/real-fd.js";
import { vcpuModel } from "../../src/mocks/gunyah.js";
import { addVcpu, configure, expectIoctlError, PAGE, pokeU32, setup } from "./gunyah-harness.js";

const GH = "mock:gunyah";
const VM = "mock:gunyah-vm";
const ADD = "GH_VM_ADD_FUNCTION";
const MEM = "GH_VM_SET_USER_MEM_REGION";
const LEND = "GH_VM_ANDROID_LEND_USER_MEM";

describe("/dev/gunyah", () => {
  it("GH_CREATE_VM with a non-zero machine type is EINVAL (the stub refuses it before the ioctl)", () => {
    using s = setup();
    expect(() => s.gh.createVm(1)).toThrowError(expect.objectContaining({ name: "EncodeError", path: "value" }));
    expectIoctlError(() => s.gh.rawIoctl(GH_CREATE_VM.number, valueArg(1), "GH_CREATE_VM"), "EINVAL", "GH_CREATE_VM", GH);
    expect(s.dev.vmsCreated).toBe(1); // only setup()'s
  });

  it("an ioctl of another fd kind is ENOTTY", () => {
    using s = setup();
    expectIoctlError(() => s.gh.ioctl(GH_VM_START), "ENOTTY", "GH_VM_START", GH);
  });
});

describe("GH_VM_SET_USER_MEM_REGION / GH_VM_ANDROID_LEND_USER_MEM", () => {
  const region = (s: ReturnType<typeof setup>, over: Partial<GhUserspaceMemoryRegionInput> = {}): GhUserspaceMemoryRegionInput => ({
    label: 1, flags: 7, guest_phys_addr: 0x8000_0000n, memory_size: 0x10000n, userspace_addr: s.ram, ...over,
  });

  it("flags outside READ|WRITE|EXEC are EINVAL", () => {
    using s = setup();
    const bytes = pokeU32(GhUserspaceMemoryRegion.encode(region(s)), "gh_userspace_memory_region", "flags", 8);
    expectIoctlError(() => s.vm.rawIoctl(GH_VM_SET_USER_MEM_REGION.number, bufferArg(bytes), MEM), "EINVAL", MEM, VM);
  });

  it("an unaligned guest address is EINVAL", () => {
    using s = setup();
    expectIoctlError(() => s.vm.setUserMemRegion(region(s, { guest_phys_addr: 0x8000_0800n })), "EINVAL", MEM, VM);
  });

  it("an unaligned size is EINVAL", () => {
    using s = setup();
    expectIoctlError(() => s.vm.setUserMemRegion(region(s, { memory_size: 0x1800n })), "EINVAL", MEM, VM);
  });

  it("an unaligned user address is EINVAL", () => {
    using s = setup();
    expectIoctlError(() => s.vm.setUserMemRegion(region(s, { userspace_addr: s.ram + 8n, memory_size: 0x1000n })), "EINVAL", MEM, VM);
  });

  it("a zero size is EINVAL (our choice; the seed is silent)", () => {
    using s = setup();
    expectIoctlError(() => s.vm.setUserMemRegion(region(s, { memory_size: 0n })), "EINVAL", MEM, VM);
  });

  it("without the memextent feature it is EOPNOTSUPP (android14)", () => {
    using s = setup({ memextent: false });
    expectIoctlError(() => s.vm.setUserMemRegion(region(s)), "EOPNOTSUPP", MEM, VM);
    expectIoctlError(() => s.vm.androidLendUserMem(region(s)), "EOPNOTSUPP", LEND, VM);
  });

  it("user memory that is not mapped is EFAULT (pin_user_pages)", () => {
    using s = setup();
    expectIoctlError(() => s.vm.setUserMemRegion(region(s, { userspace_addr: 0x1000n })), "EFAULT", MEM, VM);
    // the region must be mapped over its whole size
    expectIoctlError(() => s.vm.setUserMemRegion(region(s, { memory_size: 0x11000n })), "EFAULT", MEM, VM);
  });

  it("an argument pointer that is not mapped is EFAULT", () => {
    using s = setup();
    expectIoctlError(() => s.vm.rawIoctl(GH_VM_SET_USER_MEM_REGION.number, valueArg(0x10n), MEM), "EFAULT", MEM, VM);
  });

  it("a label already in use is EEXIST, across SET and LEND", () => {
    using s = setup();
    const half = s.ram + 0x8000n;
    s.vm.setUserMemRegion(region(s, { memory_size: 0x8000n }));
    expectIoctlError(
      () => s.vm.androidLendUserMem(region(s, { guest_phys_addr: 0x9000_0000n, userspace_addr: half, memory_size: 0x8000n })),
      "EEXIST", LEND, VM,
    );
  });

  it("a guest range overlapping a region is EEXIST (our choice; the seed is silent)", () => {
    using s = setup();
    s.vm.setUserMemRegion(region(s, { memory_size: 0x8000n }));
    expectIoctlError(
      () => s.vm.setUserMemRegion(region(s, { label: 2, guest_phys_addr: 0x8000_4000n, userspace_addr: s.ram + 0x8000n, memory_size: 0x8000n })),
      "EEXIST", MEM, VM,
    );
  });

  it("a guest range past 2^64 is EOVERFLOW (our choice; the seed is silent)", () => {
    using s = setup();
    expectIoctlError(() => s.vm.setUserMemRegion(region(s, { guest_phys_addr: 0xffff_ffff_ffff_f000n })), "EOVERFLOW", MEM, VM);
  });

  it("LEND_USER_MEM: flags outside RWX and unaligned values are EINVAL", () => {
    using s = setup();
    const bytes = pokeU32(GhUserspaceMemoryRegion.encode(region(s)), "gh_userspace_memory_region", "flags", 0x10);
    expectIoctlError(() => s.vm.rawIoctl(GH_VM_ANDROID_LEND_USER_MEM.number, bufferArg(bytes), LEND), "EINVAL", LEND, VM);
    expectIoctlError(() => s.vm.androidLendUserMem(region(s, { memory_size: 0x10n })), "EINVAL", LEND, VM);
  });
});

describe("GH_VM_SET_DTB_CONFIG / GH_VM_ANDROID_SET_FW_CONFIG", () => {
  it("guest_phys_addr + size overflowing u64 is EOVERFLOW", () => {
    using s = setup();
    expectIoctlError(() => s.vm.setDtbConfig({ guest_phys_addr: 0xffff_ffff_ffff_f000n, size: 0x1000n }), "EOVERFLOW", "GH_VM_SET_DTB_CONFIG", VM);
    s.vm.setDtbConfig({ guest_phys_addr: 0xffff_ffff_ffff_f000n, size: 0xfffn }); // ends exactly at 2^64 - 1
  });

  it("an unmapped argument is EFAULT", () => {
    using s = setup();
    expectIoctlError(() => s.vm.rawIoctl(GH_VM_SET_DTB_CONFIG.number, valueArg(0n), "GH_VM_SET_DTB_CONFIG"), "EFAULT", "GH_VM_SET_DTB_CONFIG", VM);
  });

  it("SET_FW_CONFIG: guest_phys_addr + size overflowing u64 is EOVERFLOW", () => {
    using s = setup();
    expectIoctlError(() => s.vm.androidSetFwConfig({ guest_phys_addr: 1n, size: 0xffff_ffff_ffff_ffffn }), "EOVERFLOW", "GH_VM_ANDROID_SET_FW_CONFIG", VM);
  });
});

describe("GH_VM_START", () => {
  it("a DTB outside every memory region is EINVAL (android14)", () => {
    using s = setup();
    s.vm.setUserMemRegion({ label: 0, flags: 7, guest_phys_addr: s.GUEST, memory_size: s.RAM_SIZE, userspace_addr: s.ram });
    s.vm.setDtbConfig({ guest_phys_addr: 0x1000n, size: 0x1000n });
    expectIoctlError(() => s.vm.start(), "EINVAL", "GH_VM_START", VM);
  });

  it("the DTB size is PAGE_ALIGNed: a DTB that fits unaligned but not aligned is EINVAL", () => {
    using s = setup();
    s.vm.setUserMemRegion({ label: 0, flags: 7, guest_phys_addr: s.GUEST, memory_size: s.RAM_SIZE, userspace_addr: s.ram });
    s.vm.setDtbConfig({ guest_phys_addr: s.GUEST + s.RAM_SIZE - 0x1000n + 8n, size: 0xff8n }); // ends at the region's end
    expectIoctlError(() => s.vm.start(), "EINVAL", "GH_VM_START", VM);
  });

  it("no memory region at all is EINVAL; after fixing the configuration START works (the VM stayed in LOAD)", () => {
    using s = setup();
    expectIoctlError(() => s.vm.start(), "EINVAL", "GH_VM_START", VM);
    configure(s.vm, s.ram);
    s.vm.start();
  });

  it("a VM the guest took down is ENODEV (not RUNNING after the start attempt)", () => {
    using s = setup({ guest: { 0: [{ op: "exit", status: GH_VM_STATUS_EXITED }] } });
    configure(s.vm, s.ram);
    s.vm.start();
    using vcpu = addVcpu(s.vm, 0);
    vcpu.run();
    expectIoctlError(() => s.vm.start(), "ENODEV", "GH_VM_START", VM);
  });
});

describe("GH_VM_ADD_FUNCTION", () => {
  it("arg_size > GH_FN_MAX_ARG_SIZE is EINVAL", () => {
    using s = setup();
    const arg = s.dev.memory.map(new Uint8Array(512));
    const desc = pokeU32(GhFnDesc.encode({ type: GH_FN_VCPU, arg_size: 4, arg }), "gh_fn_desc", "arg_size", 257);
    expectIoctlError(() => s.vm.rawIoctl(GH_VM_ADD_FUNCTION.number, bufferArg(desc), ADD), "EINVAL", ADD, VM);
    expect(() => s.vm.addFunction({ type: GH_FN_VCPU, arg: new Uint8Array(257) })).toThrowError(expect.objectContaining({ path: "arg_size" }));
    s.dev.memory.unmap(arg);
  });

  it("an unmapped descriptor is EFAULT", () => {
    using s = setup();
    expectIoctlError(() => s.vm.rawIoctl(GH_VM_ADD_FUNCTION.number, valueArg(0n), ADD), "EFAULT", ADD, VM);
  });

  it("an unmapped argument is EFAULT", () => {
    using s = setup();
    expectIoctlError(() => s.vm.addFunction({ type: GH_FN_VCPU, arg: 0xdead_0000n, arg_size: 4 }), "EFAULT", ADD, VM);
  });

  it("an unknown type returns request_module's error directly (ENOENT by default; ENOSYS without modules)", () => {
    for (const [opt, code] of [[undefined, "ENOENT"], ["ENOSYS", "ENOSYS"]] as const) {
      using s = setup(opt === undefined ? {} : { requestModuleError: opt });
      const arg = s.dev.memory.map(new Uint8Array(4));
      const desc = pokeU32(GhFnDesc.encode({ type: GH_FN_VCPU, arg_size: 4, arg }), "gh_fn_desc", "type", 9);
      expectIoctlError(() => s.vm.rawIoctl(GH_VM_ADD_FUNCTION.number, bufferArg(desc), ADD), code, ADD, VM);
      s.dev.memory.unmap(arg);
    }
  });

  it("vcpu: arg_size != 4 is EINVAL", () => {
    using s = setup();
    expectIoctlError(() => s.vm.addFunction({ type: GH_FN_VCPU, arg: new Uint8Array(8) }), "EINVAL", ADD, VM);
  });

  it("vcpu: a duplicate id is EEXIST", () => {
    using s = setup();
    using v = addVcpu(s.vm, 2);
    expectIoctlError(() => addVcpu(s.vm, 2), "EEXIST", ADD, VM);
    expect(s.dev.process.pendingFds).toBe(0);
  });

  it("irqfd: arg_size != 16 is EINVAL", () => {
    using s = setup();
    expectIoctlError(() => s.vm.addFunction({ type: GH_FN_IRQFD, arg: new Uint8Array(12) }), "EINVAL", ADD, VM);
  });

  it("irqfd: flags other than LEVEL are EINVAL", () => {
    using s = setup();
    using ev = eventfd();
    const arg = pokeU32(GhFnIrqfdArg.encode({ fd: ev.fd, label: 1, flags: 0 }), "gh_fn_irqfd_arg", "flags", 2);
    expectIoctlError(() => s.vm.addFunction({ type: GH_FN_IRQFD, arg }), "EINVAL", ADD, VM);
  });

  it("irqfd: a number that is not an open fd is EBADF", () => {
    using s = setup();
    const ev = eventfd();
    const stale = ev.fd;
    ev.close();
    expectIoctlError(() => s.vm.addFunction({ type: GH_FN_IRQFD, arg: GhFnIrqfdArg.encode({ fd: stale, label: 1, flags: 0 }) }), "EBADF", ADD, VM);
    expectIoctlError(() => s.vm.addFunction({ type: GH_FN_IRQFD, arg: GhFnIrqfdArg.encode({ fd: 0xffff_ffff, label: 1, flags: 0 }) }), "EBADF", ADD, VM);
  });

  it("irqfd: an open fd that is not an eventfd is EINVAL (eventfd_ctx_fileget's error)", () => {
    using s = setup();
    const [r, w] = pipe();
    using _r = r;
    using _w = w;
    expectIoctlError(() => s.vm.addFunction({ type: GH_FN_IRQFD, arg: GhFnIrqfdArg.encode({ fd: r.fd, label: 1, flags: 0 }) }), "EINVAL", ADD, VM);
  });

  it("irqfd: a duplicate label is EEXIST", () => {
    using s = setup();
    using a = eventfd();
    using b = eventfd();
    s.vm.addFunction({ type: GH_FN_IRQFD, arg: GhFnIrqfdArg.encode({ fd: a.fd, label: 7, flags: 0 }) });
    expectIoctlError(() => s.vm.addFunction({ type: GH_FN_IRQFD, arg: GhFnIrqfdArg.encode({ fd: b.fd, label: 7, flags: 1 }) }), "EEXIST", ADD, VM);
  });

  const io = (fd: number, over: Partial<{ datamatch: bigint; addr: bigint; len: number; flags: number }> = {}) =>
    GhFnIoeventfdArg.encode({ datamatch: 0n, addr: 0x9000n, len: 4, fd, flags: 0, ...over });

  it("ioeventfd: arg_size != 32 is EINVAL", () => {
    using s = setup();
    expectIoctlError(() => s.vm.addFunction({ type: GH_FN_IOEVENTFD, arg: new Uint8Array(16) }), "EINVAL", ADD, VM);
  });

  it("ioeventfd: unknown flags are EINVAL", () => {
    using s = setup();
    using ev = eventfd();
    const arg = pokeU32(io(ev.fd), "gh_fn_ioeventfd_arg", "flags", 2);
    expectIoctlError(() => s.vm.addFunction({ type: GH_FN_IOEVENTFD, arg }), "EINVAL", ADD, VM);
  });

  it("ioeventfd: len not in {0,1,2,4,8} is EINVAL", () => {
    using s = setup();
    using ev = eventfd();
    for (const len of [3, 5, 6, 7]) {
      expectIoctlError(() => s.vm.addFunction({ type: GH_FN_IOEVENTFD, arg: io(ev.fd, { len }) }), "EINVAL", ADD, VM);
    }
    const arg = pokeU32(io(ev.fd), "gh_fn_ioeventfd_arg", "len", 16);
    expectIoctlError(() => s.vm.addFunction({ type: GH_FN_IOEVENTFD, arg }), "EINVAL", ADD, VM);
  });

  it("ioeventfd: addr + len overflowing u64 is EINVAL", () => {
    using s = setup();
    using ev = eventfd();
    expectIoctlError(() => s.vm.addFunction({ type: GH_FN_IOEVENTFD, arg: io(ev.fd, { addr: 0xffff_ffff_ffff_fffcn, len: 4 }) }), "EINVAL", ADD, VM);
    s.vm.addFunction({ type: GH_FN_IOEVENTFD, arg: io(ev.fd, { addr: 0xffff_ffff_ffff_fffbn, len: 4 }) }); // ends at 2^64 - 1
  });

  it("ioeventfd: len 0 with DATAMATCH is EINVAL", () => {
    using s = setup();
    using ev = eventfd();
    expectIoctlError(() => s.vm.addFunction({ type: GH_FN_IOEVENTFD, arg: io(ev.fd, { len: 0, flags: GH_IOEVENTFD_DATAMATCH }) }), "EINVAL", ADD, VM);
  });

  it("ioeventfd: a bad fd is EBADF and a non-eventfd EINVAL (eventfd_ctx_fdget)", () => {
    using s = setup();
    expectIoctlError(() => s.vm.addFunction({ type: GH_FN_IOEVENTFD, arg: io(-1) }), "EBADF", ADD, VM);
    const [r, w] = pipe();
    using _r = r;
    using _w = w;
    expectIoctlError(() => s.vm.addFunction({ type: GH_FN_IOEVENTFD, arg: io(w.fd) }), "EINVAL", ADD, VM);
  });

  it("ioeventfd: the same addr/len/datamatch is EEXIST, and so is any registration a write could hit with an existing one", () => {
    using s = setup();
    using ev = eventfd();
    const DM = GH_IOEVENTFD_DATAMATCH;
    s.vm.addFunction({ type: GH_FN_IOEVENTFD, arg: io(ev.fd, { len: 4, flags: DM, datamatch: 1n }) });
    s.vm.addFunction({ type: GH_FN_IOEVENTFD, arg: io(ev.fd, { len: 4, flags: DM, datamatch: 2n }) }); // other value: fine
    s.vm.addFunction({ type: GH_FN_IOEVENTFD, arg: io(ev.fd, { len: 2 }) }); // other width: fine
    s.vm.addFunction({ type: GH_FN_IOEVENTFD, arg: io(ev.fd, { addr: 0x9004n, len: 0 }) }); // other address: fine
    for (const dup of [
      { len: 4, flags: DM, datamatch: 1n }, // identical
      { len: 4 }, // no DATAMATCH: would take datamatch 1's writes
      { len: 0 }, // any width at 0x9000
      { len: 8, addr: 0x9004n }, // 0x9004 takes every width already
    ]) {
      expectIoctlError(() => s.vm.addFunction({ type: GH_FN_IOEVENTFD, arg: io(ev.fd, dup) }), "EEXIST", ADD, VM);
    }
  });
});

describe("GH_VM_REMOVE_FUNCTION", () => {
  it("an unmapped argument is EFAULT (copy_from_user; the seed lists only EINTR)", () => {
    using s = setup();
    expectIoctlError(() => s.vm.removeFunction({ type: GH_FN_VCPU, arg: 0xdead_0000n, arg_size: 4 }), "EFAULT", "GH_VM_REMOVE_FUNCTION", VM);
  });

  it("nothing matching is not an error: 0 (android14)", () => {
    using s = setup();
    s.vm.removeFunction({ type: GH_FN_IRQFD, arg: GhFnIrqfdArg.encode({ fd: 3, label: 99, flags: 0 }) });
    s.vm.removeFunction({ type: GH_FN_VCPU, arg: new Uint8Array(0) });
  });
});

describe("vCPU fd", () => {
  it("GH_VCPU_RUN before START is ENODEV (no vCPU resource yet)", () => {
    using s = setup();
    using vcpu = addVcpu(s.vm, 0);
    expectIoctlError(() => vcpu.run(), "ENODEV", "GH_VCPU_RUN", "mock:gh-vcpu:0");
  });

  it("GH_VCPU_RUN for an id the RM has no resource for is ENODEV", () => {
    using s = setup({ vcpuResources: 2 });
    configure(s.vm, s.ram);
    s.vm.start();
    using vcpu = addVcpu(s.vm, 2);
    expectIoctlError(() => vcpu.run(), "ENODEV", "GH_VCPU_RUN", "mock:gh-vcpu:2");
  });

  it("GH_VCPU_RUN after GH_VM_REMOVE_FUNCTION removed the vCPU is ENODEV", () => {
    using s = setup({ guest: { 1: [{ op: "read", addr: 0x100n, len: 4 }] } });
    configure(s.vm, s.ram);
    s.vm.start();
    using vcpu = addVcpu(s.vm, 1);
    vcpu.run();
    s.vm.removeFunction({ type: GH_FN_VCPU, arg: GhFnVcpuArg.encode({ id: 1 }) });
    expectIoctlError(() => vcpu.run(), "ENODEV", "GH_VCPU_RUN", "mock:gh-vcpu:1");
  });

  it("GH_VCPU_RUN with immediate_exit set is EINTR", () => {
    using s = setup();
    configure(s.vm, s.ram);
    s.vm.start();
    using vcpu = addVcpu(s.vm, 0);
    using run = vcpu.map(vcpu.mmapSize());
    run.write({ ...run.read(), immediate_exit: 1, status: undefined });
    expectIoctlError(() => vcpu.run(), "EINTR", "GH_VCPU_RUN", "mock:gh-vcpu:0");
    expect(vcpuModel(vcpu).vm.events).toEqual([]); // the guest did not run
  });

  it("an ioctl of another fd kind is ENOTTY", () => {
    using s = setup();
    using vcpu = addVcpu(s.vm, 0);
    expectIoctlError(() => vcpu.ioctl(GH_VM_START), "ENOTTY", "GH_VM_START", "mock:gh-vcpu:0");
  });

  it("mmap at an offset other than 0 is refused (the kernel would SIGBUS on access; the mock says EINVAL at mmap)", () => {
    using s = setup();
    using vcpu = addVcpu(s.vm, 0);
    expect(() => vcpu.fd.mmap!(PAGE, PAGE)).toThrowError(expect.objectContaining({ code: "EINVAL", syscall: "mmap" }));
  });
});
