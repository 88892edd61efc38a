/**
 * Model-based test of the gunyah mock (fast-check commands): random sequences of memory regions,
 * DTB config, START, vCPU add/remove/close/run, irqfd add/remove and closing the VM fd, each
 * checked against a small model of the android14 driver — the outcome (errno or exit reason) and
 * the VM's state, regions, functions and references after every command. At the end every fd is
 * closed and nothing may be left: the VM released, no pending fds, no mapped regions, no eventfd
 * references.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  GH_FN_IRQFD, GH_FN_VCPU, GH_VCPU_EXIT_MMIO, GH_VCPU_EXIT_STATUS, GhFnIrqfdArg, GhFnVcpuArg,
} from "../../generated/ts/gunyah/index.js";
import type { Vcpu, Vm } from "../../generated/ts/gunyah/stubs.js";
import { isIoctlError } from "../../generated/ts/runtime/errors.js";
import { eventfd, type RealFd } from "../../generated/ts/runtime/real-fd.js";
import { type GuestAction, GunyahDevice, vmModel } from "../../src/mocks/gunyah.js";
import { Gunyah } from "../../generated/ts/gunyah/stubs.js";
import { addVcpu, eventfdCount } from "./gunyah-harness.js";

const GUEST = 0x8000_0000n;
const SLOT = 0x2000n;
const VCPU_IDS = 4;
/** Each vCPU's guest: a store (MMIO exit), a load (MMIO exit), then power off (used-up script). */
const program = (id: number): GuestAction[] => [
  { op: "write", addr: 0x9000n + BigInt(id), len: 1, data: BigInt(id) },
  { op: "read", addr: 0x9100n, len: 4 },
];

type RunState = "UNKNOWN" | "READY" | "MMIO_READ" | "DOWN";
interface VcpuModel {
  readonly id: number;
  bound: boolean;
  open: boolean;
  run: RunState;
}
interface Model {
  vmOpen: boolean;
  state: "LOAD" | "RUNNING" | "EXITED" | "RESET";
  started: boolean;
  regions: { label: number; start: bigint; end: bigint }[];
  dtb: { start: bigint; end: bigint };
  vcpus: VcpuModel[];
  pcs: Map<number, number>;
  irqLabels: Set<number>;
}
interface Real {
  dev: GunyahDevice;
  vm: Vm;
  ram: bigint;
  vcpus: Vcpu[];
  ev: RealFd;
}

function outcome(fn: () => unknown): string {
  try {
    fn();
    return "ok";
  } catch (e) {
    if (isIoctlError(e)) return e.code;
    throw e;
  }
}

const refs = (m: Model) => (m.vmOpen ? 1 : 0) + m.vcpus.filter((v) => v.open).length;
const functions = (m: Model) => m.vcpus.filter((v) => v.bound).length + m.irqLabels.size;

/** Releases the model's VM when its last reference went, as the mock must. */
function settle(m: Model): void {
  if (refs(m) === 0 && m.state !== "RESET") {
    m.state = "RESET";
    m.regions = [];
    for (const v of m.vcpus) v.bound = false;
    m.irqLabels.clear();
  }
}

function consistent(m: Model, r: Real): void {
  settle(m);
  const vm = vmModel(r.vm);
  expect(vm.state).toBe(m.state);
  expect(vm.regions.map((x) => x.label)).toEqual(m.regions.map((x) => x.label));
  expect(vm.refs).toBe(refs(m));
  expect(vm.released).toBe(m.state === "RESET");
  expect(vm.functionCount).toBe(functions(m));
  expect(vm.irqfdCount).toBe(m.irqLabels.size);
  expect(r.dev.process.pendingFds).toBe(0);
}

type Cmd = fc.Command<Model, Real>;

/** Outcomes the random sequences produced, "command:result". */
const seen = new Set<string>();

class SetMem implements Cmd {
  constructor(readonly label: number, readonly slot: number, readonly pages: number) {}
  check = (m: Readonly<Model>) => m.vmOpen;
  run(m: Model, r: Real): void {
    const start = GUEST + BigInt(this.slot) * SLOT;
    const size = BigInt(this.pages) * 0x1000n;
    const got = outcome(() =>
      r.vm.setUserMemRegion({ label: this.label, flags: 7, guest_phys_addr: start, memory_size: size, userspace_addr: r.ram + BigInt(this.slot) * SLOT }),
    );
    const clash = m.regions.some((x) => x.label === this.label || (start < x.end && x.start < start + size));
    expect(got).toBe(clash ? "EEXIST" : "ok");
    seen.add(`mem:${got}`);
    if (!clash) m.regions.push({ label: this.label, start, end: start + size });
    consistent(m, r);
  }
  toString = () => `setMem(label=${this.label}, slot=${this.slot}, pages=${this.pages})`;
}

