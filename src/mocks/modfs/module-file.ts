/**
 * A modfs module object file: page-cache bytes user space writes (the relocated module image),
 * the kernel mapping made by the control file's `map`, and the module state the RFC keeps in
 * the image's `struct module` (2.4's flags: MOD_RUNNING, MOD_INITIALIZING, MOD_DELETED,
 * MOD_AUTOCLEAN, MOD_USED_ONCE; the use count; references from modules that depend on it).
 *
 * Storage is one buffer of the file system's maximum file size, allocated at creat, so every
 * view — the kernel mapping, a user mmap — shares the same bytes as the page cache does; a write
 * past the maximum is EFBIG (the kernel's answer at s_maxbytes).
 */
import { errno } from "../../../generated/ts/runtime/errors.js";
import { MockDevice, type MockFd, type MockProcess } from "../../../generated/ts/runtime/mock-fd.js";

export const PAGE_SIZE = 4096;

/** What the RFC's `init` finds in a mapped image: the module's entry points and links. */
export interface ModuleCode {
  /** mod->init(): 0 on success, a negative errno, or (buggy module) a positive value → EBUSY. */
  init?(): number;
  /** mod->cleanup(), called by `exit` when the module is running. */
  cleanup?(): void;
  /** Module files (`dir/file`) this one uses: each must be running; `init` takes a reference on each. */
  deps?: readonly string[];
  /** MOD_AUTOCLEAN: the state shows `autoclean` while running. */
  autoclean?: boolean;
}

/** Access an open file was opened with, per fd (the kernel's FMODE_READ/FMODE_WRITE). */
export interface OpenMode {
  readonly read: boolean;
  readonly write: boolean;
}

/** Per-open-file state shared by modfs files: access mode and file position. */
export class OpenFiles {
  readonly #files = new WeakMap<MockFd, { mode: OpenMode; pos: number }>();

  add(fd: MockFd, mode: OpenMode): MockFd {
    this.#files.set(fd, { mode, pos: 0 });
    return fd;
  }

  get(fd: MockFd): { mode: OpenMode; pos: number } {
    const f = this.#files.get(fd);
    if (f === undefined) throw errno("EBADF");
    return f;
  }
}

/** Copies `text` from `pos` into `buf` (a read of generated text); returns the byte count. */
export function readText(text: string, file: { pos: number }, buf: Uint8Array): number {
  const bytes = new TextEncoder().encode(text);
  const n = Math.max(0, Math.min(buf.length, bytes.length - file.pos));
  buf.set(bytes.subarray(file.pos, file.pos + n));
  file.pos += n;
  return n;
}

export class ModuleFile extends MockDevice {
  readonly dir: string;
  readonly fileName: string;
  readonly #storage: Uint8Array;
  readonly #open: OpenFiles;
  #size = 0;
  /** The kernel mapping (vmap) and its fake kernel address. */
  #mapping: { address: bigint; image: Uint8Array } | undefined;
  running = false;
  initializing = false;
  deleted = false;
  autoclean = false;
  usedOnce = false;
  useCount = 0;
  /** Running modules that recorded a dependency reference on this one. */
  refs = 0;
  /** The code `init` linked, kept for `exit` (cleanup, dependency references). */
  code: ModuleCode | undefined;
  /** Dependencies `init` took references on, released by `exit`. */
  depFiles: ModuleFile[] = [];

  constructor(dir: string, name: string, maxSize: number, open: OpenFiles, process: MockProcess) {
    super("modfs", process);
    this.dir = dir;
    this.fileName = name;
    this.#storage = new Uint8Array(maxSize);
    this.#open = open;
  }

  get path(): string {
    return `${this.dir}/${this.fileName}`;
  }

  get size(): number {
    return this.#size;
  }

  get mapped(): boolean {
    return this.#mapping !== undefined;
  }

  get address(): bigint | undefined {
    return this.#mapping?.address;
  }

