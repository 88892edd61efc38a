/**
 * A Gunyah VM (the "gunyah-vm" anon-inode file GH_CREATE_VM returns), variant A: the android14-6.1
 * ACK driver as seed-abis.md §1.2/§1.6 describes it.
 *
 * Lifetime: the VM fd and every vCPU fd hold a reference (the kernel's gh_vm_get in vcpu bind,
 * gh_vm_put in each file's release). The final put stops the VM if running, removes all functions
 * (irqfd/ioeventfd drop their eventfd references), reclaims memory and resets the VM; `released`
 * and the device's counters show it.
 *
 * State: LOAD at create (android14 allocates the VMID then) → START → RUNNING → (guest exit) →
 * EXITED; RESET after the final put.
 *
 * Choices where the seed is silent (each noted at its check): a zero or overflowing memory region,
 * overlapping guest ranges, the order of checks, a failed START leaving the VM in LOAD.
 */
import { type Codec, isDecodeError } from "../../../generated/ts/runtime/codec.js";
import { errno } from "../../../generated/ts/runtime/errors.js";
import type { RealFd } from "../../../generated/ts/runtime/real-fd.js";
import { MockDevice, type MockFd, type MockProcess } from "../../../generated/ts/runtime/mock-fd.js";
import {
  GH_FN_IOEVENTFD, GH_FN_IRQFD, GH_FN_MAX_ARG_SIZE, GH_FN_VCPU, GH_IOEVENTFD_DATAMATCH, GH_IRQFD_LEVEL, GH_MEM_ALLOW_EXEC,
  GH_MEM_ALLOW_READ, GH_MEM_ALLOW_WRITE, GH_VM_ADD_FUNCTION, GH_VM_ANDROID_LEND_USER_MEM, GH_VM_ANDROID_SET_FW_CONFIG,
  GH_VM_REMOVE_FUNCTION, GH_VM_SET_DTB_CONFIG, GH_VM_SET_USER_MEM_REGION, GH_VM_START, GH_VM_STATUS_EXITED, GhFnDesc,
  GhFnIoeventfdArg, GhFnIrqfdArg, GhFnVcpuArg, GhUserspaceMemoryRegion, GhVmDtbConfig, GhVmFirmwareConfig,
} from "../../../generated/ts/gunyah/index.js";
import { drainEventfd, eventfdCtxFdget } from "./eventfd-ref.js";
import type { GuestAction, GuestEvent } from "./guest.js";
import { type IoHandlerKey, ioHandlersCollide, writeKey } from "./io-handlers.js";
import type { ResolvedOptions } from "./options.js";
import { GunyahVcpu } from "./vcpu.js";

export const PAGE_SIZE = 4096n;
const U64_MAX = (1n << 64n) - 1n;
const MEM_RWX = GH_MEM_ALLOW_READ | GH_MEM_ALLOW_WRITE | GH_MEM_ALLOW_EXEC;

export type VmState = "LOAD" | "RUNNING" | "EXITED" | "RESET";

export interface MemRegion {
  readonly label: number;
  readonly flags: number;
  readonly guestPhysAddr: bigint;
  readonly size: bigint;
  readonly userspaceAddr: bigint;
  /** LEND_USER_MEM (the host loses access) rather than SET_USER_MEM_REGION (shared). */
  readonly lent: boolean;
}

/** A bound function: the type and argument bytes REMOVE_FUNCTION compares, and its unbind. */
interface FunctionInstance {
  readonly type: number;
  readonly arg: Uint8Array;
  readonly unbind: () => void;
}

interface Irqfd {
  readonly label: number;
  readonly level: boolean;
  readonly ref: RealFd;
}

interface Ioeventfd {
  readonly key: IoHandlerKey;
  readonly ref: RealFd;
}

export interface VmExitInfo {
  readonly status: number;
  readonly type: number;
  readonly reason: Uint8Array;
}

