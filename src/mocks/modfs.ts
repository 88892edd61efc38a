/**
 * A mock of Roman Zippel's modfs (specs/modfs.abi; seed-abis.md §5, LKML 20 Nov 2002): an
 * in-process file system whose files are runtime MockFds, so the generated control client
 * (generated/ts/modfs/commands.ts) writes to it like to any fd.
 *
 *   /                root: only directories — `mkdir <name>` makes a module directory
 *   /<name>/control  made with the directory: takes the text commands map/unmap/init/exit
 *   /<name>/<file>   creat(): a module object file (page cache; write, mmap, truncate)
 *
 * Paths are "<name>" and "<name>/<file>", relative to the mount. Path operations throw the
 * runtime's SyscallError (syscall "mkdir", "unlink", …, fdKind "modfs"); fd operations go
 * through MockFd (read/write/mmap/close).
 *
 * From the RFC: map → EEXIST if mapped; unmap → ENOENT if not mapped; init runs mod->init()
 * (use count 1, MOD_INITIALIZING, then MOD_RUNNING; a positive return → EBUSY); exit → EBUSY
 * with references or in use, else MOD_DELETED (+ cleanup() if running); unknown commands are
 * ignored and the write always returns its count; truncate of a mapped file → EPERM; unlink of a
 * mapped file → EBUSY; unlink of control → EBUSY while module files exist; the old syscalls need
 * CAP_SYS_MODULE (EPERM).
 *
 * Where the RFC is silent the mock takes the kernel's generic answer or 2.4's module code
 * (sys_init_module, free_module), and says so here:
 * - A command naming a file that does not exist, or a file that is not mapped (init/exit: no
 *   `struct module` yet), fails with ENOENT; naming `control`, no file, or a path: EINVAL.
 * - map of an empty file: ENOMEM (vmap of no pages returns NULL).
 * - unmap of a module that is initializing or running (not deleted): EBUSY — its code is live.
 *   The module's state lives in the image's `struct module`, so unmap drops it: mapping the
 *   file again gives an uninitialized module.
 * - init of a module that is not uninitialized (running, initializing, deleted): EBUSY; a
 *   dependency that is missing or not running: ENOENT; a negative init() result is that errno,
 *   and the module goes back to uninitialized (2.4's sys_init_module).
 * - exit of a module already deleted: ENOENT (it left module_list).
 * - creat in the root: EACCES (the root has no create); mkdir inside a module directory: EPERM
 *   (no mkdir there); rmdir of a directory with entries (control included): ENOTEMPTY; unlink of
 *   a directory: EISDIR; open of a directory: EISDIR.
 * - A write of more than PATH_MAX bytes to control is recorded as ENAMETOOLONG (and still
 *   returns its count).
 * - The module's code (init/cleanup/deps/autoclean) is what `loader` finds in the mapped image;
 *   the default loader finds an init that returns 0.
 */
import { errnoName, errnoNumber } from "../../generated/ts/runtime/errno.js";
import { errno, isErrno, SyscallError } from "../../generated/ts/runtime/errors.js";
import { type MockFd, MockProcess } from "../../generated/ts/runtime/mock-fd.js";
import { type CommandRecord, type CommandRunner, type ControlCommand, ControlFile } from "./modfs/control.js";
import { type ModuleCode, ModuleFile, OpenFiles, PAGE_SIZE } from "./modfs/module-file.js";

export { CONTROL_MAX_LEN, type CommandRecord, type ControlCommand } from "./modfs/control.js";
export type { ModuleCode } from "./modfs/module-file.js";

/** Finds a module's code in its mapped image (the part the RFC leaves to the image's `struct module`). */
export type ModuleLoader = (image: Uint8Array, path: string) => ModuleCode;

export interface ModFsOptions {
  /** Whether the caller has CAP_SYS_MODULE (the old syscalls need it). Default true. */
  readonly capSysModule?: boolean;
  readonly loader?: ModuleLoader;
  /** s_maxbytes: the largest module file, in bytes (its buffer is allocated at creat). Default 1 MiB. */
  readonly maxFileSize?: number;
  readonly process?: MockProcess;
}

