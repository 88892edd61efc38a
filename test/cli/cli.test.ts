import { describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execFileSync, spawnSync } from "node:child_process";
import { main, type Io } from "../../src/cli/main.js";
import { cValues } from "../helpers/c-values.js";

const ROOT = join(import.meta.dirname, "../..");

function capture(): Io & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (s) => stdout.push(s), err: (s) => stderr.push(s) };
}

const GOOD = `/// A tiny test family.
family demo = "linux/demo.h";

const DEMO_TYPE = 'Z';

struct demo_args {
  id: u32;
  flags: u32;
  addr: u64;
}

fd demo = "/dev/demo";

ioctl DEMO_SET = write(DEMO_TYPE, 1, demo_args) {
  on demo;
}
`;

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "abigen-cli-"));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, ".."), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

async function run(argv: string[], cwd: string) {
  const io = capture();
  const prev = process.cwd();
  process.chdir(cwd);
  try {
    const status = await main(argv, io);
    return { status, out: io.stdout.join("\n"), err: io.stderr.join("\n") };
  } finally {
    process.chdir(prev);
  }
}

describe("abigen <specs>", () => {
  it("writes generated/json and then --check passes; a spec edit makes --check fail", async () => {
    const dir = project({ "specs/demo.abi": GOOD });
    const first = await run(["specs"], dir);
    expect(first.err).not.toMatch(/error ABI/);
    expect(first.status).toBe(0);
    const json = JSON.parse(readFileSync(join(dir, "generated/json/demo.json"), "utf8"));
    expect(json.family).toBe("demo");
    // The numbers the kernel's own macros give, on the generic and the 3-bit-dir encodings.
    const macro = ["_IOW('Z', 1, struct { unsigned int a; unsigned int b; unsigned long long c; })"];
    const prelude = "#include <linux/ioctl.h>";
    const [x86] = cValues(macro, { prelude });
    const [ppc] = cValues(macro, { prelude, cc: "powerpc-linux-gnu-gcc" });
    expect(Number(json.ioctls[0].numbers.x86_64)).toBe(x86);
    expect(Number(json.ioctls[0].numbers.powerpc)).toBe(ppc);

    expect((await run(["specs", "--check"], dir)).status).toBe(0);

    writeFileSync(join(dir, "specs/demo.abi"), GOOD.replace("flags: u32;", "flags: u32;\n  extra: u64;"));
    const stale = await run(["specs", "--check"], dir);
    expect(stale.status).toBe(1);
    expect(stale.err).toContain("changed: json/demo.json");
  });

  it("a removed family's output is reported stale and deleted on write", async () => {
    const dir = project({ "specs/demo.abi": GOOD, "specs/other.abi": GOOD.replace(/demo/g, "other").replace(/DEMO/g, "OTHER").replace("'Z'", "'Y'") });
    expect((await run(["specs"], dir)).status).toBe(0);
    mkdirSync(join(dir, "old"));
    writeFileSync(join(dir, "old/other.abi"), readFileSync(join(dir, "specs/other.abi")));
    execFileSync("rm", [join(dir, "specs/other.abi")]);
    const stale = await run(["specs", "--check"], dir);
    expect(stale.status).toBe(1);
    expect(stale.err).toContain("no longer generated: json/other.json");
    expect((await run(["specs"], dir)).status).toBe(0);
    expect(existsSync(join(dir, "generated/json/other.json"))).toBe(false);
  });

  it("reports every error with file:line:col, code and hint, exits 1 and writes nothing", async () => {
    const bad = GOOD.replace("flags: u32;", "flags: u8;").replace("addr: u64;", "addr: u64;\n  next: nosuchtype;");
    const dir = project({ "specs/demo.abi": bad });
    const r = await run(["specs"], dir);
    expect(r.status).toBe(1);
    expect(r.err).toMatch(/specs\/demo\.abi:\d+:\d+: error ABI010: .*nosuchtype/);
    expect(r.err).toContain("hint:");
    expect(existsSync(join(dir, "generated"))).toBe(false);
  });

  it("--format json prints the diagnostics as JSON", async () => {
    const dir = project({ "specs/demo.abi": GOOD.replace("flags: u32;", "flags: u8;") });
    const r = await run(["specs", "--format", "json"], dir);
    expect(r.status).toBe(1);
    const out = JSON.parse(r.out);
    expect(out.ok).toBe(false);
    const d = out.diagnostics.find((x: { code: string }) => x.code === "ABI060");
    expect(d).toBeDefined();
    expect(d.file).toBe("specs/demo.abi");
    expect(d.line).toBeGreaterThan(0);
    expect(d.severity).toBe("error");
  });

  it("warnings pass unless --deny-warnings", async () => {
    const warn = GOOD.replace("id: u32;", "id: int;");
    const dir = project({ "specs/demo.abi": warn });
    const r = await run(["specs"], dir);
    expect(r.status).toBe(0);
    expect(r.err).toContain("warning ABI056");
    expect((await run(["specs", "--deny-warnings"], dir)).status).toBe(1);
  });

  it("--target narrows the targets in the outputs", async () => {
    const dir = project({ "specs/demo.abi": GOOD });
    expect((await run(["specs", "--target", "x86_64,m68k"], dir)).status).toBe(0);
    const json = JSON.parse(readFileSync(join(dir, "generated/json/demo.json"), "utf8"));
    expect(json.targets).toEqual(["x86_64", "m68k"]);
    expect(Object.keys(json.records[0].layout)).toEqual(["x86_64", "m68k"]);
  });

  it("usage errors exit 2", async () => {
    const dir = project({ "specs/demo.abi": GOOD });
    expect((await run([], dir)).status).toBe(2);
    expect((await run(["specs", "--target", "vax"], dir)).status).toBe(2);
    expect((await run(["nonexistent/"], dir)).status).toBe(2);
    expect((await run(["specs", "--bogus"], dir)).status).toBe(2);
    expect((await run(["specs", "--format", "xml"], dir)).status).toBe(2);
  });
});