class SetDtb implements Cmd {
  constructor(readonly slot: number, readonly offset: bigint) {}
  check = (m: Readonly<Model>) => m.vmOpen;
  run(m: Model, r: Real): void {
    const start = GUEST + BigInt(this.slot) * SLOT + this.offset;
    expect(outcome(() => r.vm.setDtbConfig({ guest_phys_addr: start, size: 0x10n }))).toBe("ok");
    m.dtb = { start, end: start + 0x1000n }; // PAGE_ALIGNed size
    consistent(m, r);
  }
  toString = () => `setDtb(slot=${this.slot}, offset=${this.offset})`;
}

class Start implements Cmd {
  check = (m: Readonly<Model>) => m.vmOpen;
  run(m: Model, r: Real): void {
    const got = outcome(() => r.vm.start());
    if (m.state === "RUNNING") expect(got).toBe("ok");
    else if (m.state === "LOAD") {
      const fits = m.regions.some((x) => m.dtb.start >= x.start && m.dtb.end <= x.end);
      expect(got).toBe(fits ? "ok" : "EINVAL");
      if (fits) m.state = "RUNNING";
      if (fits) m.started = true;
    } else expect(got).toBe("ENODEV");
    seen.add(`start:${got}`);
    consistent(m, r);
  }
  toString = () => "start";
}

class AddVcpu implements Cmd {
  constructor(readonly id: number) {}
  check = (m: Readonly<Model>) => m.vmOpen;
  run(m: Model, r: Real): void {
    const dup = m.vcpus.some((v) => v.bound && v.id === this.id);
    let vcpu: Vcpu | undefined;
    const got = outcome(() => (vcpu = addVcpu(r.vm, this.id)));
    expect(got).toBe(dup ? "EEXIST" : "ok");
    seen.add(`add:${got}`);
    if (vcpu !== undefined) {
      r.vcpus.push(vcpu);
      m.vcpus.push({ id: this.id, bound: true, open: true, run: "UNKNOWN" });
    }
    consistent(m, r);
  }
  toString = () => `addVcpu(${this.id})`;
}

class RemoveVcpu implements Cmd {
  constructor(readonly id: number) {}
  check = (m: Readonly<Model>) => m.vmOpen;
  run(m: Model, r: Real): void {
    expect(outcome(() => r.vm.removeFunction({ type: GH_FN_VCPU, arg: GhFnVcpuArg.encode({ id: this.id }) }))).toBe("ok");
    for (const v of m.vcpus) if (v.id === this.id) v.bound = false;
    consistent(m, r);
  }
  toString = () => `removeVcpu(${this.id})`;
}

class CloseVcpu implements Cmd {
  constructor(readonly pick: number) {}
  check = (m: Readonly<Model>) => m.vcpus.some((v) => v.open);
  run(m: Model, r: Real): void {
    const i = openIndex(m, this.pick);
    r.vcpus[i]!.close();
    m.vcpus[i]!.open = false;
    consistent(m, r);
  }
  toString = () => `closeVcpu(#${this.pick})`;
}

class Run implements Cmd {
  constructor(readonly pick: number) {}
  check = (m: Readonly<Model>) => m.vcpus.some((v) => v.open);
  run(m: Model, r: Real): void {
    const i = openIndex(m, this.pick);
    const v = m.vcpus[i]!;
    const vcpu = r.vcpus[i]!;
    const got = outcome(() => vcpu.run());
    const expected = expectRun(m, v);
    seen.add(`run:${expected}`);
    expect(got).toBe(expected === "ENODEV" ? "ENODEV" : "ok");
    if (expected !== "ENODEV") {
      using page = vcpu.map(4096);
      const st = page.read();
      expect(st.exit_reason).toBe(expected === "STATUS" ? GH_VCPU_EXIT_STATUS : GH_VCPU_EXIT_MMIO);
      if (expected !== "STATUS") expect(st.mmio.is_write).toBe(expected === "WRITE" ? 1 : 0);
    }
    consistent(m, r);
  }
  toString = () => `run(#${this.pick})`;
}

/** GH_VCPU_RUN in the model: the result and the state changes. */
function expectRun(m: Model, v: VcpuModel): "ENODEV" | "STATUS" | "WRITE" | "READ" {
  if (!v.bound || !m.started) return "ENODEV";
  if (v.run === "DOWN") return "STATUS";
  if (v.run === "UNKNOWN" && m.state !== "RUNNING") return (v.run = "DOWN"), "STATUS";
  v.run = "READY";
  if (m.state !== "RUNNING") return (v.run = "DOWN"), "STATUS";
  const pc = m.pcs.get(v.id) ?? 0;
  m.pcs.set(v.id, pc + 1);
  if (pc === 0) return "WRITE";
  if (pc === 1) return (v.run = "MMIO_READ"), "READ";
  m.state = "EXITED"; // the script is used up: power off
  return (v.run = "DOWN"), "STATUS";
}

