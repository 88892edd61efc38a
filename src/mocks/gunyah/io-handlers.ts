/**
 * The VM's MMIO handlers (what GH_FN_IOEVENTFD registers): which guest writes they take, and
 * which registrations collide.
 *
 * The kernel keeps the handlers in an rb-tree ordered by (addr, len, data) whose compare treats a
 * wildcard as equal: a handler with len 0 ("any width") equals any handler at the same address,
 * and a handler without DATAMATCH equals any handler of the same address and width. The same
 * compare answers both questions — a guest write (addr, width, value) is taken by the handler it
 * compares equal to, and adding a handler that compares equal to an existing one is EEXIST (the
 * seed: "the same addr/len/datamatch already registered gives -EEXIST"; with wildcards that means
 * any registration a write could hit together with an existing one). Addresses match exactly, as
 * the kernel's lookup does, not by range.
 */

export interface IoHandlerKey {
  readonly addr: bigint;
  /** Access width; 0 = any width. */
  readonly len: number;
  /** undefined = no DATAMATCH (any value). */
  readonly datamatch: bigint | undefined;
}

/** Whether the kernel's compare finds `a` and `b` equal. */
export function ioHandlersCollide(a: IoHandlerKey, b: IoHandlerKey): boolean {
  if (a.addr !== b.addr) return false;
  if (a.len === 0 || b.len === 0) return true;
  if (a.len !== b.len) return false;
  if (a.datamatch === undefined || b.datamatch === undefined) return true;
  return a.datamatch === b.datamatch;
}

/** The key of a guest write of `len` bytes holding `value` at `addr`. */
export function writeKey(addr: bigint, len: number, value: bigint): IoHandlerKey {
  return { addr, len, datamatch: value };
}
