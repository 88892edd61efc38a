/**
 * A Gunyah vCPU (the "gh-vcpu:%u" file GH_VM_ADD_FUNCTION(GH_FN_VCPU) returns): a zeroed page
 * holding `struct gh_vcpu_run`, mapped at offset 0, and GH_VCPU_RUN following android14's
 * gunyah_vcpu.c:
 *
 *   - no function (removed with GH_VM_REMOVE_FUNCTION) or no vCPU resource (VM never started,
 *     or the RM has no vCPU with this id) → ENODEV;
 *   - by the vCPU's state: UNKNOWN (first run) with the VM not RUNNING → a STATUS exit;
 *     MMIO_READ → the guest's load completes with `mmio.data` (`mmio.len` bytes) from the page;
 *     SYSTEM_DOWN → 0 at once, the page untouched (so the STATUS exit stays);
 *   - then the loop: `immediate_exit` set → EINTR; the VM down → STATUS; the guest's next action.
 *
 * The page is written with the generated gh_vcpu_run codec; fields the kernel does not write
 * (immediate_exit, `mmio.data` on a read exit, `mmio.data` bytes past `len`) keep their contents.
 */
import { isDecodeError } from "../../../generated/ts/runtime/codec.js";
import { errno } from "../../../generated/ts/runtime/errors.js";
import { MockDevice, type MockFd } from "../../../generated/ts/runtime/mock-fd.js";
import {
  GH_VCPU_EXIT_MMIO, GH_VCPU_EXIT_STATUS, GH_VCPU_MMAP_SIZE, GH_VCPU_RUN, GH_VM_MAX_EXIT_REASON_SIZE, GH_VM_STATUS_EXITED,
  GhVcpuRun,
} from "../../../generated/ts/gunyah/index.js";
import { truncate, u64Bytes, u64FromBytes } from "./guest.js";
import type { GunyahVm } from "./vm.js";

const PAGE = 4096;

export type VcpuRunState = "UNKNOWN" | "READY" | "MMIO_READ" | "SYSTEM_DOWN";

export class GunyahVcpu extends MockDevice {
  readonly vm: GunyahVm;
  readonly id: number;
  /** The gh_vcpu_run page (the kernel's alloc_page(__GFP_ZERO)). */
  readonly page = new Uint8Array(PAGE);
  runState: VcpuRunState = "UNKNOWN";
  /** False once GH_VM_REMOVE_FUNCTION (or the VM's teardown) unbound it (the kernel's vcpu->f = NULL). */
  bound = true;
  readonly #view = new DataView(this.page.buffer);
  #pendingRead: { addr: bigint; len: number } | undefined;

  constructor(vm: GunyahVm, id: number) {
    super(`gh-vcpu:${id}`, vm.process);
    this.vm = vm;
    this.id = id;
    vm.get(); // the vCPU file keeps its VM alive
  }

  unbind(): void {
    this.bound = false;
  }

  override release(_file: MockFd): void {
    this.vm.put();
  }

  override ioctl(_file: MockFd, request: number, _arg: bigint): number {
    if (request === GH_VCPU_MMAP_SIZE.number) return PAGE;
    if (request === GH_VCPU_RUN.number) return this.#run();
    throw errno("ENOTTY");
  }

  /**
   * Offset 0 maps the page. The kernel maps any length and raises SIGBUS on access past the page
   * or at another offset; the mock cannot fault on access, so it refuses those at mmap (EINVAL).
   */
  override mmap(_file: MockFd, length: number, offset: bigint): Uint8Array {
    if (offset !== 0n || length <= 0 || length > PAGE) throw errno("EINVAL", "mock: only offset 0, up to PAGE_SIZE");
    return this.page.subarray(0, length);
  }

  #run(): number {
    if (!this.bound) throw errno("ENODEV", "vCPU function removed");
    if (!this.vm.hasVcpuResource(this.id)) throw errno("ENODEV", "no vCPU resource (VM not started?)");
    switch (this.runState) {
      case "UNKNOWN":
        if (this.vm.state !== "RUNNING") return this.#systemDown();
        this.runState = "READY";
        break;
      case "MMIO_READ": {
        const { mmio } = this.#readPage();
        const len = Math.min(mmio.len, 8); // the kernel memcpy's mmio.len bytes into a u64
        const read = this.#pendingRead!;
        this.vm.events.push({ kind: "read", vcpu: this.id, addr: read.addr, len: read.len, value: u64FromBytes(mmio.data.subarray(0, len)) });
        this.#pendingRead = undefined;
        this.runState = "READY";
        break;
      }
      case "SYSTEM_DOWN":
        return 0;
      case "READY":
        break;
    }
    for (;;) {
      this.vm.pollIrqfds();
      if (this.#readPage().immediate_exit !== 0) throw errno("EINTR", "immediate_exit");
      if (this.vm.state !== "RUNNING") return this.#systemDown();
      const action = this.vm.nextAction(this.id);
      switch (action.op) {
        case "write": {
          const data = truncate(action.data, action.len);
          if (this.vm.ioeventfdWrite(this.id, action.addr, action.len, data)) continue; // handled in the kernel
          this.#mmioExit(action.addr, action.len, 1, data);
          return 0;
        }
        case "read":
          this.#pendingRead = { addr: action.addr, len: action.len };
          this.#mmioExit(action.addr, action.len, 0, undefined);
          this.runState = "MMIO_READ";
          return 0;
        case "exit": {
          const reason = action.reason ?? new Uint8Array(0);
          if (reason.length > GH_VM_MAX_EXIT_REASON_SIZE) throw new RangeError("mock guest: exit reason longer than 8 bytes");
          this.vm.guestExit(this.id, { status: action.status, type: action.type ?? 0, reason });
          return this.#systemDown();
        }
      }
    }
  }

  /** The STATUS exit (gh_vcpu_check_system): the VM's status and exit info; later runs return it. */
  #systemDown(): number {
    const info = this.vm.exitInfo ?? { status: GH_VM_STATUS_EXITED, type: 0, reason: new Uint8Array(0) };
    const reason = new Uint8Array(GH_VM_MAX_EXIT_REASON_SIZE);
    reason.set(info.reason);
    GhVcpuRun.encodeInto(this.#view, 0, {
      immediate_exit: this.#readPage().immediate_exit,
      exit_reason: GH_VCPU_EXIT_STATUS,
      status: { status: info.status, exit_info: { type: info.type, reason_size: info.reason.length, reason } },
    });
    this.runState = "SYSTEM_DOWN";
    return 0;
  }

  /** An MMIO exit; for a write, the first `len` bytes of `mmio.data` get the value (memcpy of the u64). */
  #mmioExit(addr: bigint, len: number, isWrite: number, data: bigint | undefined): void {
    const cur = this.#readPage();
    const bytes = cur.mmio.data;
    if (data !== undefined) bytes.set(u64Bytes(data).subarray(0, len));
    GhVcpuRun.encodeInto(this.#view, 0, {
      immediate_exit: cur.immediate_exit,
      exit_reason: GH_VCPU_EXIT_MMIO,
      mmio: { phys_addr: addr, data: bytes, len, is_write: isWrite },
    });
  }

  /** The page decoded; bytes the decoder rejects (non-zero padding) are EINVAL (see GunyahVm#decode). */
  #readPage(): ReturnType<typeof GhVcpuRun.decode> {
    try {
      return GhVcpuRun.decode(this.#view);
    } catch (e) {
      if (isDecodeError(e)) throw errno("EINVAL", `mock: ${e.message}`);
      throw e;
    }
  }
}
