/**
 * The generated text-protocol module (src/emit/ts/text-protocol.ts → generated/ts/<family>/
 * commands.ts): the shipped modfs one (line formats, parameter and @max_len checks, one write
 * per command) and the emitter on specs with what modfs does not have — several text protocols,
 * reserved words as command names, several parameters, no @max_len.
 */
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import * as modfs from "../../generated/ts/modfs/commands.js";
import { isEncodeError } from "../../generated/ts/runtime/codec.js";
import { compileWithHost } from "../../src/compiler.js";
import { emitTsPackages } from "../../src/emit/ts/index.js";
import { textProtocolModule } from "../../src/emit/ts/text-protocol.js";
import { writeFiles } from "../emit/ts-harness.js";

/** Records every write, returning its count like a file would. */
class Sink {
  readonly writes: string[] = [];
  write(bytes: Uint8Array): number {
    this.writes.push(new TextDecoder().decode(bytes));
    return bytes.length;
  }
}

/** The EncodeError `fn` throws. Modules emitted into a temp dir carry their own runtime copy: compare by name there. */
function encodeError(fn: () => unknown, sameRuntime = true): { path: string; message: string } {
  try {
    fn();
  } catch (e) {
    if (sameRuntime) expect(isEncodeError(e)).toBe(true);
    else expect((e as Error).name).toBe("EncodeError");
    return e as { path: string; message: string };
  }
  throw new Error("expected an EncodeError");
}

describe("generated modfs commands", () => {
  it("format each command as \"<cmd> <file>\", no terminator", () => {
    expect(modfs.map("snd")).toBe("map snd");
    expect(modfs.unmap("snd")).toBe("unmap snd");
    expect(modfs.init("snd")).toBe("init snd");
    expect(modfs.exit("snd")).toBe("exit snd");
    expect(modfs.MODFS_CONTROL_MAX_LEN).toBe(4096);
  });

  it("the client writes one line per command and returns the write's count", () => {
    const sink = new Sink();
    const c = new modfs.ModfsControlClient(sink);
    expect(c.map("a")).toBe(5);
    expect(c.init("a")).toBe(6);
    expect(c.exit("ü")).toBe(7); // bytes, not characters
    expect(sink.writes).toEqual(["map a", "init a", "exit ü"]);
  });

  it("a parameter must be one non-empty word: empty, whitespace, NUL or a non-string is an EncodeError naming it", () => {
    for (const bad of ["", "a b", "a\nb", "a\tb", "a\0b"]) expect(encodeError(() => modfs.map(bad)).path).toBe("file");
    expect(encodeError(() => modfs.map(42 as unknown as string)).message).toMatch(/expected a string/);
    const sink = new Sink();
    expect(() => new modfs.ModfsControlClient(sink).map("a b")).toThrow();
    expect(sink.writes).toEqual([]); // nothing half-written
  });

  it("@max_len counts UTF-8 bytes of the whole line: 4096 passes, 4097 does not", () => {
    const fits = "x".repeat(4096 - "map ".length);
    expect(modfs.map(fits).length).toBe(4096);
    expect(encodeError(() => modfs.map(fits + "x")).message).toMatch(/4097 bytes, longer than 4096/);
    const wide = "é".repeat((4096 - "map ".length) / 2); // 2 bytes each
    expect(modfs.map(wide)).toHaveLength(4 + wide.length);
    expect(() => modfs.map(wide + "e")).toThrow(/longer than 4096/);
  });
});

const TWO_PROTOCOLS = `
family cmds = "linux/cmds.h";
/// First.
protocol ctl = text @max_len(16) {
  command delete(name);
  command set(key, value) { error EINVAL "bad key"; }
}
protocol other_ctl = text {
  command new(a);
}
`;

const ONE_PROTOCOL = `
family one = "linux/one.h";
protocol ctl = text {
  command delete(name);
  command constructor(x);
}
`;

function compile(text: string, file: string) {
  const r = compileWithHost([`/mem/${file}`], { read: (p) => (p === `/mem/${file}` ? text : undefined), display: (p) => p.slice(5) });
  expect(r.diagnostics.filter((d) => d.severity === "error").map((d) => d.message)).toEqual([]);
  return r;
}

describe("text-protocol emitter", () => {
  it("with several text protocols, functions carry the protocol's name; classes and methods work; the output parses (prettier) and runs", async () => {
    const r = compile(TWO_PROTOCOLS, "cmds.abi");
    const files = await emitTsPackages(r.program!, r.targets, { format: true });
    expect(files.has("ts/cmds/commands.ts")).toBe(true);
    expect(files.get("ts/package.json")).toContain('"./cmds/commands"');
    const dir = writeFiles(files, "abigen-text-");
    const mod = (await import(pathToFileURL(join(dir, "ts", "cmds", "commands.ts")).href)) as Record<string, any>;
    expect(mod.ctlDelete("x")).toBe("delete x");
    expect(mod.ctlSet("k", "v")).toBe("set k v");
    expect(mod.otherCtlNew("q")).toBe("new q");
    expect(mod.CTL_MAX_LEN).toBe(16);
    expect(() => mod.ctlSet("k", "v".repeat(12))).toThrow(/longer than 16/);
    expect(mod.otherCtlNew("q".repeat(10_000))).toHaveLength(10_004); // no @max_len: no limit
    expect(encodeError(() => mod.ctlSet("k", ""), false).path).toBe("value");
    const sink = new Sink();
    const client = new mod.CtlClient(sink);
    client.delete("x");
    client.set("a", "b");
    new mod.OtherCtlClient(sink).new("z");
    expect(sink.writes).toEqual(["delete x", "set a b", "new z"]);
  });

  it("a lone protocol: bare names, reserved words get a suffix; a 'constructor' method is renamed", async () => {
    const r = compile(ONE_PROTOCOL, "one.abi");
    const text = textProtocolModule(r.program!.families[0]!)!;
    expect(text).toContain("export function deleteCommand(name: string)");
    const files = await emitTsPackages(r.program!, r.targets, { format: true });
    const dir = writeFiles(files, "abigen-text-");
    const mod = (await import(pathToFileURL(join(dir, "ts", "one", "commands.ts")).href)) as Record<string, any>;
    expect(mod.deleteCommand("n")).toBe("delete n");
    expect(mod["constructor"]("n")).toBe("constructor n"); // a plain identifier as a function
    const sink = new Sink();
    const client = new mod.CtlClient(sink);
    client.delete("n");
    client.constructor_("m");
    expect(sink.writes).toEqual(["delete n", "constructor m"]);
  });

  it("families without text protocols get no commands module", () => {
    const r = compile(`family none = "linux/none.h";\nconst X = 1;\n`, "none.abi");
    expect(textProtocolModule(r.program!.families[0]!)).toBeUndefined();
  });
});
