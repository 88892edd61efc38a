/**
 * The small runtime under the generated typed stubs (`generated/ts/<family>/stubs.ts`): a
 * `Device` base class holding one Fd, the calls the generated methods make (encode the argument,
 * issue the ioctl with its name for errors, decode the result), user-pointer marshalling and
 * mmap views. Copied into generated/ts/runtime/ with the fd layer it uses.
 *
 * Everything runs on any `Fd`: a RealFd (kernel) or a MockFd (device model). Failures throw what
 * the fd layer throws (IoctlError with errno name and number, the ioctl's spec name and the fd
 * kind), or EncodeError/DecodeError for values that do not fit the spec.
 *
 * Ownership: a Device owns its Fd (closing or disposing the Device closes it). An fd returned by
 * an ioctl (`returns fd K`) is a new, independent Device: closing a parent does not close its
 * children, as in the kernel, where a VM fd and its vCPU fds are separate files.
 */
import type { Codec, Words64 } from "./codec.js";
import { EncodeError, rangeError, wordsOf } from "./codec.js";
import type { Fd, IoctlArg, MappedRegion, MmapOptions, UserBuffer } from "./fd.js";
import { bufferArg, NO_ARG, userBufferParts, valueArg } from "./fd.js";
import { IoctlResultError, SyscallError } from "./errors.js";
import { errnoNumber } from "./errno.js";
import { openFd, RealFd } from "./real-fd.js";

export type { Fd, IoctlArg, MappedRegion, UserBuffer } from "./fd.js";
export { bufferArg, NO_ARG, valueArg } from "./fd.js";
export { ioctlBackend } from "./native-ioctl.js";
export { anonymousMemory, eventfd, memfd, openFd, pipe, RealFd } from "./real-fd.js";
export { IoctlError, IoctlResultError, SyscallError, isIoctlError, isIoctlResultError, isSyscallError } from "./errors.js";

/** What a stub needs of a generated ioctl descriptor (`rt.ioctl({...})` in `<family>/index.ts`). */
export interface StubIoctl<T = unknown, I = T> {
  readonly name: string;
  readonly dir: "none" | "read" | "write" | "readwrite";
  /** The request number on this host. */
  readonly number: number;
  readonly arg: Codec<T, I> | null;
  readonly value: { readonly type: string; readonly min: number | bigint; readonly max: number | bigint } | null;
  /** The spec's `returns` ("zero", "count", "value" or `{ fd }`); "zero" makes a positive result an IoctlResultError. */
  readonly returns?: unknown;
}

/** The decoded type of a descriptor's argument (for ioctls whose argument is not a record). */
export type OutputOf<D> = D extends { readonly arg: Codec<infer T, infer _I> } ? T : never;
/** The encode input type of a descriptor's argument. */
export type InputOf<D> = D extends { readonly arg: Codec<infer _T, infer I> } ? I : never;

/** The base of every generated stub class: one owned Fd and the calls on it. */
export abstract class Device implements Disposable {
  /** The fd this object owns. */
  readonly fd: Fd;

  protected constructor(fd: Fd) {
    this.fd = fd;
  }

  get closed(): boolean {
    return this.fd.closed;
  }

  /** Closes the fd; exactly once (a second close throws EBADF). Children stay open. */
  close(): void {
    this.fd.close();
  }

  /** Closes the fd if still open (so `using` after an explicit close is fine). */
  [Symbol.dispose](): void {
    this.fd[Symbol.dispose]();
  }

  /**
   * The escape hatch: issue any ioctl descriptor on this fd, typed by its direction — `read`
   * returns the decoded value, `readwrite` takes the input and returns the decoded value,
   * `write` takes the input, `none` takes the by-value argument; the last two return the
   * ioctl's non-negative result (a positive one from a `returns zero` ioctl throws
   * IoctlResultError). No user-pointer marshalling (pass addresses).
   */
  ioctl<T, I>(desc: StubIoctl<T, I> & { readonly dir: "read" }): T;
  ioctl<T, I>(desc: StubIoctl<T, I> & { readonly dir: "readwrite" }, arg: I): T;
  ioctl<T, I>(desc: StubIoctl<T, I> & { readonly dir: "write" }, arg: I): number;
  ioctl(desc: StubIoctl & { readonly dir: "none" }, value?: number | bigint): number;
  ioctl(desc: StubIoctl, arg?: unknown): unknown {
    switch (desc.dir) {
      case "none":
        return callNone(this.fd, desc, arg as number | bigint | undefined);
      case "write":
        return callWrite(this.fd, desc, arg);
      case "read":
        return callRead(this.fd, desc);
      case "readwrite":
        return callReadWrite(this.fd, desc, arg);
    }
  }

