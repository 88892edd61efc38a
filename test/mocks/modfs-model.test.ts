/**
 * Model-based test of the modfs mock (fast-check commands): random mkdir / creat+write / control
 * commands (map, unmap, init, exit, through the generated client) / get / put / unlink / rmdir
 * over two directories and two file names. A small model predicts each operation's errno — the
 * path operations' thrown one, the control commands' recorded one (their writes always return
 * the count) — and after every step the directory listing and every module file's state line
 * must be what the model says.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ModfsControlClient } from "../../generated/ts/modfs/commands.js";
import { isSyscallError } from "../../generated/ts/runtime/errors.js";
import { ModFs } from "../../src/mocks/modfs.js";
import { textLoader } from "./modfs-loader.js";

const DIRS = ["a", "b"] as const;
const FILES = ["m", "n"] as const;
const IMAGES = ["init=0", "init=1", "init=-19", "autoclean", ""] as const;

interface FileModel {
  image: string;
  mapped: boolean;
  state: "uninitialized" | "running" | "deleted";
  autoclean: boolean;
  usedOnce: boolean;
  useCount: number;
}
interface DirModel {
  control: boolean;
  files: Map<string, FileModel>;
}
type Model = Map<string, DirModel>;

const utf8 = new TextEncoder();

/** Runs `op`, returning the errno it threw as a SyscallError (undefined: it succeeded). */
function outcome(op: () => unknown): string | undefined {
  try {
    op();
    return undefined;
  } catch (e) {
    if (!isSyscallError(e)) throw e;
    return e.code;
  }
}

function expectedState(f: FileModel): RegExp {
  if (!f.mapped) return /^unmapped\n$/;
  const words =
    f.state === "deleted" ? "deleted " : f.state === "running" ? `${f.autoclean ? "autoclean " : ""}${f.usedOnce ? "" : "unused "}` : "uninitialized ";
  return new RegExp(`^${words}[0-9a-f]{16}\\n$`);
}

function check(m: Model, fs: ModFs): void {
  expect(fs.readdir().sort()).toEqual([...m.keys()].sort());
  for (const [dir, d] of m) {
    expect(fs.readdir(dir).sort(), dir).toEqual([...(d.control ? ["control"] : []), ...d.files.keys()].sort());
    for (const [name, f] of d.files) expect(fs.state(`${dir}/${name}`), `${dir}/${name}`).toMatch(expectedState(f));
  }
}

type Op =
  | { op: "mkdir"; dir: string }
  | { op: "rmdir"; dir: string }
  | { op: "creat"; dir: string; file: string; image: string }
  | { op: "unlink"; dir: string; file: string }
  | { op: "map" | "unmap" | "init" | "exit"; dir: string; file: string }
  | { op: "get" | "put"; dir: string; file: string };

/** What the model predicts (errno or undefined), applying the change when the operation succeeds. */
function predict(m: Model, o: Op): string | undefined {
  const d = m.get(o.dir);
  switch (o.op) {
    case "mkdir":
      if (d !== undefined) return "EEXIST";
      m.set(o.dir, { control: true, files: new Map() });
      return undefined;
    case "rmdir":
      if (d === undefined) return "ENOENT";
      if (d.control || d.files.size > 0) return "ENOTEMPTY";
      m.delete(o.dir);
      return undefined;
    case "creat": {
      if (d === undefined) return "ENOENT";
      const f = d.files.get(o.file);
      if (f?.mapped) return "EPERM";
      d.files.set(o.file, { image: o.image, mapped: false, state: "uninitialized", autoclean: false, usedOnce: false, useCount: 0 });
      return undefined;
    }
    case "unlink": {
      if (d === undefined) return "ENOENT";
      if (o.file === "control") {
        if (!d.control) return "ENOENT";
        if (d.files.size > 0) return "EBUSY";
        d.control = false;
        return undefined;
      }
      const f = d.files.get(o.file);
      if (f === undefined) return "ENOENT";
      if (f.mapped) return "EBUSY";
      d.files.delete(o.file);
      return undefined;
    }
    case "get":
    case "put":
      return undefined; // checked in run: only issued when meaningful
    default: {
      // A control command: opening control fails first when there is none.
      if (d === undefined || !d.control) return "open:ENOENT";
      const f = d.files.get(o.file);
      if (f === undefined) return "ENOENT";
      if (o.op === "map") {
        if (f.mapped) return "EEXIST";
        if (f.image === "") return "ENOMEM";
        f.mapped = true;
        return undefined;
      }
      if (o.op === "unmap") {
        if (!f.mapped) return "ENOENT";
        if (f.state === "running") return "EBUSY";
        Object.assign(f, { mapped: false, state: "uninitialized", autoclean: false, usedOnce: false, useCount: 0 });
        return undefined;
      }
      if (o.op === "init") {
        if (!f.mapped) return "ENOENT";
        if (f.state !== "uninitialized") return "EBUSY";
        if (f.image === "init=1") return "EBUSY";
        if (f.image === "init=-19") return "ENODEV";
        f.state = "running";
        f.autoclean = f.image === "autoclean";
        return undefined;
      }
      // exit
      if (!f.mapped || f.state === "deleted") return "ENOENT";
      if (f.useCount > 0) return "EBUSY";
      f.state = "deleted";
      return undefined;
    }
  }
}

