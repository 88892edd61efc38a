/**
 * Mock of the Gunyah VM manager, variant A (specs/gunyah.abi: the `GH_` uapi of the ACK
 * android14-6.1 kernel; seed-abis.md §1.2 and §1.6). Where the seed gives android14 and v17
 * behaviour apart, this is android14:
 *   - a VM starts in LOAD at GH_CREATE_VM, and START checks that the DTB lies in a memory region
 *     (EINVAL otherwise);
 *   - SET_DTB_CONFIG PAGE_ALIGNs the size;
 *   - an unknown function type returns request_module's error directly (options.requestModuleError,
 *     default ENOENT);
 *   - REMOVE_FUNCTION matches type + memcmp of the argument and returns 0 even if nothing matched;
 *   - no memextent feature → EOPNOTSUPP (options.memextent).
 *
 * Files: `/dev/gunyah` (this device) → GH_CREATE_VM → a VM fd (src/mocks/gunyah/vm.ts) →
 * GH_VM_ADD_FUNCTION(GH_FN_VCPU) → vCPU fds (src/mocks/gunyah/vcpu.ts). irqfd and ioeventfd take
 * references on real eventfds (src/mocks/gunyah/eventfd-ref.ts); the guest is a script per vCPU
 * (src/mocks/gunyah/guest.ts).
 *
 * Not modelled (no way to reach them in one simulated process): EPERM for a caller whose mm is not
 * the VM owner's, EINTR/ERESTARTSYS from a signal or an interrupted lock, RM and hypervisor errors.
 *
 * Tests drive it only through the generated stubs:
 *   const dev = new GunyahDevice();
 *   using gh = Gunyah.from(dev.open());
 *   using vm = gh.createVm(0);
 *   vmModel(vm).events  // what the guest saw
 */
import { errno } from "../../generated/ts/runtime/errors.js";
import type { Fd } from "../../generated/ts/runtime/fd.js";
import { MockDevice, MockFd, MockProcess } from "../../generated/ts/runtime/mock-fd.js";
import { GH_ANDROID_TENTATIVE_UAPI, GH_CREATE_VM } from "../../generated/ts/gunyah/index.js";
import { type GunyahOptions, type ResolvedOptions, resolveOptions } from "./gunyah/options.js";
import { GunyahVcpu } from "./gunyah/vcpu.js";
import { GunyahVm } from "./gunyah/vm.js";

export type { AccessWidth, GuestAction, GuestEvent } from "./gunyah/guest.js";
export type { GunyahOptions } from "./gunyah/options.js";
export { GunyahVcpu, type VcpuRunState } from "./gunyah/vcpu.js";
export { GunyahVm, type MemRegion, type VmState } from "./gunyah/vm.js";

/** The resource manager's misc device, /dev/gunyah. */
export class GunyahDevice extends MockDevice {
  readonly options: ResolvedOptions;
  /** VMs created / torn down (after the last of the VM fd and its vCPU fds closed). */
  vmsCreated = 0;
  vmsReleased = 0;
  /** VMs not yet torn down. */
  readonly liveVms = new Set<GunyahVm>();
  lastVm: GunyahVm | undefined;

  constructor(options: GunyahOptions = {}, process: MockProcess = new MockProcess()) {
    super("gunyah", process);
    this.options = resolveOptions(options);
  }

  override ioctl(_file: MockFd, request: number, arg: bigint): number {
    if (request === GH_CREATE_VM.number) {
      if (arg !== 0n) throw errno("EINVAL", "machine type must be 0");
      const vm = new GunyahVm(this.process, this.options, (v) => {
        this.liveVms.delete(v);
        this.vmsReleased++;
      });
      this.vmsCreated++;
      this.liveVms.add(vm);
      this.lastVm = vm;
      return this.process.install(vm.openFile());
    }
    if (request === GH_ANDROID_TENTATIVE_UAPI.number) return 0; // the 0458bcad snapshot has the 'A' ioctls
    throw errno("ENOTTY");
  }
}

/** The mock VM behind a stub (`Vm`) or fd. */
export function vmModel(x: { readonly fd: Fd } | Fd): GunyahVm {
  const device = mockDevice(x);
  if (!(device instanceof GunyahVm)) throw new TypeError(`not a mock Gunyah VM fd: ${device.name}`);
  return device;
}

/** The mock vCPU behind a stub (`Vcpu`) or fd. */
export function vcpuModel(x: { readonly fd: Fd } | Fd): GunyahVcpu {
  const device = mockDevice(x);
  if (!(device instanceof GunyahVcpu)) throw new TypeError(`not a mock Gunyah vCPU fd: ${device.name}`);
  return device;
}

function mockDevice(x: { readonly fd: Fd } | Fd): MockDevice {
  const fd = typeof x.fd === "number" ? (x as Fd) : (x as { readonly fd: Fd }).fd;
  if (!(fd instanceof MockFd)) throw new TypeError(`not a mock fd: ${fd.kind}`);
  return fd.device;
}