  /** The mapped image (the pages vmap covers), undefined when not mapped. */
  get image(): Uint8Array | undefined {
    return this.#mapping?.image;
  }

  /** The file's current bytes (a view: changes with later writes). */
  get contents(): Uint8Array {
    return this.#storage.subarray(0, this.#size);
  }

  /** vmap of the file's pages; the caller checked it is not mapped. No pages → ENOMEM, as vmap gives NULL. */
  map(address: bigint): void {
    const pages = Math.ceil(this.#size / PAGE_SIZE);
    if (pages === 0) throw errno("ENOMEM");
    this.#mapping = { address, image: this.#storage.subarray(0, pages * PAGE_SIZE) };
  }

  /** Pages the mapping covers (for the address allocator). */
  get mappedPages(): number {
    return this.#mapping === undefined ? 0 : this.#mapping.image.length / PAGE_SIZE;
  }

  /**
   * vunmap. The module's state lives in the image's `struct module`, so it goes with the mapping:
   * a file mapped again is an uninitialized module. (unmap is refused while the module is live.)
   */
  unmap(): void {
    this.#mapping = undefined;
    this.running = this.initializing = this.deleted = this.autoclean = this.usedOnce = false;
    this.useCount = this.refs = 0;
    this.code = undefined;
    this.depFiles = [];
  }

  /** truncate/ftruncate: EPERM while mapped (the RFC), EFBIG past the maximum, zero-fills growth. */
  truncate(size: number): void {
    if (!Number.isSafeInteger(size) || size < 0) throw errno("EINVAL");
    if (this.#mapping !== undefined) throw errno("EPERM");
    if (size > this.#storage.length) throw errno("EFBIG");
    // Shrinking drops the tail's bytes: a later extension reads zeros, as with a real file.
    if (size < this.#size) this.#storage.fill(0, size, this.#size);
    this.#size = size;
  }

  /**
   * The state line: 2.4's /proc/modules flag words, then the kernel address as `%p` prints it
   * (zero-padded hex, no `0x`), or just `unmapped`.
   */
  stateText(): string {
    if (this.#mapping === undefined) return "unmapped\n";
    const words: string[] = [];
    if (this.deleted) words.push("deleted");
    else if (this.running) {
      if (this.autoclean) words.push("autoclean");
      if (!this.usedOnce) words.push("unused");
    } else if (this.initializing) words.push("initializing");
    else words.push("uninitialized");
    words.push(this.#mapping.address.toString(16).padStart(16, "0"));
    return words.join(" ") + "\n";
  }

  override read(file: MockFd, buf: Uint8Array): number {
    const f = this.#open.get(file);
    if (!f.mode.read) throw errno("EBADF");
    return readText(this.stateText(), f, buf);
  }

  override write(file: MockFd, data: Uint8Array): number {
    const f = this.#open.get(file);
    if (!f.mode.write) throw errno("EBADF");
    if (data.length === 0) return 0;
    if (f.pos >= this.#storage.length) throw errno("EFBIG");
    // Like generic_write_checks at s_maxbytes: a write crossing the limit is cut short.
    const n = Math.min(data.length, this.#storage.length - f.pos);
    this.#storage.set(data.subarray(0, n), f.pos);
    f.pos += n;
    this.#size = Math.max(this.#size, f.pos);
    return n;
  }

  /** A user mmap shares the page cache; MAP_SHARED needs the file open for reading (EACCES). */
  override mmap(file: MockFd, length: number, offset: bigint): Uint8Array {
    const f = this.#open.get(file);
    if (!f.mode.read) throw errno("EACCES");
    if (offset % BigInt(PAGE_SIZE) !== 0n || length <= 0) throw errno("EINVAL");
    const start = Number(offset);
    if (start + length > this.#storage.length) throw errno("EINVAL");
    return this.#storage.subarray(start, start + length);
  }
}
