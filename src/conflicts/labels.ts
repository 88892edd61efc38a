/** How the conflict report and its diagnostics write slots, ranges and registry rows. */
import { typeLabel, type RegistryRow } from "../registry/registry.js";

export { typeLabel };

/** `0x07` — nr as the diagnostics write it. */
export function hexByte(n: number): string {
  return "0x" + n.toString(16).padStart(2, "0");
}

/** `'G' 0x00-0x07` or `'G' 0x05`. */
export function rangeLabel(type: number, nrFirst: number, nrLast: number): string {
  return `${typeLabel(type)} ${hexByte(nrFirst)}${nrLast === nrFirst ? "" : `-${hexByte(nrLast)}`}`;
}

/** The Seq# cell of ioctl-number.rst: `00-07`, `C0`, or `all`. */
export function seqCell(nrFirst: number, nrLast: number): string {
  const b = (n: number) => n.toString(16).toUpperCase().padStart(2, "0");
  if (nrFirst === 0 && nrLast === 255) return "all";
  return nrFirst === nrLast ? b(nrFirst) : `${b(nrFirst)}-${b(nrLast)}`;
}

/** `'G' 00-3F drivers/misc/sgi-gru/grulib.h (conflict!, ioctl-number.rst:146)`. */
export function rowLabel(r: RegistryRow): string {
  const notes = [...(r.conflict ? ["conflict!"] : []), `ioctl-number.rst:${r.line}`];
  return `${r.code} ${r.seq} ${r.include || "(no include file)"} (${notes.join(", ")})`;
}

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
