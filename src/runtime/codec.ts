/**
 * The small runtime shared by abigen's generated TypeScript codecs. It is copied verbatim into
 * generated/ts/runtime/ so the generated package needs nothing else; keep it self-contained (no
 * imports, no Node types: it must type-check in a consumer project without @types/node).
 *
 * The hot path (reads, writes, range checks) lives in the generated code; this file has what is
 * either shared or only reached on failure: the error classes and how they name the failing
 * field, string and byte helpers, flags helpers, and the choice of the host target.
 *
 * Policies the generated code follows (also in the package README):
 * - 64-bit integers (u64, s64, le64/be64, long, ulong, ptr) are `bigint`; everything up to 32
 *   bits is `number`. long/ulong/ptr are `bigint` on every target so one TS type fits all.
 * - char[N] is a `string`: UTF-8, at most N bytes, no NUL inside; NUL-padded on encode, read up
 *   to the first NUL on decode (invalid UTF-8 decodes to U+FFFD).
 * - u8[N] is a `Uint8Array` of exactly N bytes; other arrays are arrays of exactly N elements.
 * - Unions: decode fills every arm from the same bytes; encode takes exactly one arm (the
 *   others absent or `undefined`) and zero-fills the rest of the union.
 * - `@padding`/`@reserved` fields may be omitted on encode (written as 0) and must be zero when
 *   given; decode reports non-zero ones, except inside union arms (which overlay other data).
 * - Enum-valued fields are checked on encode (a member value) and read as plain numbers on
 *   decode: a newer kernel may report values this spec does not know.
 */

/** Where in a value a problem is: field names and array indices, outermost first. */
export type PathSegment = string | number;

function formatPath(segments: readonly PathSegment[]): string {
  let out = "";
  for (const s of segments) {
    if (typeof s === "number") out += `[${s}]`;
    else out += out === "" ? s : `.${s}`;
  }
  return out;
}

abstract class CodecError extends Error {
  /** The failing field, e.g. `expects[3].blocks[1].rules[0].len`; "" for the value as a whole. */
  path: string;
  /** What is wrong, without the path. */
  readonly reason: string;
  private segments: PathSegment[];

  constructor(segments: PathSegment[], reason: string) {
    super(CodecError.compose(segments, reason));
    this.segments = segments;
    this.path = formatPath(segments);
    this.reason = reason;
  }

  private static compose(segments: readonly PathSegment[], reason: string): string {
    return segments.length === 0 ? reason : `${formatPath(segments)}: ${reason}`;
  }

  /** Used by generated code on the way out of a nested field: prefix the path. */
  prefix(segments: readonly PathSegment[]): this {
    this.segments = [...segments, ...this.segments];
    this.path = formatPath(this.segments);
    this.message = CodecError.compose(this.segments, this.reason);
    return this;
  }
}

/** A value that cannot be encoded: wrong type, out of range, unknown flag bits, too long… */
export class EncodeError extends CodecError {
  override readonly name = "EncodeError";
}

/** Bytes that cannot be decoded: too short, or non-zero padding/reserved bytes. */
export class DecodeError extends CodecError {
  override readonly name = "DecodeError";
}

export function isEncodeError(e: unknown): e is EncodeError {
  return e instanceof EncodeError;
}

export function isDecodeError(e: unknown): e is DecodeError {
  return e instanceof DecodeError;
}

/** Prefix the path of an error thrown by a nested codec; anything else passes through. */
export function at(e: unknown, ...segments: PathSegment[]): unknown {
  return e instanceof CodecError ? e.prefix(segments) : e;
}

// ---------------------------------------------------------------------------------------------
// Error constructors (called only when a check has failed)

function show(v: unknown): string {
  if (typeof v === "bigint") return `${v}n`;
  if (typeof v === "string") return JSON.stringify(v.length > 40 ? v.slice(0, 40) + "…" : v);
  if (v === null) return "null";
  if (v instanceof Uint8Array) return `Uint8Array(${v.length})`;
  if (Array.isArray(v)) return `array(${v.length})`;
  if (typeof v === "object") return "an object";
  return String(v);
}

