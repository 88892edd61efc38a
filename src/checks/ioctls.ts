/** Every ioctl of the program, in family and declaration order (ioctl rules compare across families). */
import type { IoctlModel, Program } from "../model/model.js";

export function allIoctls(program: Program): IoctlModel[] {
  // A plain loop: several rules ask, and flatMap + filter built two arrays per family each time.
  const out: IoctlModel[] = [];
  for (const f of program.families) for (const d of f.decls) if (d.kind === "ioctl") out.push(d);
  return out;
}

/** `0x47 ('G')` for a printable magic byte, else hex. */
export function showMagic(magic: number): string {
  const hex = "0x" + magic.toString(16);
  return magic >= 0x20 && magic < 0x7f ? `${hex} ('${String.fromCharCode(magic)}')` : hex;
}