  /** The raw form: request number and argument as the fd layer takes them. */
  rawIoctl(request: number, arg: IoctlArg = NO_ARG, name?: string): number {
    return this.fd.ioctl(request, arg, name);
  }
}

/** open(2) of a device path for a stub class (O_RDWR | O_CLOEXEC; see openFd). */
export function openDevice(path: string, kind: string): Fd {
  return openFd(path, { kind });
}

/** Wraps the fd number an ioctl returned (`returns fd K`) into an Fd of the same family as `parent`. */
export function adoptResult(parent: Fd, n: number, kind: string): Fd {
  return parent.adopt(n, kind);
}

/**
 * The result of an ioctl, checked against the spec: a `returns zero` ioctl that returned a
 * positive number did not succeed (uvirtio's uncopied-byte counts), so it throws instead of
 * passing for success.
 */
function checked(fd: Fd, desc: StubIoctl, r: number): number {
  if (r > 0 && desc.returns === "zero") throw resultError(fd, desc, r);
  return r;
}

// Out of line, so that checked() stays small enough to be inlined into every call.
function resultError(fd: Fd, desc: StubIoctl, r: number): IoctlResultError {
  return new IoctlResultError({ result: r, request: desc.number, ioctl: desc.name, fdKind: fd.kind, fd: fd.fd });
}

function codecOf<T, I>(desc: StubIoctl<T, I>): Codec<T, I> {
  if (desc.arg === null) throw new Error(`abigen: ${desc.name} has no argument type`);
  return desc.arg;
}

/** A `none` ioctl: the by-value argument (checked against the spec's range), or 0. */
export function callNone(fd: Fd, desc: StubIoctl, value?: number | bigint): number {
  if (desc.value === null) {
    if (value !== undefined) throw new EncodeError(["value"], `${desc.name} takes no argument`);
    return checked(fd, desc, fd.ioctl(desc.number, NO_ARG, desc.name));
  }
  const { type, min, max } = desc.value;
  const ok =
    (typeof value === "bigint" || (typeof value === "number" && Number.isInteger(value))) &&
    BigInt(value) >= BigInt(min) &&
    BigInt(value) <= BigInt(max);
  if (!ok) throw rangeError(["value"], value, type, min, max);
  return checked(fd, desc, fd.ioctl(desc.number, valueArg(value), desc.name));
}

// ---------------------------------------------------------------------------------------------
// Scratch buffers for argument structs
//
// The calls on a RealFd encode into reusable scratch buffers and decode from them before
// returning, rather than allocating per call: a fresh Uint8Array costs an allocation, and the
// DataView an encoder writes through needs its ArrayBuffer, which for a small array V8 must first
// move off its heap (≈0.5 µs). With koffi (the fallback when the ioctl addon is not built) a
// fresh small array also has to be copied out to pass a pointer; the addon's fast path takes any
// Uint8Array's address directly, so the scratch buffers are plain ArrayBuffers. Only the address
// reaches the kernel (the request number says how many bytes it reads and writes), so each
// scratch buffer is passed whole, through one IoctlArg built once.
//
// A small stack of them makes nested calls safe (an ioctl issued from inside a user-pointer
// lending callback while the outer argument is encoded); deeper nesting, or a struct larger
// than a scratch buffer, falls back to a fresh buffer. Other fds (device models) keep getting a
// fresh buffer of the exact size: a model may hold on to the bytes it was handed.

const SCRATCH_BYTES = 4096;
const SCRATCH_DEPTH = 4;

interface Scratch {
  readonly view: DataView;
  /** The same bytes as 64-bit words, for zeroing. */
  readonly words: Float64Array;
  /** And as the encoders' 64-bit words (rt.Words64; undefined on big-endian hosts). */
  readonly u64: Words64;
  /** The ioctl argument: the whole buffer. */
  readonly arg: IoctlArg;
}

const scratchStack: Scratch[] = [];
let scratchInUse = 0;

/** A scratch buffer whose first `size` bytes are zero, for a call on `fd`, or undefined (use a fresh buffer). */
function takeScratch(fd: Fd, size: number): Scratch | undefined {
  if (size > SCRATCH_BYTES || scratchInUse >= SCRATCH_DEPTH || !RealFd.is(fd)) return undefined;
  const s = scratchStack[scratchInUse] ?? newScratch();
  scratchInUse++;
  // Padding and anything the encoder leaves alone is zero, as in a fresh buffer. A word loop:
  // TypedArray.prototype.fill is a C++ builtin call, several times the cost for a small struct.
  const words = s.words;
  for (let i = 0, n = (size + 7) >>> 3; i < n; i++) words[i] = 0;
  return s;
}

