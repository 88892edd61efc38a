/** Every ioctl of the program, in family and declaration order (ioctl rules compare across families). */
import { declsOf, type IoctlModel, type Program } from "../model/model.js";

export function allIoctls(program: Program): IoctlModel[] {
  return program.families.flatMap((f) => declsOf(f, "ioctl"));
}

/** `0x47 ('G')` for a printable magic byte, else hex. */
export function showMagic(magic: number): string {
  const hex = "0x" + magic.toString(16);
  return magic >= 0x20 && magic < 0x7f ? `${hex} ('${String.fromCharCode(magic)}')` : hex;
}
