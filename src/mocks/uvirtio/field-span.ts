/**
 * Where a field lives in a struct's bytes, found through its generated codec instead of written
 * by hand: every byte is set alone and decoded, and the bytes that make the selected field
 * non-zero are its span. uvirtio rules name byte ranges of virtio structs ({off, len}), so the
 * example and the tests take them from here (and stay right on any target's layout).
 */
import type { Codec } from "../../../generated/ts/runtime/codec.js";

export interface Span {
  readonly off: number;
  readonly len: number;
}

const cache = new WeakMap<object, Map<string, Span>>();

/** The bytes of `select(value)` in `codec`'s layout; `key` names the selection for caching. */
export function fieldSpan<T>(codec: Codec<T, unknown>, key: string, select: (v: T) => unknown): Span {
  let byCodec = cache.get(codec);
  if (byCodec === undefined) cache.set(codec, (byCodec = new Map()));
  const hit = byCodec.get(key);
  if (hit !== undefined) return hit;
  const bytes = new Uint8Array(codec.SIZE);
  const hits: number[] = [];
  for (let i = 0; i < codec.SIZE; i++) {
    bytes[i] = 1;
    let v: T | undefined;
    try {
      v = codec.decode(bytes);
    } catch {
      v = undefined; // a padding byte: the strict decoder rejects it, and it is no field's
    }
    if (v !== undefined && nonZero(select(v))) hits.push(i);
    bytes[i] = 0;
  }
  const off = hits[0];
  if (off === undefined) throw new Error(`${codec.name}: ${key} covers no bytes`);
  const span = { off, len: hits.length };
  if (hits[hits.length - 1] !== off + span.len - 1) throw new Error(`${codec.name}: ${key} is not contiguous`);
  byCodec.set(key, span);
  return span;
}

/**
 * Writes an unsigned integer into the field's bytes of an encoded `bytes`, in the codec's byte
 * order — for values the encoder refuses (out of the spec's range) that a test must still send.
 */
export function pokeField<T>(codec: Codec<T, unknown>, bytes: Uint8Array, key: string, select: (v: T) => unknown, value: number | bigint): void {
  const { off, len } = fieldSpan(codec, key, select);
  const probe = new Uint8Array(codec.SIZE);
  probe[off] = 1;
  const little = Number(select(codec.decode(probe))) === 1; // the first byte is the least significant
  let v = BigInt(value);
  for (let k = 0; k < len; k++) {
    bytes[little ? off + k : off + len - 1 - k] = Number(v & 0xffn);
    v >>= 8n;
  }
  if (v !== 0n) throw new RangeError(`${codec.name}: ${value} does not fit ${key} (${len} bytes)`);
}

function nonZero(x: unknown): boolean {
  if (typeof x === "number") return x !== 0;
  if (typeof x === "bigint") return x !== 0n;
  if (typeof x === "string") return x !== "";
  if (x instanceof Uint8Array) return x.some((b) => b !== 0);
  if (Array.isArray(x)) return x.some(nonZero);
  if (typeof x === "object" && x !== null) return Object.values(x).some(nonZero);
  return false;
}