class FsCommand implements fc.Command<Model, ModFs> {
  constructor(readonly o: Op) {}
  check(m: Readonly<Model>): boolean {
    const f = m.get(this.o.dir)?.files.get("file" in this.o ? this.o.file : "");
    if (this.o.op === "get") return f?.state === "running";
    if (this.o.op === "put") return f !== undefined && f.useCount > 0;
    return true;
  }
  run(m: Model, fs: ModFs): void {
    const o = this.o;
    const expected = predict(m, o);
    let got: string | undefined;
    switch (o.op) {
      case "mkdir":
        got = outcome(() => fs.mkdir(o.dir));
        break;
      case "rmdir":
        got = outcome(() => fs.rmdir(o.dir));
        break;
      case "creat":
        got = outcome(() => {
          using w = fs.creat(`${o.dir}/${o.file}`);
          expect(w.write(utf8.encode(o.image))).toBe(o.image.length);
        });
        break;
      case "unlink":
        got = outcome(() => fs.unlink(`${o.dir}/${o.file}`));
        break;
      case "get": {
        expect(fs.get(`${o.dir}/${o.file}`)).toBe(true);
        const f = m.get(o.dir)!.files.get(o.file)!;
        f.useCount++;
        f.usedOnce = true;
        break;
      }
      case "put":
        fs.put(`${o.dir}/${o.file}`);
        m.get(o.dir)!.files.get(o.file)!.useCount--;
        break;
      default: {
        const opened = outcome(() => {
          using c = fs.open(`${o.dir}/control`, "w");
          const before = fs.commandLog.length;
          const line = `${o.op} ${o.file}`;
          expect(new ModfsControlClient(c)[o.op](o.file)).toBe(line.length); // always the count
          expect(fs.commandLog.length).toBe(before + 1);
          const rec = fs.commandLog.at(-1)!;
          expect(rec).toMatchObject({ dir: o.dir, line, command: o.op, file: o.file, ignored: false });
          got = rec.errno;
        });
        if (opened !== undefined) got = `open:${opened}`;
      }
    }
    expect(got, this.toString()).toBe(expected);
    check(m, fs);
  }
  toString(): string {
    return `${this.o.op}(${[this.o.dir, "file" in this.o ? this.o.file : undefined, "image" in this.o ? JSON.stringify(this.o.image) : undefined].filter((x) => x !== undefined).join(", ")})`;
  }
}

// Weighted so runs reach the interesting states (mapped, running, in use) often: most commands
// act on directory "a", which every run starts with, and the module commands come up most.
const dir = fc.oneof({ weight: 3, arbitrary: fc.constant<string>(DIRS[0]) }, { weight: 1, arbitrary: fc.constant<string>(DIRS[1]) });
const file = fc.constantFrom(...FILES);
const image = fc.oneof({ weight: 3, arbitrary: fc.constantFrom("init=0", "autoclean") }, { weight: 2, arbitrary: fc.constantFrom(...IMAGES) });
const on = (op: "map" | "unmap" | "init" | "exit" | "get" | "put") => fc.tuple(dir, file).map(([d, f]) => new FsCommand({ op, dir: d, file: f }));
const weighted = <T>(n: number, a: T): T[] => Array.from({ length: n }, () => a);
const commands = fc.commands(
  [
    dir.map((d) => new FsCommand({ op: "mkdir", dir: d })),
    dir.map((d) => new FsCommand({ op: "rmdir", dir: d })),
    fc.tuple(dir, fc.constantFrom(...FILES, "control")).map(([d, f]) => new FsCommand({ op: "unlink", dir: d, file: f })),
    ...weighted(3, fc.tuple(dir, file, image).map(([d, f, i]) => new FsCommand({ op: "creat", dir: d, file: f, image: i }))),
    ...weighted(3, on("map")),
    ...weighted(3, on("init")),
    ...weighted(2, on("exit")),
    on("unmap"),
    ...weighted(2, on("get")),
    on("put"),
  ],
  { maxCommands: 80, size: "max" },
);

describe("modfs mock: model-based", () => {
  it("random sequences: every errno as the model predicts, listings and state lines consistent", () => {
    fc.assert(
      fc.property(commands, (cmds) => {
        const fs = new ModFs({ loader: textLoader(), maxFileSize: 1 << 16 });
        fs.mkdir(DIRS[0]);
        const model: Model = new Map([[DIRS[0], { control: true, files: new Map() }]]);
        fc.modelRun(() => ({ model, real: fs }), cmds);
      }),
      { numRuns: 200 },
    );
  });
});