class AddIrqfd implements Cmd {
  constructor(readonly label: number) {}
  check = (m: Readonly<Model>) => m.vmOpen;
  run(m: Model, r: Real): void {
    const got = outcome(() => r.vm.addFunction({ type: GH_FN_IRQFD, arg: GhFnIrqfdArg.encode({ fd: r.ev.fd, label: this.label, flags: 0 }) }));
    expect(got).toBe(m.irqLabels.has(this.label) ? "EEXIST" : "ok");
    seen.add(`irq:${got}`);
    m.irqLabels.add(this.label);
    consistent(m, r);
  }
  toString = () => `addIrqfd(${this.label})`;
}

class RemoveIrqfd implements Cmd {
  constructor(readonly label: number) {}
  check = (m: Readonly<Model>) => m.vmOpen;
  run(m: Model, r: Real): void {
    const arg = GhFnIrqfdArg.encode({ fd: r.ev.fd, label: this.label, flags: 0 });
    expect(outcome(() => r.vm.removeFunction({ type: GH_FN_IRQFD, arg }))).toBe("ok");
    m.irqLabels.delete(this.label);
    consistent(m, r);
  }
  toString = () => `removeIrqfd(${this.label})`;
}

class CloseVm implements Cmd {
  check = (m: Readonly<Model>) => m.vmOpen;
  run(m: Model, r: Real): void {
    r.vm.close();
    m.vmOpen = false;
    consistent(m, r);
  }
  toString = () => "closeVm";
}

function openIndex(m: Model, pick: number): number {
  const open = m.vcpus.flatMap((v, i) => (v.open ? [i] : []));
  return open[pick % open.length]!;
}

const commands = [
  fc.tuple(fc.nat({ max: 3 }), fc.nat({ max: 3 }), fc.integer({ min: 1, max: 2 })).map(([l, s, p]) => new SetMem(l, s, p)),
  fc.tuple(fc.nat({ max: 3 }), fc.constantFrom(0n, 0x800n)).map(([s, o]) => new SetDtb(s, o)),
  ...Array.from({ length: 3 }, () => fc.constant(new Start())),
  fc.nat({ max: VCPU_IDS - 1 }).map((id) => new AddVcpu(id)),
  fc.nat({ max: VCPU_IDS - 1 }).map((id) => new RemoveVcpu(id)),
  fc.nat().map((p) => new CloseVcpu(p)),
  ...Array.from({ length: 4 }, () => fc.nat().map((p) => new Run(p))),
  fc.nat({ max: 2 }).map((l) => new AddIrqfd(l)),
  fc.nat({ max: 2 }).map((l) => new RemoveIrqfd(l)),
  fc.constant(new CloseVm()),
];

describe("gunyah mock, model-based", () => {
  it("random command sequences: outcomes and VM state match the model; everything is released at the end", () => {
    const eventfdsBefore = eventfdCount();
    const guest = Object.fromEntries(Array.from({ length: VCPU_IDS }, (_, id) => [id, program(id)]));
    fc.assert(
      fc.property(fc.commands(commands, { maxCommands: 60, size: "max" }), (cmds) => {
        const dev = new GunyahDevice({ guest });
        const ramBytes = new Uint8Array(0x8000);
        const ram = dev.memory.map(ramBytes);
        const ev = eventfd();
        const gh = Gunyah.from(dev.open());
        const real: Real = { dev, vm: gh.createVm(0), ram, vcpus: [], ev };
        const model: Model = {
          vmOpen: true, state: "LOAD", started: false, regions: [], dtb: { start: 0n, end: 0n }, vcpus: [], pcs: new Map(), irqLabels: new Set(),
        };
        try {
          fc.modelRun(() => ({ model, real }), cmds);
        } finally {
          if (!real.vm.closed) real.vm.close();
          for (const v of real.vcpus) if (!v.closed) v.close();
          gh.close();
          ev.close();
          dev.memory.unmap(ram);
        }
        expect(dev.vmsReleased).toBe(1);
        expect(dev.liveVms.size).toBe(0);
        expect(dev.openCount).toBe(0);
        expect(dev.memory.regionCount).toBe(0);
        expect(eventfdCount()).toBe(eventfdsBefore);
      }),
      { numRuns: 300, seed: 0x6875 },
    );
    // The sequences reached every outcome the model knows (so the checks above were not vacuous).
    expect([...seen].sort()).toEqual(
      ["add:EEXIST", "add:ok", "irq:EEXIST", "irq:ok", "mem:EEXIST", "mem:ok", "run:ENODEV", "run:READ", "run:STATUS", "run:WRITE", "start:EINVAL", "start:ENODEV", "start:ok"],
    );
  });
});