const aligned = (v: bigint): boolean => v % PAGE_SIZE === 0n;
const pageAlign = (v: bigint): bigint => BigInt.asUintN(64, (v + PAGE_SIZE - 1n) & ~(PAGE_SIZE - 1n));

export class GunyahVm extends MockDevice {
  readonly options: ResolvedOptions;
  state: VmState = "LOAD";
  /** Set by the first successful START: the RM has handed out the VM's resources (vCPUs, doorbells). */
  started = false;
  /** True once the last reference is gone and the VM was torn down. */
  released = false;
  readonly regions: MemRegion[] = [];
  /** Zero until SET_DTB_CONFIG (the kernel's zero-initialised config); size stored PAGE_ALIGNed. */
  dtb = { guestPhysAddr: 0n, size: 0n };
  firmware: { guestPhysAddr: bigint; size: bigint } | undefined;
  /** "android-pvm" once SET_FW_CONFIG ran with no auth type set. */
  authType: string | undefined;
  exitInfo: VmExitInfo | undefined;
  /** What the guest saw and did, in order. */
  readonly events: GuestEvent[] = [];
  readonly #functions: FunctionInstance[] = [];
  /** Resource tickets "type:label": vCPUs ("vcpu:id") and irqfd doorbells ("bell:label"). */
  readonly #tickets = new Set<string>();
  readonly #irqfds: Irqfd[] = [];
  readonly #ioeventfds: Ioeventfd[] = [];
  readonly #programs = new Map<number, readonly GuestAction[]>();
  readonly #pcs = new Map<number, number>();
  readonly #onRelease: (vm: GunyahVm) => void;
  #refs = 0;

  constructor(process: MockProcess, options: ResolvedOptions, onRelease: (vm: GunyahVm) => void) {
    super("gunyah-vm", process);
    this.options = options;
    this.#onRelease = onRelease;
    for (const [id, actions] of Object.entries(options.guest)) this.loadGuest(Number(id), actions);
  }

  /** The VM's file (the fd GH_CREATE_VM returns); it holds a reference. */
  openFile(): MockFd {
    this.get();
    return this.open();
  }

  /** References held: the VM fd (until closed) plus one per open vCPU fd. */
  get refs(): number {
    return this.#refs;
  }

  get functionCount(): number {
    return this.#functions.length;
  }

  get irqfdCount(): number {
    return this.#irqfds.length;
  }

  get ioeventfdCount(): number {
    return this.#ioeventfds.length;
  }

  /** Sets the script vCPU `id` runs (from its start). */
  loadGuest(id: number, actions: readonly GuestAction[]): void {
    this.#programs.set(id, [...actions]);
    this.#pcs.set(id, 0);
  }

  get(): void {
    this.#refs++;
  }

