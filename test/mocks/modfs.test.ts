/**
 * The modfs mock (Roman Zippel's 2002 RFC, specs/modfs.abi): the control file driven through the
 * generated text-protocol client (generated/ts/modfs/commands.ts), every documented error path,
 * the module state lines, per-command errors recorded while the write returns its count, the
 * removal rules and the emulated old module syscalls.
 */
import { describe, expect, it } from "vitest";
import { ModfsControlClient, MODFS_CONTROL_MAX_LEN } from "../../generated/ts/modfs/commands.js";
import { MODFS_MAGIC } from "../../generated/ts/modfs/index.js";
import { SyscallError } from "../../generated/ts/runtime/errors.js";
import type { MockFd } from "../../generated/ts/runtime/mock-fd.js";
import { ModFs } from "../../src/mocks/modfs.js";
import { textLoader } from "./modfs-loader.js";

const utf8 = new TextEncoder();

function readAll(fd: MockFd): string {
  const out: number[] = [];
  const buf = new Uint8Array(7); // small on purpose: reads continue at the file position
  for (;;) {
    const n = fd.read(buf);
    if (n === 0) return new TextDecoder().decode(Uint8Array.from(out));
    out.push(...buf.subarray(0, n));
  }
}

function sysError(fn: () => unknown): SyscallError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(SyscallError);
    return e as SyscallError;
  }
  throw new Error("expected a SyscallError, the call succeeded");
}

function expectSys(fn: () => unknown, code: string, syscall: string): void {
  const e = sysError(fn);
  expect(e.code).toBe(code);
  expect(e.syscall).toBe(syscall);
}

/** A module directory with a written module file `name` and a client on its control file. */
function setup(fs: ModFs, dir: string, name = "m", image = "init=0") {
  if (!fs.readdir().includes(dir)) fs.mkdir(dir);
  const w = fs.creat(`${dir}/${name}`);
  expect(w.write(utf8.encode(image))).toBe(image.length);
  w.close();
  const controlFd = fs.open(`${dir}/control`, "w");
  return { control: new ModfsControlClient(controlFd), controlFd };
}

/** The errno the last control command recorded (undefined: it succeeded). */
const lastErrno = (fs: ModFs) => fs.commandLog.at(-1)?.errno;