describe("abigen fmt", () => {
  it("--check fails on a non-canonical file, --write fixes it, comments survive", async () => {
    const messy = GOOD.replace("  id: u32;", "      id   :u32 ;   // the id").replace("flags: u32;", "flags:u32;");
    const dir = project({ "specs/demo.abi": messy });
    expect((await run(["fmt", "--check", "specs"], dir)).status).toBe(1);
    expect((await run(["fmt", "--write", "specs"], dir)).status).toBe(0);
    const fixed = readFileSync(join(dir, "specs/demo.abi"), "utf8");
    expect(fixed).toContain("  id: u32; // the id\n");
    expect(fixed).toContain("  flags: u32;\n");
    expect((await run(["fmt", "--check", "specs"], dir)).status).toBe(0);
  });

  it("refuses to format a file with syntax errors", async () => {
    const dir = project({ "specs/demo.abi": GOOD.replace("id: u32;", "id u32;") });
    const r = await run(["fmt", "--write", "specs"], dir);
    expect(r.status).toBe(1);
    expect(r.err).toContain("ABI002");
    expect(readFileSync(join(dir, "specs/demo.abi"), "utf8")).toContain("id u32;");
  });
});

describe("the installed binary", () => {
  it("runs from bin/abigen.mjs", () => {
    const dir = project({ "specs/demo.abi": GOOD });
    const r = spawnSync(process.execPath, [join(ROOT, "bin/abigen.mjs"), "specs"], { cwd: dir, encoding: "utf8" });
    expect(r.stderr).toContain("0 errors");
    expect(r.status).toBe(0);
    expect(existsSync(join(dir, "generated/json/demo.json"))).toBe(true);
  });
});

describe("the abigen command in a pipeline", () => {
  it("stops quietly with status 0 when its reader goes away (`abigen targets | true`)", () => {
    // `true` exits without reading: abigen's writes, after its ~0.5 s start, hit a closed pipe (EPIPE).
    const r = spawnSync("bash", ["-o", "pipefail", "-c", `"${process.execPath}" bin/abigen.mjs targets | true`], { cwd: ROOT, encoding: "utf8" });
    expect(r.stderr).not.toMatch(/EPIPE|Unhandled/);
    expect(r.status).toBe(0);
  });
});
