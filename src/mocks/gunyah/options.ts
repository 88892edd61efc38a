/**
 * What the simulated hypervisor and kernel configuration provide: the knobs that decide errors
 * the driver returns for reasons outside the ioctl's argument.
 */
import type { GuestAction } from "./guest.js";

export interface GunyahOptions {
  /**
   * The hypervisor has the memextent feature (default true). Without it android14 fails
   * GH_VM_SET_USER_MEM_REGION and GH_VM_ANDROID_LEND_USER_MEM with EOPNOTSUPP.
   */
  readonly memextent?: boolean;
  /**
   * What `request_module("ghfunc:%d")` returns for a function type no module registers; android14
   * returns it from GH_VM_ADD_FUNCTION directly. Default "ENOENT": what request_module returns when
   * no modprobe helper is configured, and the errno v17 (and the spec) give for an unknown type. A
   * kernel built without CONFIG_MODULES would give "ENOSYS".
   */
  readonly requestModuleError?: string;
  /** vCPU resources the resource manager gives a started VM: vCPU ids 0 … n-1 (default 8). */
  readonly vcpuResources?: number;
  /** Guest scripts by vCPU id, loaded into every new VM (a VM's `loadGuest` replaces one). */
  readonly guest?: Readonly<Record<number, readonly GuestAction[]>>;
}

export type ResolvedOptions = Required<GunyahOptions>;

export function resolveOptions(o: GunyahOptions): ResolvedOptions {
  return {
    memextent: o.memextent ?? true,
    requestModuleError: o.requestModuleError ?? "ENOENT",
    vcpuResources: o.vcpuResources ?? 8,
    guest: o.guest ?? {},
  };
}