describe("modfs mock: the file system", () => {
  it("mkdir makes a module directory with a control file; MODFS_MAGIC is the RFC's s_magic", () => {
    const fs = new ModFs();
    fs.mkdir("a");
    expect(fs.readdir()).toEqual(["a"]);
    expect(fs.readdir("a")).toEqual(["control"]);
    expect(ModFs.MAGIC).toBe(MODFS_MAGIC);
    expect(ModFs.MAGIC).toBe(0x7a3dc6cd);
  });

  it("path errors: EEXIST, ENOENT, EPERM (mkdir in a module dir), EACCES (creat in the root), ENOTEMPTY, EISDIR", () => {
    const fs = new ModFs();
    fs.mkdir("a");
    expectSys(() => fs.mkdir("a"), "EEXIST", "mkdir");
    expectSys(() => fs.mkdir("a/b"), "EPERM", "mkdir");
    expectSys(() => fs.mkdir("x/b"), "ENOENT", "mkdir");
    expectSys(() => fs.creat("m"), "EACCES", "creat");
    expectSys(() => fs.creat("a"), "EISDIR", "creat");
    expectSys(() => fs.creat("x/m"), "ENOENT", "creat");
    expectSys(() => fs.open("a/nope"), "ENOENT", "open");
    expectSys(() => fs.open("a"), "EISDIR", "open");
    expectSys(() => fs.unlink("a"), "EISDIR", "unlink");
    expectSys(() => fs.unlink("a/nope"), "ENOENT", "unlink");
    expectSys(() => fs.rmdir("a"), "ENOTEMPTY", "rmdir"); // control is still there
    expectSys(() => fs.rmdir("nope"), "ENOENT", "rmdir");
    expectSys(() => fs.mkdir("x".repeat(256)), "ENAMETOOLONG", "mkdir");
    const e = sysError(() => fs.mkdir("a"));
    expect(e.fdKind).toBe("modfs");
    expect(e.message).toContain("mkdir a");
  });

  it("a module file is written through the fd it was created with; creat's fd cannot read (EBADF)", () => {
    const fs = new ModFs();
    fs.mkdir("a");
    using w = fs.creat("a/m");
    expect(w.write(Uint8Array.of(1, 2, 3))).toBe(3);
    expect(w.write(Uint8Array.of(4))).toBe(1); // continues at the file position
    expect([...fs.module("a/m")!.contents]).toEqual([1, 2, 3, 4]);
    expect(sysError(() => w.read(new Uint8Array(8))).code).toBe("EBADF");
    using r = fs.open("a/m");
    expect(sysError(() => r.write(Uint8Array.of(1))).code).toBe("EBADF");
  });

  it("writes past the maximum file size are cut short, then EFBIG", () => {
    const fs = new ModFs({ maxFileSize: 8 });
    fs.mkdir("a");
    using w = fs.creat("a/m");
    expect(w.write(new Uint8Array(6))).toBe(6);
    expect(w.write(new Uint8Array(6))).toBe(2);
    expect(sysError(() => w.write(new Uint8Array(1))).code).toBe("EFBIG");
    expectSys(() => fs.truncate("a/m", 9), "EFBIG", "truncate");
  });

  it("truncate sets the size (zero-filling); EPERM while the file is mapped", () => {
    const fs = new ModFs();
    const { control } = setup(fs, "a", "m", "abcdef");
    fs.truncate("a/m", 3);
    fs.truncate("a/m", 5);
    expect(new TextDecoder().decode(fs.module("a/m")!.contents)).toBe("abc\0\0");
    control.map("m");
    expectSys(() => fs.truncate("a/m", 0), "EPERM", "truncate");
    expectSys(() => fs.creat("a/m"), "EPERM", "creat"); // O_TRUNC truncates too
    control.unmap("m");
    fs.truncate("a/m", 0);
    expect(fs.module("a/m")!.size).toBe(0);
  });

  it("mmap shares the page cache (and the kernel mapping); it needs a readable fd (EACCES)", () => {
    const fs = new ModFs();
    const { control } = setup(fs, "a", "m", "hello");
    using w = fs.open("a/m", "w");
    expect(sysError(() => w.mmap(4096)).code).toBe("EACCES");
    using rw = fs.open("a/m", "rw");
    expect(sysError(() => rw.mmap(4096, 100)).code).toBe("EINVAL");
    using view = rw.mmap(4096);
    expect(new TextDecoder().decode(view.bytes.subarray(0, 5))).toBe("hello");
    control.map("m");
    view.bytes[0] = "j".charCodeAt(0);
    expect(new TextDecoder().decode(fs.module("a/m")!.image!.subarray(0, 5))).toBe("jello");
  });

  it("unlink: a mapped module file is EBUSY; control is EBUSY while module files exist; then rmdir", () => {
    const fs = new ModFs();
    const { control, controlFd } = setup(fs, "a");
    control.map("m");
    expectSys(() => fs.unlink("a/m"), "EBUSY", "unlink");
    expectSys(() => fs.unlink("a/control"), "EBUSY", "unlink");
    control.unmap("m");
    fs.unlink("a/m");
    fs.unlink("a/control");
    expect(fs.readdir("a")).toEqual([]);
    fs.rmdir("a");
    expect(fs.readdir()).toEqual([]);
    controlFd.close();
  });
});