  put(): void {
    if (--this.#refs === 0) this.#free();
  }

  override release(_file: MockFd): void {
    this.put();
  }

  override ioctl(_file: MockFd, request: number, arg: bigint): number {
    switch (request) {
      case GH_VM_SET_USER_MEM_REGION.number:
        return this.#addMemory(arg, false);
      case GH_VM_ANDROID_LEND_USER_MEM.number:
        return this.#addMemory(arg, true);
      case GH_VM_SET_DTB_CONFIG.number:
        return this.#setDtbConfig(arg);
      case GH_VM_START.number:
        return this.#start();
      case GH_VM_ADD_FUNCTION.number:
        return this.#addFunction(arg);
      case GH_VM_REMOVE_FUNCTION.number:
        return this.#removeFunction(arg);
      case GH_VM_ANDROID_SET_FW_CONFIG.number:
        return this.#setFwConfig(arg);
      default:
        throw errno("ENOTTY");
    }
  }

  // -------------------------------------------------------------------------------------------
  // Memory, DTB, firmware, start

  #addMemory(arg: bigint, lent: boolean): number {
    const r = this.#copyIn(GhUserspaceMemoryRegion, arg);
    if ((r.flags & ~MEM_RWX) !== 0) throw errno("EINVAL", "flags outside GH_MEM_ALLOW_*");
    if (!this.options.memextent) throw errno("EOPNOTSUPP", "no memextent feature");
    // Seed: addresses and sizes page aligned. A zero size is also EINVAL (our choice: nothing to map).
    if (r.memory_size === 0n || !aligned(r.guest_phys_addr) || !aligned(r.memory_size) || !aligned(r.userspace_addr)) {
      throw errno("EINVAL", "unaligned or empty region");
    }
    // Not in the seed: a guest range wrapping past 2^64 is EOVERFLOW, like the DTB/firmware ranges.
    if (r.guest_phys_addr + r.memory_size > U64_MAX) throw errno("EOVERFLOW");
    // pin_user_pages: the whole range must be mapped in the caller's address space.
    this.memory.copyFromUser(r.userspace_addr, Number(r.memory_size));
    // Seed: "labels are unique per VM" (no errno given); the driver's list check answers EEXIST,
    // and so does a guest range overlapping an existing region (our choice, same errno).
    if (this.regions.some((m) => m.label === r.label)) throw errno("EEXIST", `label ${r.label} in use`);
    const end = r.guest_phys_addr + r.memory_size;
    if (this.regions.some((m) => r.guest_phys_addr < m.guestPhysAddr + m.size && m.guestPhysAddr < end)) {
      throw errno("EEXIST", "overlapping guest range");
    }
    this.regions.push({
      label: r.label, flags: r.flags, guestPhysAddr: r.guest_phys_addr, size: r.memory_size, userspaceAddr: r.userspace_addr, lent,
    });
    return 0;
  }