function newScratch(): Scratch {
  const buffer = new ArrayBuffer(SCRATCH_BYTES);
  const s = { view: new DataView(buffer), words: new Float64Array(buffer), u64: wordsOf(buffer), arg: bufferArg(new Uint8Array(buffer)) };
  scratchStack[scratchInUse] = s;
  return s;
}

/** Issue `desc` on `fd` with `input` encoded into `s` (left zeroed when not `encode`); the checked result. */
function issue<T, I>(fd: Fd, desc: StubIoctl<T, I>, codec: Codec<T, I>, s: Scratch, encode: boolean, input: I): number {
  if (encode) codec.encodeInto(s.view, 0, input, s.u64);
  return checked(fd, desc, fd.ioctl(desc.number, s.arg, desc.name));
}

/** Issue `desc` with `input` encoded (zeroed bytes when not `encode`), and decode the bytes after the call if `decode`. */
function callBuffer<T, I>(fd: Fd, desc: StubIoctl<T, I>, encode: boolean, input: I, decode: boolean): [T | undefined, number] {
  const codec = codecOf(desc);
  const s = takeScratch(fd, codec.SIZE);
  if (s === undefined) {
    const bytes = encode ? codec.encode(input) : new Uint8Array(codec.SIZE);
    const r = checked(fd, desc, fd.ioctl(desc.number, bufferArg(bytes), desc.name));
    return [decode ? codec.decode(bytes) : undefined, r];
  }
  try {
    const r = issue(fd, desc, codec, s, encode, input);
    return [decode ? codec.decode(s.view, 0) : undefined, r];
  } finally {
    scratchInUse--;
  }
}

/** A `write` ioctl: encode, issue; the kernel's result. */
export function callWrite<I>(fd: Fd, desc: StubIoctl<unknown, I>, input: I): number {
  // The hot path of every write ioctl, so without callBuffer's result pair.
  const codec = codecOf(desc);
  const s = takeScratch(fd, codec.SIZE);
  if (s === undefined) return callBuffer(fd, desc, true, input, false)[1];
  try {
    return issue(fd, desc, codec, s, true, input);
  } finally {
    scratchInUse--;
  }
}

/** A `read` ioctl: a zeroed buffer for the kernel to fill, decoded. */
export function callRead<T>(fd: Fd, desc: StubIoctl<T, unknown>): T {
  const codec = codecOf(desc);
  const s = takeScratch(fd, codec.SIZE);
  if (s === undefined) return callReadResult(fd, desc)[0];
  try {
    issue(fd, desc, codec, s, false, undefined);
    return codec.decode(s.view, 0);
  } finally {
    scratchInUse--;
  }
}

/** A `read` ioctl that also returns a value: [decoded, result]. */
export function callReadResult<T>(fd: Fd, desc: StubIoctl<T, unknown>): [T, number] {
  return callBuffer(fd, desc, false, undefined as unknown, true) as [T, number];
}

/** A `readwrite` ioctl: encode, issue, decode what the kernel wrote back. */
export function callReadWrite<T, I>(fd: Fd, desc: StubIoctl<T, I>, input: I): T {
  return callReadWriteResult(fd, desc, input)[0];
}

export function callReadWriteResult<T, I>(fd: Fd, desc: StubIoctl<T, I>, input: I): [T, number] {
  return callBuffer(fd, desc, true, input, true) as [T, number];
}

// ---------------------------------------------------------------------------------------------
// User pointers

/**
 * What a caller may put in a `@ptr` field of a stub argument: a raw address (memory that must
 * outlive the call, e.g. `anonymousMemory(n).address` for KVM guest RAM) or bytes to lend for
 * the duration of the call (a bare Uint8Array is copied in and back; `{ bytes, access }` says
 * which way).
 */
export type UserPointer = bigint | UserBuffer;

/** Whether `v` is bytes to lend (a Uint8Array or `{ bytes, access }`), not an address. */
export function isUserBuffer(v: unknown): v is UserBuffer {
  if (v instanceof Uint8Array) return true;
  return typeof v === "object" && v !== null && (v as { bytes?: unknown }).bytes instanceof Uint8Array;
}

/** Bytes of a UserBuffer (what a `len` field is filled with). */
export function userBufferLength(b: UserBuffer): number {
  return userBufferParts(b).bytes.length;
}

