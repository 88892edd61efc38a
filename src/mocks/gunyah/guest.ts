/**
 * The simulated guest: per vCPU id, a script of what the guest does when the hypervisor runs that
 * vCPU. Each GH_VCPU_RUN executes actions until one needs user space (an MMIO exit) or the VM goes
 * down; actions that the kernel handles itself (a write an ioeventfd takes) do not return.
 *
 * A vCPU whose script is used up powers the VM off, as a guest calling PSCI SYSTEM_OFF would: the
 * next action is `{ op: "exit", status: GH_VM_STATUS_EXITED }`. (A real idle vCPU would sleep in
 * the hypervisor and GH_VCPU_RUN would not return; a synchronous mock cannot block.)
 */

export type AccessWidth = 1 | 2 | 4 | 8;

export type GuestAction =
  /** A guest store to MMIO: an ioeventfd that matches takes it, else an MMIO exit with is_write 1. */
  | { readonly op: "write"; readonly addr: bigint; readonly len: AccessWidth; readonly data: bigint }
  /** A guest load from MMIO: an MMIO exit with is_write 0; user space's `mmio.data` answers it at the next RUN. */
  | { readonly op: "read"; readonly addr: bigint; readonly len: AccessWidth }
  /** The VM goes down with a GH_VM_STATUS_* value and the RM's exit info (type, up to 8 reason bytes). */
  | { readonly op: "exit"; readonly status: number; readonly type?: number; readonly reason?: Uint8Array };

/** What the guest saw or did, in order: the test's view into the guest. */
export type GuestEvent =
  /** A read completed with the value user space put in `mmio.data`. */
  | { readonly kind: "read"; readonly vcpu: number; readonly addr: bigint; readonly len: number; readonly value: bigint }
  /** A write an ioeventfd took (its eventfd was signalled; no exit). */
  | { readonly kind: "ioeventfd"; readonly vcpu: number; readonly addr: bigint; readonly len: number; readonly data: bigint }
  /** A doorbell rang: an irqfd's eventfd was signalled (`count` signals seen at once). */
  | { readonly kind: "irq"; readonly label: number; readonly level: boolean; readonly count: bigint }
  /** The guest took the VM down. */
  | { readonly kind: "exit"; readonly vcpu: number; readonly status: number };

/** Bytes of `value` as the host's memcpy of a u64 lays them out (the kernel copies `len` of them). */
export function u64Bytes(value: bigint): Uint8Array {
  return new Uint8Array(new BigUint64Array([BigInt.asUintN(64, value)]).buffer);
}

/** The u64 whose host-order bytes start with `bytes` (the rest zero), as `memcpy(&u64, bytes, len)`. */
export function u64FromBytes(bytes: Uint8Array): bigint {
  const word = new Uint8Array(8);
  word.set(bytes.subarray(0, 8));
  return new BigUint64Array(word.buffer)[0]!;
}

/** The low `len` bytes' worth of `value` (what a `len`-byte store writes). */
export function truncate(value: bigint, len: number): bigint {
  return BigInt.asUintN(8 * len, value);
}
