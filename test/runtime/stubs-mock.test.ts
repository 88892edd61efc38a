/**
 * The generated stubs (generated/ts/<family>/stubs.ts) on mock devices: user pointers are lent
 * through the simulated address space (the device reads them like copy_from_user; a bad address
 * is EFAULT), length fields are filled, nested pointers (uvirtio_expect.expects[i].blocks[j].data)
 * are walked, `returns fd` gives a new object owning the new fd, mmap views are live, errors are
 * typed and nothing leaks (fds, user memory regions).
 */
import { describe, expect, it } from "vitest";
import {
  UV_DEV_CREATE, UV_DEV_EXPECT, UvirtioExpect, UvirtioSetup, UVIRTIO_MAX_BLOCKS, UVIRTIO_MAX_EXPECTS,
  UVIRTIO_MAX_RULES,
} from "../../generated/ts/uvirtio/index.js";
import { Uvirtio, type UvirtioExpectArg } from "../../generated/ts/uvirtio/stubs.js";
import {
  GH_CREATE_VM, GH_FN_VCPU, GH_VCPU_EXIT_MMIO, GH_VCPU_RUN, GH_VM_ADD_FUNCTION, GH_VM_START, GhFnDesc, GhFnVcpuArg,
  GhVcpuRun,
} from "../../generated/ts/gunyah/index.js";
import { Gunyah, Vcpu, Vm } from "../../generated/ts/gunyah/stubs.js";
import { errno, isIoctlError } from "../../generated/ts/runtime/errors.js";
import { MockDevice, MockFd, MockProcess } from "../../generated/ts/runtime/mock-fd.js";
import { isEncodeError } from "../../generated/ts/runtime/codec.js";

/** A uvirtio model: records what UV_DEV_CREATE and UV_DEV_EXPECT read from user memory. */
class UvirtioModel extends MockDevice {
  config: Uint8Array | undefined;
  setup: ReturnType<typeof UvirtioSetup.decode> | undefined;
  blocks: { expect: number; block: number; data: number[] }[] = [];

  constructor() {
    super("uvirtio");
  }

  override ioctl(_file: MockFd, request: number, arg: bigint): number {
    if (request === UV_DEV_CREATE.number) {
      const s = UvirtioSetup.decode(this.memory.copyFromUser(arg, UvirtioSetup.SIZE));
      this.config = this.memory.copyFromUser(s.config_addr, s.config_len);
      this.setup = s;
      return 0;
    }
    if (request === UV_DEV_EXPECT.number) {
      const table = UvirtioExpect.decode(this.memory.copyFromUser(arg, UvirtioExpect.SIZE));
      table.expects.forEach((e, i) => {
        if (e.vq_name === "") return;
        e.blocks.forEach((b, j) => {
          if (b.len === 0) return;
          const total = b.rules.reduce((n, r) => n + r.len, 0);
          this.blocks.push({ expect: i, block: j, data: [...this.memory.copyFromUser(b.data, total)] });
        });
      });
      return 0;
    }
    throw errno("EINVAL");
  }
}

const emptyBlock = () => ({ len: 0, flags: 0, data: 0n, rules: Array.from({ length: UVIRTIO_MAX_RULES }, () => ({ off: 0, len: 0 })) });
const rules = (lens: number[]) => Array.from({ length: UVIRTIO_MAX_RULES }, (_, i) => ({ off: 0, len: lens[i] ?? 0 }));

