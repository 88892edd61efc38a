/**
 * Whether a registry row (or a scanned header) is a spec family's own: the rows of
 * ioctl-number.rst that name the family's header are its existing allocation, not a conflict.
 */
import type { RegistryRow } from "./rst-table.js";

/** Header paths are written several ways in ioctl-number.rst (`uapi/linux/x.h`, `include/linux/x.h`). */
export function normalizeHeader(path: string): string {
  return path.trim().replace(/^include\//, "").replace(/^uapi\//, "");
}

/** Does a registry row (or scanned header) name the family's own header? */
export function isOwnHeader(path: string, familyHeader: string): boolean {
  return normalizeHeader(path) === normalizeHeader(familyHeader);
}

export function rowIsOwn(r: RegistryRow, familyHeader: string): boolean {
  return r.headers.some((h) => isOwnHeader(h, familyHeader));
}