  #setDtbConfig(arg: bigint): number {
    const c = this.#copyIn(GhVmDtbConfig, arg);
    if (c.guest_phys_addr + c.size > U64_MAX) throw errno("EOVERFLOW");
    this.dtb = { guestPhysAddr: c.guest_phys_addr, size: pageAlign(c.size) }; // android14 PAGE_ALIGNs (mod 2^64)
    return 0;
  }

  #setFwConfig(arg: bigint): number {
    const c = this.#copyIn(GhVmFirmwareConfig, arg);
    if (c.guest_phys_addr + c.size > U64_MAX) throw errno("EOVERFLOW");
    this.firmware = { guestPhysAddr: c.guest_phys_addr, size: c.size };
    this.authType ??= "android-pvm";
    return 0;
  }

  #start(): number {
    if (this.state === "RUNNING") return 0; // idempotent
    if (this.state !== "LOAD") throw errno("ENODEV", `VM is ${this.state} after the start attempt`);
    const { guestPhysAddr: a, size } = this.dtb;
    // android14: the DTB must lie in a registered mapping (shared or lent: both are mappings).
    // The lookup precedes any RM call, so the VM stays in LOAD and START may be retried.
    if (!this.regions.some((m) => a >= m.guestPhysAddr && a + size <= m.guestPhysAddr + m.size)) {
      throw errno("EINVAL", "DTB not inside a memory region");
    }
    this.state = "RUNNING";
    this.started = true;
    return 0;
  }

  // -------------------------------------------------------------------------------------------
  // Functions

  #addFunction(arg: bigint): number {
    const d = this.#copyIn(GhFnDesc, arg);
    if (d.arg_size > GH_FN_MAX_ARG_SIZE) throw errno("EINVAL", "arg_size > GH_FN_MAX_ARG_SIZE");
    const bytes = this.memory.copyFromUser(d.arg, d.arg_size); // EFAULT; nothing read when arg_size is 0
    switch (d.type) {
      case GH_FN_VCPU:
        return this.#bindVcpu(bytes);
      case GH_FN_IRQFD:
        return this.#bindIrqfd(bytes);
      case GH_FN_IOEVENTFD:
        return this.#bindIoeventfd(bytes);
      default:
        // request_module("ghfunc:%d") found nothing; android14 returns its error directly.
        throw errno(this.options.requestModuleError, `no function type ${d.type}`);
    }
  }

  #bindVcpu(bytes: Uint8Array): number {
    if (bytes.length !== GhFnVcpuArg.SIZE) throw errno("EINVAL", "vcpu arg_size != 4");
    const { id } = GhFnVcpuArg.decode(bytes);
    const ticket = `vcpu:${id}`;
    if (this.#tickets.has(ticket)) throw errno("EEXIST", `vCPU ${id} exists`);
    this.#tickets.add(ticket);
    const vcpu = new GunyahVcpu(this, id); // takes a VM reference, dropped when its fd is closed
    this.#functions.push({
      type: GH_FN_VCPU,
      arg: bytes,
      unbind: () => {
        this.#tickets.delete(ticket);
        vcpu.unbind();
      },
    });
    return this.process.install(vcpu.open());
  }

  #bindIrqfd(bytes: Uint8Array): number {
    if (bytes.length !== GhFnIrqfdArg.SIZE) throw errno("EINVAL", "irqfd arg_size != 16");
    const a = this.#decode(GhFnIrqfdArg, bytes);
    if ((a.flags & ~GH_IRQFD_LEVEL) !== 0) throw errno("EINVAL", "unknown irqfd flags");
    const ref = eventfdCtxFdget(a.fd); // EBADF / EINVAL
    const ticket = `bell:${a.label}`;
    if (this.#tickets.has(ticket)) {
      ref.close();
      throw errno("EEXIST", `irqfd label ${a.label} exists`);
    }
    this.#tickets.add(ticket);
    const irqfd: Irqfd = { label: a.label, level: (a.flags & GH_IRQFD_LEVEL) !== 0, ref };
    this.#irqfds.push(irqfd);
    this.#functions.push({
      type: GH_FN_IRQFD,
      arg: bytes,
      unbind: () => {
        this.#tickets.delete(ticket);
        remove(this.#irqfds, irqfd);
        ref.close();
      },
    });
    return 0;
  }

  #bindIoeventfd(bytes: Uint8Array): number {
    if (bytes.length !== GhFnIoeventfdArg.SIZE) throw errno("EINVAL", "ioeventfd arg_size != 32");
    const a = this.#decode(GhFnIoeventfdArg, bytes);
    if ((a.flags & ~GH_IOEVENTFD_DATAMATCH) !== 0) throw errno("EINVAL", "unknown ioeventfd flags");
    if (![0, 1, 2, 4, 8].includes(a.len)) throw errno("EINVAL", "ioeventfd len not 0/1/2/4/8");
    if (a.addr + BigInt(a.len) > U64_MAX) throw errno("EINVAL", "addr + len overflows");
    const datamatch = (a.flags & GH_IOEVENTFD_DATAMATCH) !== 0;
    if (a.len === 0 && datamatch) throw errno("EINVAL", "len 0 with DATAMATCH");
    const ref = eventfdCtxFdget(a.fd); // EBADF / EINVAL
    const key: IoHandlerKey = { addr: a.addr, len: a.len, datamatch: datamatch ? a.datamatch : undefined };
    if (this.#ioeventfds.some((h) => ioHandlersCollide(h.key, key))) {
      ref.close();
      throw errno("EEXIST", "ioeventfd already registered");
    }
    const handler: Ioeventfd = { key, ref };
    this.#ioeventfds.push(handler);
    this.#functions.push({
      type: GH_FN_IOEVENTFD,
      arg: bytes,
      unbind: () => {
        remove(this.#ioeventfds, handler);
        ref.close();
      },
    });
    return 0;
  }

  /** android14: type + byte-wise memcmp of the argument; 0 whether or not anything matched. */
  #removeFunction(arg: bigint): number {
    const d = this.#copyIn(GhFnDesc, arg);
    if (d.arg_size === 0) return 0;
    const bytes = this.memory.copyFromUser(d.arg, d.arg_size); // EFAULT
    for (const f of [...this.#functions]) {
      if (f.type === d.type && f.arg.length === bytes.length && f.arg.every((b, i) => b === bytes[i])) {
        remove(this.#functions, f);
        f.unbind();
      }
    }
    return 0;
  }

  // -------------------------------------------------------------------------------------------
  // What the vCPUs ask of their VM

  /** Whether the RM gave this VM a vCPU resource for `id` (only once started). */
  hasVcpuResource(id: number): boolean {
    return this.started && id < this.options.vcpuResources;
  }

  /** The next thing vCPU `id`'s guest does; a used-up script powers the VM off. */
  nextAction(id: number): GuestAction {
    const program = this.#programs.get(id) ?? [];
    const pc = this.#pcs.get(id) ?? 0;
    this.#pcs.set(id, pc + 1);
    return program[pc] ?? { op: "exit", status: GH_VM_STATUS_EXITED };
  }

  /** A guest write: signals the matching ioeventfd's eventfd (true) or needs an MMIO exit (false). */
  ioeventfdWrite(vcpu: number, addr: bigint, len: number, data: bigint): boolean {
    const key = writeKey(addr, len, data);
    const handler = this.#ioeventfds.find((h) => ioHandlersCollide(h.key, key));
    if (handler === undefined) return false;
    const word = new Uint8Array(new BigUint64Array([1n]).buffer); // eventfd_signal(ctx, 1)
    handler.ref.write(word);
    this.events.push({ kind: "ioeventfd", vcpu, addr, len, data });
    return true;
  }

  /** The guest took the VM down. */
  guestExit(vcpu: number, info: VmExitInfo): void {
    this.state = "EXITED";
    this.exitInfo = info;
    this.events.push({ kind: "exit", vcpu, status: info.status });
  }

  /**
   * Delivers irqfd signals to the guest. The kernel hooks the eventfd's wait queue and rings the
   * doorbell on each signal without reading the counter; the mock cannot hook a real eventfd, so
   * it polls (at every GH_VCPU_RUN step, or when a test calls this) and drains the counter. Only a
   * running VM has doorbells: before START the signals stay pending in the eventfd.
   */
  pollIrqfds(): void {
    if (this.state !== "RUNNING") return;
    for (const irqfd of this.#irqfds) {
      const count = drainEventfd(irqfd.ref);
      if (count > 0n) this.events.push({ kind: "irq", label: irqfd.label, level: irqfd.level, count });
    }
  }

  // -------------------------------------------------------------------------------------------

  /** The final put: stop, remove all functions, reclaim memory, reset. */
  #free(): void {
    if (this.state === "RUNNING") this.state = "EXITED";
    for (const f of this.#functions.splice(0).reverse()) f.unbind();
    this.regions.length = 0;
    this.state = "RESET";
    this.released = true;
    this.#onRelease(this);
  }

  /** copy_from_user of a whole struct, decoded with its generated codec. */
  #copyIn<T, I>(codec: Codec<T, I>, address: bigint): T {
    return this.#decode(codec, this.memory.copyFromUser(address, codec.SIZE));
  }

  /**
   * The generated decoders reject non-zero padding, which the driver ignores; the mock cannot
   * read around it without hand-written offsets, so it answers EINVAL (a documented deviation —
   * the stubs never send such bytes: their encoders refuse them).
   */
  #decode<T, I>(codec: Codec<T, I>, bytes: Uint8Array): T {
    try {
      return codec.decode(bytes);
    } catch (e) {
      if (isDecodeError(e)) throw errno("EINVAL", `mock: ${e.message}`);
      throw e;
    }
  }
}

function remove<T>(list: T[], item: T): void {
  const i = list.indexOf(item);
  if (i >= 0) list.splice(i, 1);
}