describe("user pointers (uvirtio)", () => {
  it("a Uint8Array is lent for the call: the device reads it; the length field is filled", () => {
    const dev = new UvirtioModel();
    using u = Uvirtio.from(dev.open());
    u.create({ features: 1n << 32n, config_addr: Uint8Array.of(1, 2, 3, 4, 5), flags: 0, id: 16 });
    expect([...dev.config!]).toEqual([1, 2, 3, 4, 5]);
    expect(dev.setup!.config_len).toBe(5);
    expect(dev.setup!.config_addr).not.toBe(0n);
    expect(dev.memory.regionCount).toBe(0); // nothing stays mapped after the call
  });

  it("an explicit length is kept", () => {
    const dev = new UvirtioModel();
    using u = Uvirtio.from(dev.open());
    u.create({ features: 0n, config_addr: Uint8Array.of(9, 8, 7, 6), config_len: 2, flags: 0, id: 1 });
    expect([...dev.config!]).toEqual([9, 8]);
  });

  it("a raw address the process does not have mapped is EFAULT, as a typed error", () => {
    const dev = new UvirtioModel();
    using u = Uvirtio.from(dev.open());
    let caught: unknown;
    try {
      u.create({ features: 0n, config_addr: 0xdead_0000n, config_len: 4, flags: 0, id: 1 });
    } catch (e) {
      caught = e;
    }
    expect(isIoctlError(caught, "EFAULT")).toBe(true);
    expect(caught).toMatchObject({ ioctl: "UV_DEV_CREATE", fdKind: "mock:uvirtio", errno: 14 });
  });

  it("a raw address that is mapped works (memory that outlives the call)", () => {
    const dev = new UvirtioModel();
    const mine = Uint8Array.of(42, 43);
    const addr = dev.memory.map(mine);
    using u = Uvirtio.from(dev.open());
    u.create({ features: 0n, config_addr: addr, config_len: 2, flags: 0, id: 1 });
    expect([...dev.config!]).toEqual([42, 43]);
  });

  it("an invalid value is an EncodeError naming the field, and nothing was lent", () => {
    const dev = new UvirtioModel();
    using u = Uvirtio.from(dev.open());
    const big = new Uint8Array(5000); // config_len would be 5000 > UVIRTIO_MAX_CONFIG_LEN
    let caught: unknown;
    try {
      u.create({ features: 0n, config_addr: big, flags: 0, id: 1 });
    } catch (e) {
      caught = e;
    }
    expect(isEncodeError(caught)).toBe(true);
    expect((caught as { path: string }).path).toBe("config_len");
    expect(dev.config).toBeUndefined();
    expect(dev.memory.regionCount).toBe(0);
  });

  it("nested pointers: expects[i].blocks[j].data, each lent and read at its own address", () => {
    const dev = new UvirtioModel();
    using u = Uvirtio.from(dev.open());
    const table: UvirtioExpectArg = {
      expects: Array.from({ length: UVIRTIO_MAX_EXPECTS }, (_, i) => ({
        vq_name: i < 2 ? `vq${i}` : "",
        blocks: Array.from({ length: UVIRTIO_MAX_BLOCKS }, (_, j) =>
          i < 2 && j < 3
            ? { len: 64, flags: 0, data: Uint8Array.from({ length: 2 + j }, (_, k) => 16 * i + 4 * j + k), rules: rules([1, 1 + j]) }
            : emptyBlock(),
        ),
      })),
    };
    u.expect(table);
    expect(dev.blocks).toEqual(
      [0, 1].flatMap((i) => [0, 1, 2].map((j) => ({ expect: i, block: j, data: Array.from({ length: 2 + j }, (_, k) => 16 * i + 4 * j + k) }))),
    );
    expect(dev.memory.regionCount).toBe(0);
  });

  it("the escape hatch issues any descriptor without marshalling", () => {
    const dev = new UvirtioModel();
    using u = Uvirtio.from(dev.open());
    const addr = dev.memory.map(Uint8Array.of(7));
    expect(u.ioctl(UV_DEV_CREATE, { features: 0n, config_addr: addr, config_len: 1, flags: 0, id: 3 })).toBe(0);
    expect([...dev.config!]).toEqual([7]);
  });
});

/** Gunyah: /dev/gunyah → VM fds → vCPU fds with a mapped gh_vcpu_run. */
class GunyahModel extends MockDevice {
  vms = 0;
  override ioctl(_f: MockFd, request: number, _arg: bigint): number {
    if (request !== GH_CREATE_VM.number) throw errno("ENOTTY");
    this.vms++;
    return this.process.install(new VmModel(this.process).open());
  }
}