/** An integer outside [min, max] (the field type's range intersected with `@range`). */
export function rangeError(path: PathSegment[], v: unknown, type: string, min: number | bigint, max: number | bigint): EncodeError {
  const want = typeof min === "bigint" ? "a bigint" : "an integer";
  return new EncodeError(path, `expected ${want} ${type} in ${min}..${max}, got ${show(v)}`);
}

export function flagsError(path: PathSegment[], v: number | bigint, flags: string, known: number | bigint): EncodeError {
  const unknown = typeof v === "bigint" ? v & ~BigInt(known) : (v & ~Number(known)) >>> 0;
  return new EncodeError(path, `unknown bits 0x${unknown.toString(16)} for flags ${flags} (value ${show(v)})`);
}

export function enumError(path: PathSegment[], v: unknown, en: string): EncodeError {
  return new EncodeError(path, `${show(v)} is not a value of enum ${en}`);
}

export function objectError(path: PathSegment[], v: unknown, record: string): EncodeError {
  return new EncodeError(path, `expected an object for ${record}, got ${show(v)}`);
}

export function arrayError(path: PathSegment[], v: unknown, length: number): EncodeError {
  return new EncodeError(path, `expected an array of exactly ${length} elements, got ${show(v)}`);
}

export function bytesError(path: PathSegment[], v: unknown, length: number): EncodeError {
  return new EncodeError(path, `expected a Uint8Array of exactly ${length} bytes, got ${show(v)}`);
}

export function nonZeroError(path: PathSegment[], v: unknown): EncodeError {
  return new EncodeError(path, `padding and reserved fields must be zero (or omitted), got ${show(v)}`);
}

export function unionError(path: PathSegment[], union: string, arms: readonly string[], present: readonly boolean[]): EncodeError {
  const set = arms.filter((_, i) => present[i]);
  return new EncodeError(
    path,
    `union ${union}: give exactly one of ${arms.join(", ")}; got ${set.length === 0 ? "none" : set.join(", ")}`,
  );
}

export function encodeSpaceError(view: DataView, offset: number, size: number): EncodeError {
  return new EncodeError([], `need ${size} bytes at offset ${offset}, the buffer has ${view.byteLength}`);
}

export function decodeNonZero(path: PathSegment[]): DecodeError {
  return new DecodeError(path, "padding/reserved bytes are not zero");
}

// ---------------------------------------------------------------------------------------------
// Buffers