/** Where the fake kernel addresses start: x86-64's VMALLOC_START, where vmap puts mappings. */
const VMALLOC_START = 0xffffc90000000000n;
const NAME_MAX = 255;
const CONTROL = "control";

interface ModuleDir {
  control: ControlFile | undefined;
  readonly files: Map<string, ModuleFile>;
}

export class ModFs implements CommandRunner {
  /** The caller's CAP_SYS_MODULE, for the old syscalls. */
  capSysModule: boolean;
  readonly process: MockProcess;
  readonly #dirs = new Map<string, ModuleDir>();
  readonly #open = new OpenFiles();
  readonly #loader: ModuleLoader;
  readonly #maxFileSize: number;
  readonly #log: CommandRecord[] = [];
  #nextAddress = VMALLOC_START;

  constructor(options: ModFsOptions = {}) {
    this.capSysModule = options.capSysModule ?? true;
    this.process = options.process ?? new MockProcess();
    this.#loader = options.loader ?? (() => ({}));
    this.#maxFileSize = options.maxFileSize ?? 1 << 20;
  }

  /** s_magic of the file system. */
  static readonly MAGIC = 0x7a3dc6cd;

  /** Every control-file write so far, with what it did (the driver reports none of it). */
  get commandLog(): readonly CommandRecord[] {
    return this.#log;
  }

  // -------------------------------------------------------------------------------------------
  // Path operations

