/**
 * The kernel's _IOC macro as arithmetic on a target's encoding, and its inverse.
 *
 * _IOC(dir, type, nr, size) = dir << (nr+type+size bits) | size << (nr+type bits) | type << nr bits | nr
 */
import type { IoctlEncoding } from "./targets.js";
import type { IoctlDir } from "../syntax/ast.js";

export function dirValue(enc: IoctlEncoding, dir: IoctlDir): number {
  switch (dir) {
    case "none": return enc.none;
    case "read": return enc.read;
    case "write": return enc.write;
    case "readwrite": return enc.read | enc.write;
  }
}

export function maxSize(enc: IoctlEncoding): number {
  return 2 ** enc.sizeBits - 1;
}

/** The encoded number as an unsigned 32-bit integer. Caller has checked ranges. */
export function encodeIoctl(enc: IoctlEncoding, dir: IoctlDir, type: number, nr: number, size: number): number {
  const sizeShift = enc.nrBits + enc.typeBits;
  const dirShift = sizeShift + enc.sizeBits;
  return ((dirValue(enc, dir) * 2 ** dirShift) + size * 2 ** sizeShift + type * 2 ** enc.nrBits + nr) >>> 0;
}

export interface DecodedIoctl {
  readonly dir: IoctlDir | undefined;
  readonly dirBits: number;
  readonly type: number;
  readonly nr: number;
  readonly size: number;
}

export function decodeIoctl(enc: IoctlEncoding, n: number): DecodedIoctl {
  const nr = n & 0xff;
  const type = (n >>> 8) & 0xff;
  const size = (n >>> 16) & (2 ** enc.sizeBits - 1);
  const dirBits = n >>> (16 + enc.sizeBits);
  const dir = (["none", "read", "write", "readwrite"] as const).find((d) => dirValue(enc, d) === dirBits);
  return { dir, dirBits, type, nr, size };
}

export function hex32(n: number): string {
  return "0x" + (n >>> 0).toString(16).padStart(8, "0");
}