/** A DataView over the bytes (no copy). */
export function toView(bytes: Uint8Array | DataView): DataView {
  return bytes instanceof DataView ? bytes : new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * Where `encode` results live. Allocating a small ArrayBuffer per encode costs more than writing
 * a small struct's fields (a backing store, zeroing, GC bookkeeping), so — like Node's
 * `Buffer.allocUnsafe` — small results are slices of a shared 8 KiB slab: each slice is handed
 * out once and never reused, so it is still zero when the encoder writes it (and stays valid
 * forever, as the caller's alone). Slices start at multiples of 8, so 64-bit fields of the
 * result stay aligned. The consequence for callers, as with Node Buffers: `bytes.buffer` is the
 * slab — use `bytes.byteOffset` and `bytes.byteLength` with it. Results of SLAB_MAX bytes or
 * more get their own buffer.
 */
export class Slab {
  /** The current slab; replaced, never rewound, when the next slice does not fit. */
  view: DataView = new DataView(new ArrayBuffer(SLAB_SIZE));
  /** The same bytes as 64-bit words when the host is little-endian (see Words64), else undefined. */
  words: Words64 = wordsOf(this.view.buffer);
  private next = 0;

  /** Reserves `size` bytes (size < SLAB_MAX) of `view` and returns their offset. */
  take(size: number): number {
    const at = this.next;
    // The refill is a method of its own so that `take`, inlined into every encode, stays small.
    if (at + size > SLAB_SIZE) return this.refill(size);
    this.next = (at + size + 7) & ~7;
    return at;
  }

  private refill(size: number): number {
    const buffer = new ArrayBuffer(SLAB_SIZE);
    this.view = new DataView(buffer);
    this.words = wordsOf(buffer);
    this.next = (size + 7) & ~7;
    return 0;
  }
}

/**
 * Whether the host stores numbers little-endian (typed arrays use the host's byte order): x86-64,
 * arm64, ppc64le… are, s390x is not.
 */
export const HOST_LITTLE_ENDIAN: boolean = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * A buffer as 64-bit words, given to the fast encoders alongside a DataView `v` that starts at
 * byte 0 of the same buffer, only on a little-endian host. Why: Node 20's optimizing compiler
 * does not inline DataView's setBigUint64/setBigInt64 (each is a builtin call, ~10 ns) but does
 * inline BigUint64Array stores (~3× faster), so a little-endian 64-bit field at an 8-aligned
 * offset is stored as `words[offset / 8] = value` (a store wraps to 64 bits, so a checked
 * negative s64 gets its two's complement bits too: the same bytes as setBigInt64). Only the slab
 * has words (`encode`, and `encodeInto` the slab's own view; offsets there are far below 2^32, so
 * `offset >>> 3` is the word index), and the stubs' scratch buffers, which pass theirs to
 * `encodeInto`; anything else — big-endian fields or hosts, unaligned
 * offsets, `encodeInto` any other view — uses the DataView.
 */
export type Words64 = BigUint64Array | undefined;

export function wordsOf(buffer: ArrayBufferLike): Words64 {
  return HOST_LITTLE_ENDIAN ? new BigUint64Array(buffer) : undefined;
}

const SLAB_SIZE = 8192;
/** Results this large or larger get their own buffer (Node's pool uses the same half-pool limit). */
export const SLAB_MAX = SLAB_SIZE >>> 1;
/** The slab `encode` of every generated codec takes its results from. */
export const slab = new Slab();

/**
 * Whether `size` bytes at `offset` lie inside `view`: offset an integer ≥ 0, offset + size at
 * most view.byteLength. Node 20's optimizing compiler does not inline the DataView `byteLength`
 * getter (a builtin call, a tenth of a small struct's encodeInto); a one-byte read of the last
 * byte is inlined, with the very same bounds check, and throws (RangeError, or TypeError once the
 * buffer is detached) exactly when the range does not fit — so the read stands in for the compare.
 */
export function fits(view: DataView, offset: number, size: number): boolean {
  if (!(Number.isInteger(offset) && offset >= 0)) return false;
  if (size === 0) return offset <= view.byteLength;
  try {
    view.getUint8(offset + size - 1);
    return true;
  } catch {
    return false;
  }
}

/** The one bounds check of a decode. */
export function checkDecode(view: DataView, offset: number, size: number, what: string): void {
  if (!fits(view, offset, size)) {
    throw new DecodeError([], `${what} needs ${size} bytes at offset ${offset}, got ${view.byteLength}`);
  }
}

export function checkEncode(view: DataView, offset: number, size: number): void {
  if (!fits(view, offset, size)) throw encodeSpaceError(view, offset, size);
}

export function isZero(view: DataView, offset: number, size: number): boolean {
  for (let i = 0; i < size; i++) if (view.getUint8(offset + i) !== 0) return false;
  return true;
}

export function zero(view: DataView, offset: number, size: number): void {
  if (size > 32) new Uint8Array(view.buffer, view.byteOffset + offset, size).fill(0);
  else for (let i = 0; i < size; i++) view.setUint8(offset + i, 0);
}

/** Copy a u8[N] field in; the caller has checked the length. */
export function writeBytes(view: DataView, offset: number, bytes: Uint8Array): void {
  if (bytes.length > 32) new Uint8Array(view.buffer, view.byteOffset + offset, bytes.length).set(bytes);
  else for (let i = 0; i < bytes.length; i++) view.setUint8(offset + i, bytes[i]!);
}

/** A u8[N] field as a fresh Uint8Array (a copy: the result does not alias the input). */
export function readBytes(view: DataView, offset: number, size: number): Uint8Array {
  return new Uint8Array(view.buffer, view.byteOffset + offset, size).slice();
}

// ---------------------------------------------------------------------------------------------
// Strings (char[N])

// Reached through globalThis so the file type-checks without the DOM lib or @types/node.
interface Utf8 {
  TextEncoder: new () => { encode(s: string): Uint8Array };
  TextDecoder: new (label: string) => { decode(b: Uint8Array): string };
}
const utf8Encoder = new (globalThis as unknown as Utf8).TextEncoder();
const utf8Decoder = new (globalThis as unknown as Utf8).TextDecoder("utf-8");

/**
 * Write `s` NUL-padded into `size` bytes. Returns undefined, or why it cannot (the generated
 * code turns that into an EncodeError naming the field).
 */
export function writeString(view: DataView, offset: number, size: number, s: unknown): string | undefined {
  if (typeof s !== "string") return `expected a string, got ${show(s)}`;
  let n = 0;
  // ASCII fast path: one byte per code unit, no allocation.
  for (; n < s.length; n++) {
    const c = s.charCodeAt(n);
    if (c === 0) return "strings cannot contain NUL";
    if (c >= 0x80) break;
    if (n >= size) return `string longer than ${size} bytes`;
    view.setUint8(offset + n, c);
  }
  if (n < s.length) {
    if (s.includes("\0")) return "strings cannot contain NUL";
    const bytes = utf8Encoder.encode(s);
    if (bytes.length > size) return `string of ${bytes.length} UTF-8 bytes is longer than ${size} bytes`;
    writeBytes(view, offset, bytes);
    n = bytes.length;
  }
  // NUL padding eight bytes a store (+0.0 is eight zero bytes, in either byte order): char[64]
  // names are mostly padding, and byte by byte this loop was a tenth of uvirtio_expect's encode.
  for (; n + 8 <= size; n += 8) view.setFloat64(offset + n, 0);
  for (; n + 4 <= size; n += 4) view.setUint32(offset + n, 0);
  for (; n < size; n++) view.setUint8(offset + n, 0);
  return undefined;
}

/** Read a char[N]: up to the first NUL (or all N bytes). */
export function readString(view: DataView, offset: number, size: number): string {
  let end = 0;
  let ascii = true;
  for (; end < size; end++) {
    const c = view.getUint8(offset + end);
    if (c === 0) break;
    if (c >= 0x80) ascii = false;
  }
  if (ascii) {
    let s = "";
    for (let i = 0; i < end; i++) s += String.fromCharCode(view.getUint8(offset + i));
    return s;
  }
  return utf8Decoder.decode(new Uint8Array(view.buffer, view.byteOffset + offset, end));
}

/** Bytes `s` takes in a char[N] field (UTF-8). */
export function stringByteLength(s: string): number {
  return utf8Encoder.encode(s).length;
}

// ---------------------------------------------------------------------------------------------
// Flags

/** Helpers over one flags type: `known` is the union of its member masks. */
export interface FlagsHelpers<V extends number | bigint> {
  readonly known: V;
  /** Every bit of `mask` is set in `value`. */
  has(value: V, mask: V): boolean;
  set(value: V, mask: V): V;
  clear(value: V, mask: V): V;
  /** Bits of `value` no member names (an encoder rejects them). */
  unknown(value: V): V;
}

export function flagsHelpers(known: number): FlagsHelpers<number>;
export function flagsHelpers(known: bigint): FlagsHelpers<bigint>;
export function flagsHelpers(known: number | bigint): FlagsHelpers<number> | FlagsHelpers<bigint> {
  if (typeof known === "bigint") {
    return {
      known,
      has: (v, m) => (v & m) === m,
      set: (v, m) => v | m,
      clear: (v, m) => v & ~m,
      unknown: (v) => v & ~known,
    } satisfies FlagsHelpers<bigint>;
  }
  // `>>> 0` keeps results unsigned: JS bit operators work on signed 32-bit integers.
  return {
    known,
    has: (v, m) => ((v & m) >>> 0) === m >>> 0,
    set: (v, m) => (v | m) >>> 0,
    clear: (v, m) => (v & ~m) >>> 0,
    unknown: (v) => (v & ~known) >>> 0,
  } satisfies FlagsHelpers<number>;
}

// ---------------------------------------------------------------------------------------------
// Codecs and targets

/** One record's encoder/decoder for one layout (one or more targets that lay it out alike). */
export interface Codec<T, I = T> {
  /** The C name of the type. */
  readonly name: string;
  /** The targets this layout is for. */
  readonly targets: readonly string[];
  readonly SIZE: number;
  readonly ALIGN: number;
  /**
   * SIZE bytes holding `value`, the caller's for good. Small results are slices of a shared
   * slab (see Slab): `bytes.buffer` may hold other results, so pass `bytes.byteOffset` along
   * with it.
   */
  encode(value: I): Uint8Array;
  /**
   * Write `value` at `offset`; on an EncodeError the bytes written so far stay. `words`, for the
   * runtime's own buffers: `wordsOf(view.buffer)` when `view` starts at byte 0 of its buffer
   * (64-bit fields are then stored through it, see Words64); without it, DataView stores only
   * (the slab's own view gets the slab's words either way).
   */
  encodeInto(view: DataView, offset: number, value: I, words?: Words64): void;
  /** Read a value at `offset` (default 0); the buffer may be longer than SIZE. */
  decode(bytes: Uint8Array | DataView, offset?: number): T;
}

/** The host target's codec, and the others by name. */
export interface TargetCodec<T, I = T> extends Codec<T, I> {
  forTarget(target: string): Codec<T, I>;
}

const ARCH_TO_TARGET: Readonly<Record<string, string>> = {
  x64: "x86_64", ia32: "i386", arm64: "aarch64", arm: "arm", riscv64: "riscv64",
  ppc64: "ppc64le", s390x: "s390x", mips: "mips", mipsel: "mips64el",
};

function detectHost(): string | undefined {
  const proc = (globalThis as { process?: { arch?: unknown } }).process;
  return typeof proc?.arch === "string" ? ARCH_TO_TARGET[proc.arch] : undefined;
}

/** The abigen target the running process is (by `process.arch`), or undefined if unknown. */
export const HOST_TARGET: string | undefined = detectHost();

function pick<V>(byTarget: Readonly<Record<string, V>>, what: string): V {
  const host = HOST_TARGET !== undefined ? byTarget[HOST_TARGET] : undefined;
  if (host !== undefined) return host;
  // Not generated for this host: fall back to the first target (documented; see HOST_TARGET).
  const first = Object.values(byTarget)[0];
  if (first === undefined) throw new Error(`abigen: ${what} was generated for no target`);
  return first;
}

/** The host's codec with `forTarget`, from the codecs by target name. */
export function selectCodec<T, I>(byTarget: Readonly<Record<string, Codec<T, I>>>): TargetCodec<T, I> {
  const host = pick(byTarget, "a codec");
  return {
    ...host,
    forTarget(target: string): Codec<T, I> {
      const c = byTarget[target];
      if (c === undefined) {
        throw new Error(`abigen: ${host.name} has no codec for target ${target}; known: ${Object.keys(byTarget).join(", ")}`);
      }
      return c;
    },
  };
}

/** An ioctl descriptor with the host's request number and argument size filled in. */
export function ioctl<D extends { readonly numbers: Readonly<Record<string, number>>; readonly sizes: Readonly<Record<string, number>> }>(
  d: D,
): D & { readonly number: number; readonly size: number } {
  return { ...d, number: pick(d.numbers, "an ioctl number"), size: pick(d.sizes, "an ioctl size") };
}