  mkdir(path: string): void {
    this.#sys("mkdir", path, () => {
      const { dir, file } = split(path);
      if (file !== undefined) {
        this.#dir(dir);
        throw errno("EPERM");
      }
      if (this.#dirs.has(dir)) throw errno("EEXIST");
      this.#dirs.set(dir, { control: this.#newControl(dir), files: new Map() });
    });
  }

  rmdir(path: string): void {
    this.#sys("rmdir", path, () => {
      const { dir, file } = split(path);
      const d = this.#dir(dir);
      if (file !== undefined) {
        if (this.#entry(d, file) !== undefined) throw errno("ENOTDIR");
        throw errno("ENOENT");
      }
      if (d.control !== undefined || d.files.size > 0) throw errno("ENOTEMPTY");
      this.#dirs.delete(dir);
    });
  }

  /** creat(2): O_WRONLY | O_CREAT | O_TRUNC. */
  creat(path: string): MockFd {
    return this.#sys("creat", path, () => {
      const { dir, file } = split(path);
      // A name in the root: the root has no create operation (vfs_create → EACCES).
      if (file === undefined) throw errno(this.#dirs.has(dir) ? "EISDIR" : "EACCES");
      const d = this.#dir(dir);
      const existing = this.#entry(d, file);
      if (existing instanceof ControlFile) return this.#open.add(existing.open(), { read: false, write: true });
      if (existing !== undefined) {
        existing.truncate(0);
        return this.#open.add(existing.open(), { read: false, write: true });
      }
      const m = new ModuleFile(dir, file, this.#maxFileSize, this.#open, this.process);
      d.files.set(file, m);
      return this.#open.add(m.open(), { read: false, write: true });
    });
  }

  /** open(2) of an existing file: "r" (default), "w" or "rw". */
  open(path: string, access: "r" | "w" | "rw" = "r"): MockFd {
    return this.#sys("open", path, () => {
      const { dir, file } = split(path);
      const d = this.#dir(dir);
      if (file === undefined) throw errno("EISDIR");
      const entry = this.#entry(d, file);
      if (entry === undefined) throw errno("ENOENT");
      return this.#open.add(entry.open(), { read: access !== "w", write: access !== "r" });
    });
  }

  unlink(path: string): void {
    this.#sys("unlink", path, () => {
      const { dir, file } = split(path);
      const d = this.#dir(dir);
      if (file === undefined) throw errno("EISDIR");
      const entry = this.#entry(d, file);
      if (entry === undefined) throw errno("ENOENT");
      if (entry instanceof ControlFile) {
        if (d.files.size > 0) throw errno("EBUSY");
        d.control = undefined;
      } else {
        if (entry.mapped) throw errno("EBUSY");
        d.files.delete(file);
      }
    });
  }

  truncate(path: string, size: number): void {
    this.#sys("truncate", path, () => {
      const { dir, file } = split(path);
      const d = this.#dir(dir);
      if (file === undefined) throw errno("EISDIR");
      const entry = this.#entry(d, file);
      if (entry === undefined) throw errno("ENOENT");
      if (entry instanceof ModuleFile) entry.truncate(size);
      // control: a libfs file whose size means nothing; truncating it changes nothing.
    });
  }

  /** Names in the root ("") or in a module directory. */
  readdir(path = ""): string[] {
    return this.#sys("readdir", path, () => {
      if (path === "") return [...this.#dirs.keys()];
      const { dir, file } = split(path);
      const d = this.#dir(dir);
      if (file !== undefined) throw errno(this.#entry(d, file) === undefined ? "ENOENT" : "ENOTDIR");
      return [...(d.control === undefined ? [] : [CONTROL]), ...d.files.keys()];
    });
  }

  /** The module file at `path`, for tests and tools (undefined when there is none). */
  module(path: string): ModuleFile | undefined {
    const { dir, file } = split(path);
    return file === undefined ? undefined : this.#dirs.get(dir)?.files.get(file);
  }

  /** What reading the module file gives (its state line). */
  state(path: string): string {
    const m = this.module(path);
    if (m === undefined) throw new SyscallError({ errno: errnoNumber("ENOENT"), syscall: "state", fdKind: "modfs", detail: path });
    return m.stateText();
  }

  /** try_module_get: a running module's use count goes up (MOD_USED_ONCE too); false otherwise. */
  get(path: string): boolean {
    const m = this.module(path);
    if (m === undefined || !m.running || m.deleted) return false;
    m.useCount++;
    m.usedOnce = true;
    return true;
  }

  /** module_put. */
  put(path: string): void {
    const m = this.module(path);
    if (m === undefined || m.useCount === 0) throw new Error(`modfs mock: put(${path}) without a get`);
    m.useCount--;
  }

  // -------------------------------------------------------------------------------------------
  // Control-file commands (CommandRunner)

  recordCommand(record: CommandRecord): void {
    this.#log.push(record);
  }

  runCommand(dirName: string, command: ControlCommand, name: string): void {
    const d = this.#dirs.get(dirName);
    // The directory was removed while its control file stayed open: nothing is found.
    if (d === undefined) throw errno("ENOENT");
    if (name === CONTROL) throw errno("EINVAL");
    const m = d.files.get(name);
    if (m === undefined) throw errno("ENOENT");
    if (command === "map") this.#map(m);
    else if (command === "unmap") this.#unmap(m);
    else if (command === "init") this.#init(m);
    else this.#exit(m);
  }

  #map(m: ModuleFile): void {
    if (m.mapped) throw errno("EEXIST");
    m.map(this.#nextAddress);
    // The next mapping starts after a guard page, as vmap leaves one.
    this.#nextAddress += BigInt((m.mappedPages + 1) * PAGE_SIZE);
  }

  #unmap(m: ModuleFile): void {
    if (!m.mapped) throw errno("ENOENT");
    if ((m.running || m.initializing) && !m.deleted) throw errno("EBUSY");
    m.unmap();
  }

  #init(m: ModuleFile): void {
    if (!m.mapped) throw errno("ENOENT");
    if (m.running || m.initializing || m.deleted) throw errno("EBUSY");
    const code = this.#loader(m.image!, m.path);
    const deps: ModuleFile[] = [];
    for (const p of code.deps ?? []) {
      const dep = this.module(p);
      if (dep === undefined || !dep.running || dep.deleted) throw errno("ENOENT");
      deps.push(dep);
    }
    for (const dep of deps) dep.refs++;
    m.code = code;
    m.depFiles = deps;
    m.useCount = 1;
    m.initializing = true;
    const undo = (): void => {
      m.useCount = 0;
      for (const dep of deps) dep.refs--;
      m.depFiles = [];
      m.code = undefined;
    };
    let r: number;
    try {
      r = code.init?.() ?? 0;
    } catch (e) {
      undo(); // a throwing init hook is a test bug; leave the module as it was
      throw e;
    } finally {
      m.initializing = false;
    }
    if (r !== 0) {
      undo();
      if (r > 0) throw errno("EBUSY");
      const name = errnoName(-r);
      throw errno(name.endsWith("?") ? "EINVAL" : name);
    }
    m.useCount = 0;
    m.running = true;
    m.autoclean = code.autoclean === true;
  }

  #exit(m: ModuleFile): void {
    if (!m.mapped || m.deleted) throw errno("ENOENT");
    if (m.refs > 0 || m.useCount > 0) throw errno("EBUSY");
    m.deleted = true;
    if (m.running) {
      m.code?.cleanup?.();
      m.running = false;
    }
    for (const dep of m.depFiles) dep.refs--;
    m.depFiles = [];
  }

  // -------------------------------------------------------------------------------------------
  // The old module syscalls, emulated

  /** sys_create_module: mkdir, creat `module`, truncate to `size`, map; returns the kernel address. */
  createModule(name: string, size: number): bigint {
    return this.#sys("create_module", name, () => {
      this.#capable();
      if (name.includes("/")) throw errno("EINVAL");
      if (this.#dirs.has(name)) throw errno("EEXIST");
      this.#inner(() => this.mkdir(name));
      this.#inner(() => this.creat(`${name}/module`).close());
      this.#inner(() => this.truncate(`${name}/module`, size));
      const m = this.module(`${name}/module`)!;
      this.#map(m);
      return m.address!;
    });
  }

  /**
   * sys_init_module: writes the file's i_size bytes from `image` (the user buffer; shorter is
   * EFAULT, as copy_from_user would fail) and runs `init`, ignoring its result as the RFC does.
   */
  initModule(name: string, image: Uint8Array): number {
    return this.#sys("init_module", name, () => {
      this.#capable();
      const m = this.module(`${name}/module`);
      if (m === undefined) throw errno("ENOENT");
      if (image.length < m.size) throw errno("EFAULT");
      m.contents.set(image.subarray(0, m.size));
      try {
        this.runCommand(name, "init", "module");
      } catch (e) {
        if (!isErrno(e)) throw e;
      }
      return 0;
    });
  }

  /** sys_delete_module: `exit`; on success unmap, unlink `module` and `control`, rmdir. */
  deleteModule(name: string): number {
    return this.#sys("delete_module", name, () => {
      this.#capable();
      const m = this.module(`${name}/module`);
      if (m === undefined) throw errno("ENOENT");
      this.#exit(m);
      m.unmap();
      this.#inner(() => this.unlink(`${name}/module`));
      this.#inner(() => this.unlink(`${name}/${CONTROL}`));
      this.#inner(() => this.rmdir(name));
      return 0;
    });
  }

  #capable(): void {
    if (!this.capSysModule) throw errno("EPERM");
  }

  // -------------------------------------------------------------------------------------------

  #newControl(dir: string): ControlFile {
    return new ControlFile(dir, this.#open, this, this.process);
  }

  #dir(name: string): ModuleDir {
    const d = this.#dirs.get(name);
    if (d === undefined) throw errno("ENOENT");
    return d;
  }

  #entry(d: ModuleDir, name: string): ModuleFile | ControlFile | undefined {
    return name === CONTROL ? d.control : d.files.get(name);
  }

  /** Runs a path operation from inside another one, turning its SyscallError back into an errno. */
  #inner(op: () => void): void {
    try {
      op();
    } catch (e) {
      if (e instanceof SyscallError) throw errno(e.code);
      throw e;
    }
  }

  #sys<T>(syscall: string, path: string, op: () => T): T {
    try {
      return op();
    } catch (e) {
      if (isErrno(e)) throw new SyscallError({ errno: e.errno, syscall, fdKind: "modfs", detail: path });
      throw e;
    }
  }
}

/** "<dir>" or "<dir>/<file>"; anything else (empty parts, deeper paths, too long) is an errno. */
function split(path: string): { dir: string; file: string | undefined } {
  const parts = path.split("/");
  if (parts.some((p) => new TextEncoder().encode(p).length > NAME_MAX)) throw errno("ENAMETOOLONG");
  if (parts.length > 2 || parts.some((p) => p === "" || p === "." || p === "..")) {
    throw errno(parts.length > 2 ? "ENOTDIR" : "ENOENT");
  }
  return { dir: parts[0]!, file: parts[1] };
}