describe("modfs mock: control commands", () => {
  it("reading control gives \"todo\"", () => {
    const fs = new ModFs();
    fs.mkdir("a");
    using c = fs.open("a/control");
    expect(readAll(c)).toBe("todo");
  });

  it("map → EEXIST when mapped; unmap → ENOENT when not mapped — recorded, while the write returns its count", () => {
    const fs = new ModFs();
    const { control } = setup(fs, "a");
    expect(control.map("m")).toBe("map m".length);
    expect(lastErrno(fs)).toBeUndefined();
    expect(control.map("m")).toBe("map m".length);
    expect(lastErrno(fs)).toBe("EEXIST");
    expect(control.unmap("m")).toBe("unmap m".length);
    expect(lastErrno(fs)).toBeUndefined();
    expect(control.unmap("m")).toBe("unmap m".length);
    expect(lastErrno(fs)).toBe("ENOENT");
    expect(fs.commandLog.map((r) => [r.command, r.file, r.errno ?? "ok"])).toEqual([
      ["map", "m", "ok"], ["map", "m", "EEXIST"], ["unmap", "m", "ok"], ["unmap", "m", "ENOENT"],
    ]);
  });

  it("init: uninitialized → initializing (use count 1) → running; the state lines say so", () => {
    let during = "";
    let useDuring = -1;
    const fs: ModFs = new ModFs({
      loader: textLoader([], (p) => {
        during = fs.state(p);
        useDuring = fs.module(p)!.useCount;
      }),
    });
    const { control } = setup(fs, "a");
    expect(fs.state("a/m")).toBe("unmapped\n");
    control.map("m");
    const addr = fs.module("a/m")!.address!.toString(16).padStart(16, "0");
    expect(addr).toMatch(/^ffffc9/);
    using r = fs.open("a/m");
    expect(readAll(r)).toBe(`uninitialized ${addr}\n`);
    control.init("m");
    expect(lastErrno(fs)).toBeUndefined();
    expect(during).toBe(`initializing ${addr}\n`);
    expect(useDuring).toBe(1);
    expect(fs.module("a/m")!.useCount).toBe(0);
    expect(fs.state("a/m")).toBe(`unused ${addr}\n`);
    expect(fs.get("a/m")).toBe(true); // used once: no longer "unused"
    fs.put("a/m");
    expect(fs.state("a/m")).toBe(`${addr}\n`);
  });

  it("an autoclean module shows autoclean while running; exit shows deleted", () => {
    const calls: string[] = [];
    const fs = new ModFs({ loader: textLoader(calls) });
    const { control } = setup(fs, "a", "m", "autoclean");
    control.map("m");
    control.init("m");
    const addr = fs.module("a/m")!.address!.toString(16).padStart(16, "0");
    expect(fs.state("a/m")).toBe(`autoclean unused ${addr}\n`);
    control.exit("m");
    expect(lastErrno(fs)).toBeUndefined();
    expect(fs.state("a/m")).toBe(`deleted ${addr}\n`);
    expect(calls).toEqual(["init a/m", "cleanup a/m"]);
  });

  it("init returning a positive value is EBUSY; a negative one is its errno; the module stays uninitialized", () => {
    const fs = new ModFs({ loader: textLoader() });
    const { control } = setup(fs, "a", "m", "init=1");
    control.map("m");
    control.init("m");
    expect(lastErrno(fs)).toBe("EBUSY");
    expect(fs.state("a/m")).toMatch(/^uninitialized /);
    const { control: c2 } = setup(fs, "a", "n", "init=-19");
    c2.map("n");
    c2.init("n");
    expect(lastErrno(fs)).toBe("ENODEV");
    expect(fs.state("a/n")).toMatch(/^uninitialized /);
  });

  it("init of an unmapped or missing file is ENOENT; of a running one EBUSY", () => {
    const fs = new ModFs();
    const { control } = setup(fs, "a");
    control.init("m");
    expect(lastErrno(fs)).toBe("ENOENT");
    control.init("nope");
    expect(lastErrno(fs)).toBe("ENOENT");
    control.map("m");
    control.init("m");
    control.init("m");
    expect(lastErrno(fs)).toBe("EBUSY");
  });

  it("exit is EBUSY while the module is in use or other modules depend on it", () => {
    const calls: string[] = [];
    const fs = new ModFs({ loader: textLoader(calls) });
    const { control } = setup(fs, "a", "base");
    setup(fs, "a", "user", "deps=a/base");
    control.map("base");
    control.map("user");
    control.init("user");
    expect(lastErrno(fs)).toBe("ENOENT"); // its dependency is not running yet
    control.init("base");
    control.init("user");
    expect(lastErrno(fs)).toBeUndefined();
    expect(fs.module("a/base")!.refs).toBe(1);
    control.exit("base");
    expect(lastErrno(fs)).toBe("EBUSY"); // referenced by user
    expect(fs.get("a/user")).toBe(true);
    control.exit("user");
    expect(lastErrno(fs)).toBe("EBUSY"); // in use
    fs.put("a/user");
    control.exit("user");
    expect(lastErrno(fs)).toBeUndefined();
    control.exit("base");
    expect(lastErrno(fs)).toBeUndefined();
    expect(calls).toEqual(["init a/base", "init a/user", "cleanup a/user", "cleanup a/base"]);
    control.exit("base");
    expect(lastErrno(fs)).toBe("ENOENT"); // already deleted
  });

  it("exit during init is EBUSY (use count 1)", () => {
    let inner: string | undefined = "unset";
    const fs: ModFs = new ModFs({
      loader: textLoader([], () => {
        using c = fs.open("a/control", "w");
        new ModfsControlClient(c).exit("m");
        inner = fs.commandLog.at(-1)?.errno;
      }),
    });
    const { control } = setup(fs, "a");
    control.map("m");
    control.init("m");
    expect(inner).toBe("EBUSY");
    expect(fs.state("a/m")).toMatch(/^unused /);
  });

  it("exit of an uninitialized module just marks it deleted (no cleanup); init then is EBUSY", () => {
    const calls: string[] = [];
    const fs = new ModFs({ loader: textLoader(calls) });
    const { control } = setup(fs, "a");
    control.map("m");
    control.exit("m");
    expect(fs.state("a/m")).toMatch(/^deleted /);
    control.init("m");
    expect(lastErrno(fs)).toBe("EBUSY");
    expect(calls).toEqual([]);
  });

  it("unmap of a running module is EBUSY; after exit it unmaps", () => {
    const fs = new ModFs();
    const { control } = setup(fs, "a");
    control.map("m");
    control.init("m");
    control.unmap("m");
    expect(lastErrno(fs)).toBe("EBUSY");
    control.exit("m");
    control.unmap("m");
    expect(lastErrno(fs)).toBeUndefined();
    expect(fs.state("a/m")).toBe("unmapped\n");
    control.map("m"); // the state lived in the old mapping's struct module
    expect(fs.state("a/m")).toMatch(/^uninitialized /);
    control.init("m");
    expect(fs.state("a/m")).toMatch(/^unused /);
  });

  it("map of an empty file is ENOMEM (vmap of no pages); naming control or nothing is EINVAL", () => {
    const fs = new ModFs();
    const { control } = setup(fs, "a", "m", "");
    control.map("m");
    expect(lastErrno(fs)).toBe("ENOMEM");
    control.map("control");
    expect(lastErrno(fs)).toBe("EINVAL");
    using c = fs.open("a/control", "w");
    expect(c.write(utf8.encode("map"))).toBe(3);
    expect(lastErrno(fs)).toBe("EINVAL");
  });

  it("unknown commands are ignored (recorded as such); a trailing newline is accepted", () => {
    const fs = new ModFs();
    setup(fs, "a");
    using c = fs.open("a/control", "w");
    expect(c.write(utf8.encode("frobnicate m"))).toBe(12);
    expect(fs.commandLog.at(-1)).toMatchObject({ ignored: true, line: "frobnicate m" });
    expect(fs.commandLog.at(-1)?.errno).toBeUndefined();
    expect(c.write(utf8.encode("map m\n"))).toBe(6);
    expect(fs.commandLog.at(-1)).toMatchObject({ command: "map", file: "m", ignored: false });
    expect(fs.module("a/m")!.mapped).toBe(true);
  });

  it("a write longer than PATH_MAX still returns its count (recorded ENAMETOOLONG); the client refuses it first", () => {
    const fs = new ModFs();
    const { control, controlFd } = setup(fs, "a");
    const long = utf8.encode(`map ${"x".repeat(MODFS_CONTROL_MAX_LEN)}`);
    expect(controlFd.write(long)).toBe(long.length);
    expect(lastErrno(fs)).toBe("ENAMETOOLONG");
    const n = fs.commandLog.length;
    expect(() => control.map("x".repeat(MODFS_CONTROL_MAX_LEN))).toThrow(/longer than 4096/);
    expect(fs.commandLog.length).toBe(n); // nothing was written
  });

  it("control opened read-only cannot take commands (EBADF)", () => {
    const fs = new ModFs();
    fs.mkdir("a");
    using c = fs.open("a/control");
    expect(sysError(() => new ModfsControlClient(c).map("m")).code).toBe("EBADF");
  });
});