class VmModel extends MockDevice {
  started = false;
  constructor(p: MockProcess) {
    super("gunyah-vm", p);
  }
  override ioctl(_f: MockFd, request: number, arg: bigint): number {
    if (request === GH_VM_START.number) {
      this.started = true;
      return 0;
    }
    if (request === GH_VM_ADD_FUNCTION.number) {
      const d = GhFnDesc.decode(this.memory.copyFromUser(arg, GhFnDesc.SIZE));
      if (d.type !== GH_FN_VCPU || d.arg_size !== GhFnVcpuArg.SIZE) throw errno("EINVAL");
      const { id } = GhFnVcpuArg.decode(this.memory.copyFromUser(d.arg, d.arg_size));
      return this.process.install(new VcpuModel(this.process, id).open());
    }
    throw errno("ENOTTY");
  }
}

class VcpuModel extends MockDevice {
  readonly page = new Uint8Array(4096);
  constructor(p: MockProcess, readonly id: number) {
    super(`gunyah-vcpu${id}`, p);
  }
  override ioctl(_f: MockFd, request: number): number {
    if (request !== GH_VCPU_RUN.number) throw errno("ENOTTY");
    const run = GhVcpuRun.decode(this.page);
    if (run.immediate_exit) throw errno("EINTR");
    GhVcpuRun.encodeInto(new DataView(this.page.buffer), 0, {
      immediate_exit: 0, exit_reason: GH_VCPU_EXIT_MMIO,
      mmio: { phys_addr: 0x1000n + BigInt(this.id), data: Uint8Array.of(1, 2, 3, 4, 0, 0, 0, 0), len: 4, is_write: 1 },
    });
    return 0;
  }
  override mmap(_f: MockFd, length: number): Uint8Array {
    return this.page.subarray(0, length);
  }
}

describe("fd objects (gunyah)", () => {
  it("createVm returns a Vm owning the new fd; children outlive their parent", () => {
    const dev = new GunyahModel("gunyah");
    const gh = Gunyah.from(dev.open());
    const vm = gh.createVm(0);
    expect(vm).toBeInstanceOf(Vm);
    expect(dev.process.pendingFds).toBe(0);
    gh.close();
    expect(vm.closed).toBe(false);
    vm.start();
    vm.close();
    expect(dev.openCount).toBe(0);
  });

  it("a by-value argument outside the spec's range is an EncodeError, and no ioctl is issued", () => {
    const dev = new GunyahModel("gunyah");
    using gh = Gunyah.from(dev.open());
    expect(() => gh.createVm(1)).toThrowError(expect.objectContaining({ name: "EncodeError", path: "value" }));
    expect(dev.vms).toBe(0);
  });

  it("a pointer to an encoded struct, a returned fd number, and a live mmap view", () => {
    const dev = new GunyahModel("gunyah");
    using gh = Gunyah.from(dev.open());
    using vm = gh.createVm(0n);
    const n = vm.addFunction({ type: GH_FN_VCPU, arg: GhFnVcpuArg.encode({ id: 3 }) });
    using vcpu = Vcpu.from(vm.fd.adopt(n, "vcpu"));
    using run = vcpu.map(4096);
    expect(run.bytes.length).toBe(4096);
    vcpu.run();
    const st = run.read();
    expect(st.exit_reason).toBe(GH_VCPU_EXIT_MMIO);
    expect(st.mmio.phys_addr).toBe(0x1003n);
    expect([...st.mmio.data]).toEqual([1, 2, 3, 4, 0, 0, 0, 0]);
    // Writes through the view reach the device: immediate_exit makes the next run fail.
    run.write({ ...st, immediate_exit: 1, status: undefined });
    expect(() => vcpu.run()).toThrowError(expect.objectContaining({ code: "EINTR", ioctl: "GH_VCPU_RUN" }));
    expect(dev.memory.regionCount).toBe(1); // only the mapping
    run.unmap();
    expect(dev.memory.regionCount).toBe(0);
  });

  it("an ioctl the device does not know is ENOTTY with the stub's ioctl name", () => {
    const dev = new GunyahModel("gunyah");
    using gh = Gunyah.from(dev.open());
    expect(() => gh.androidTentativeUapi()).toThrowError(
      expect.objectContaining({ code: "ENOTTY", ioctl: "GH_ANDROID_TENTATIVE_UAPI", fdKind: "mock:gunyah" }),
    );
  });
});