/**
 * Collects the buffers of one argument while the generated `lower$X` walk builds the codec's
 * input with placeholder addresses; `fix` callbacks store the real addresses once they exist.
 */
export class Pointers {
  /** Created by the first add(): most calls lend nothing, and then allocate nothing here. */
  buffers: UserBuffer[] | undefined;
  fixes: ((address: bigint) => void)[] | undefined;

  /** Lends `b` for the call; `fix` receives its address. Returns the placeholder (0). */
  add(b: UserBuffer, fix: (address: bigint) => void): bigint {
    (this.buffers ??= []).push(b);
    (this.fixes ??= []).push(fix);
    return 0n;
  }
}

/**
 * The keys of T that may be absent. (Mapped over T's own keys, so T's modifiers are kept.)
 */
type OptionalKeys<T> = { [K in keyof T]-?: {} extends Pick<T, K> ? K : never }[keyof T];

/**
 * The stub argument type of a codec input `T`: the keys of `R` take R's types (pointer fields
 * become `UserPointer`, records holding pointers their own argument types), and the keys in `L`
 * (the length fields the runtime fills) become optional. Distributes over union inputs.
 */
export type Lowered<T, R, L extends PropertyKey = never> = T extends unknown
  ? Omit<T, keyof R | L> &
      { [K in Exclude<keyof R & keyof T, OptionalKeys<T>>]: R[K] } &
      { [K in keyof R & OptionalKeys<T>]?: R[K] } &
      { [K in L & keyof T]?: T[K] }
  : never;

/** `lower` over an array field; anything else passes through for the encoder to reject. */
export function lowerArray<A, I>(v: readonly A[] | undefined, lower: (x: A) => I): I[] {
  return Array.isArray(v) ? v.map(lower) : (v as unknown as I[]);
}

/**
 * Runs `call` with the codec input `lower` builds from `arg`, the lent buffers placed in user
 * memory (`fd.withUserBuffers`: native memory on a real fd, the simulated address space on a
 * mock) and their addresses written into the input. Without buffers, no lending at all.
 */
export function withPointers<A, I, R>(fd: Fd, arg: A, lower: (x: A, p: Pointers) => I, call: (input: I) => R): R {
  const p = new Pointers();
  const input = lower(arg, p);
  const buffers = p.buffers;
  if (buffers === undefined) return call(input);
  const fixes = p.fixes!;
  return fd.withUserBuffers(buffers, (addrs) => {
    for (let i = 0; i < addrs.length; i++) fixes[i]!(addrs[i]!);
    return call(input);
  });
}

// ---------------------------------------------------------------------------------------------
// mmap

/**
 * A live view of an fd's mapping that holds a `T` at offset 0 (kvm_run, gh_vcpu_run): `read()`
 * decodes the current bytes, `write(v)` encodes into them, `bytes` is the whole mapping (data
 * past the struct, such as KVM's port I/O bytes at `io.data_offset`, lives there).
 */
export class MappedView<T, I = T> implements Disposable {
  readonly region: MappedRegion;
  readonly codec: Codec<T, I>;
  readonly #view: DataView;

  constructor(region: MappedRegion, codec: Codec<T, I>) {
    this.region = region;
    this.codec = codec;
    this.#view = new DataView(region.bytes.buffer, region.bytes.byteOffset, region.bytes.byteLength);
  }

  /** The whole mapping, without copy; do not keep it past unmap(). */
  get bytes(): Uint8Array {
    return this.region.bytes;
  }

  get mapped(): boolean {
    return this.region.mapped;
  }

  read(): T {
    return this.codec.decode(this.#view, 0);
  }

  write(value: I): void {
    this.codec.encodeInto(this.#view, 0, value);
  }

  unmap(): void {
    this.region.unmap();
  }

  [Symbol.dispose](): void {
    this.region[Symbol.dispose]();
  }
}

/** mmap(fd, size) at offset 0, shared, read-write, as a view of `codec`'s type. */
export function mapView<T, I>(fd: Fd, codec: Codec<T, I>, size: number = codec.SIZE, options: MmapOptions = {}): MappedView<T, I> {
  if (fd.mmap === undefined) {
    throw new SyscallError({ errno: errnoNumber("ENODEV"), syscall: "mmap", fdKind: fd.kind, detail: "(this fd cannot be mapped)" });
  }
  if (size < codec.SIZE) {
    throw new RangeError(`abigen: mapping ${size} bytes of ${fd.kind} is smaller than ${codec.name} (${codec.SIZE} bytes)`);
  }
  return new MappedView(fd.mmap(size, 0, options), codec);
}
