/** How the conflict report and its diagnostics write slots, ranges and registry rows. */
import { hexByte, typeLabel, type RegistryRow } from "../registry/registry.js";

export { hexByte, typeLabel };

/** `'G' 0x00-0x07` or `'G' 0x05`. */
export function rangeLabel(type: number, nrFirst: number, nrLast: number): string {
  return `${typeLabel(type)} ${hexByte(nrFirst)}${nrLast === nrFirst ? "" : `-${hexByte(nrLast)}`}`;
}

/** `'G' 00-3F drivers/misc/sgi-gru/grulib.h (conflict!, ioctl-number.rst:146)`. */
export function rowLabel(r: RegistryRow): string {
  const notes = [...(r.conflict ? ["conflict!"] : []), `ioctl-number.rst:${r.line}`];
  return `${r.code} ${r.seq} ${r.include || "(no include file)"} (${notes.join(", ")})`;
}