describe("modfs mock: the old module syscalls", () => {
  it("create_module → init_module → delete_module, as insmod/rmmod would", () => {
    const calls: string[] = [];
    const fs = new ModFs({ loader: textLoader(calls) });
    const image = utf8.encode("init=0 autoclean");
    const addr = fs.createModule("snd", image.length);
    expect(fs.readdir("snd")).toEqual(["control", "module"]);
    expect(fs.state("snd/module")).toBe(`uninitialized ${addr.toString(16).padStart(16, "0")}\n`);
    expect(fs.initModule("snd", image)).toBe(0);
    expect(fs.state("snd/module")).toMatch(/^autoclean unused /);
    expect(fs.deleteModule("snd")).toBe(0);
    expect(fs.readdir()).toEqual([]);
    expect(calls).toEqual(["init snd/module", "cleanup snd/module"]);
  });

  it("without CAP_SYS_MODULE every one is EPERM", () => {
    const fs = new ModFs({ capSysModule: false });
    expectSys(() => fs.createModule("snd", 10), "EPERM", "create_module");
    expectSys(() => fs.initModule("snd", new Uint8Array(10)), "EPERM", "init_module");
    expectSys(() => fs.deleteModule("snd"), "EPERM", "delete_module");
    expect(fs.readdir()).toEqual([]);
  });

  it("create_module of an existing name is EEXIST; init/delete of a missing one ENOENT", () => {
    const fs = new ModFs();
    fs.createModule("snd", 100);
    expectSys(() => fs.createModule("snd", 100), "EEXIST", "create_module");
    expectSys(() => fs.initModule("nope", new Uint8Array(1)), "ENOENT", "init_module");
    expectSys(() => fs.deleteModule("nope"), "ENOENT", "delete_module");
  });

  it("init_module ignores init's result (the RFC returns 0); a short user buffer is EFAULT", () => {
    const fs = new ModFs({ loader: textLoader() });
    const image = utf8.encode("init=1");
    fs.createModule("bad", image.length);
    expectSys(() => fs.initModule("bad", image.subarray(0, 2)), "EFAULT", "init_module");
    expect(fs.initModule("bad", image)).toBe(0);
    expect(fs.state("bad/module")).toMatch(/^uninitialized /); // init failed (EBUSY), nobody was told
    expect(fs.commandLog).toEqual([]); // the syscall runs init itself, not through a control write
  });

  it("delete_module of a module in use is EBUSY and leaves it in place", () => {
    const fs = new ModFs();
    fs.createModule("snd", 8);
    fs.initModule("snd", new Uint8Array(8));
    expect(fs.get("snd/module")).toBe(true);
    expectSys(() => fs.deleteModule("snd"), "EBUSY", "delete_module");
    expect(fs.readdir("snd")).toEqual(["control", "module"]);
    fs.put("snd/module");
    expect(fs.deleteModule("snd")).toBe(0);
  });
});
