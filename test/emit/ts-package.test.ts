/**
 * The generated package as a whole: it type-checks under strict settings, imports from another
 * project as `@abigen/generated/<family>`, is formatted with @generated headers and JSDoc that
 * points at the spec line, carries constants and ioctl numbers equal to what C computes, and is
 * deterministic.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { emitTsPackages } from "../../src/emit/ts/index.js";
import { declsOf, type Program } from "../../src/model/model.js";
import { ioctlNumber } from "../../src/layout/ioctl-numbers.js";
import { hostTarget, TARGETS } from "../../src/targets/targets.js";
import { cValues } from "../helpers/c-values.js";
import { generateTs, importFamily, ROOT, shippedProgram, writeCHeaders, type GeneratedTs } from "./ts-harness.js";

const TSC = join(ROOT, "node_modules", ".bin", "tsc");
const TSX = join(ROOT, "node_modules", ".bin", "tsx");
const HAVE_GCC = spawnSync("gcc", ["--version"], { stdio: "ignore" }).status === 0;
if (!HAVE_GCC) console.warn("SKIPPED: ts-package ioctl numbers against C: gcc is not installed");

let full: GeneratedTs;
let pretty: GeneratedTs;
let program: Program;

beforeAll(async () => {
  const shipped = shippedProgram();
  program = shipped.program;
  full = await generateTs(program, shipped.targets);
  // prettier is slow on the whole program: format one family to check the formatted output.
  const uvirtio = { families: program.families.filter((f) => f.name === "uvirtio") };
  pretty = await generateTs(uvirtio, shipped.targets, true);
});

function tsc(project: string): { ok: boolean; output: string } {
  const r = spawnSync(TSC, ["--noEmit", "-p", project], { encoding: "utf8" });
  return { ok: r.status === 0, output: `${r.stdout}${r.stderr}` };
}

describe("package layout", () => {
  it("has package.json with one export per family, the runtime, a root index", () => {
    const pkg = JSON.parse(full.files.get("ts/package.json")!) as { name: string; type: string; exports: Record<string, { types: string; default: string }> };
    expect(pkg.name).toBe("@abigen/generated");
    expect(pkg.type).toBe("module");
    for (const f of program.families) {
      expect(pkg.exports[`./${f.name}`]).toEqual({ types: `./${f.name}/index.ts`, default: `./${f.name}/index.ts` });
      expect(full.files.has(`ts/${f.name}/index.ts`)).toBe(true);
    }
    expect(pkg.exports["./runtime"]!.default).toBe("./runtime/codec.ts");
    expect(full.files.get("ts/runtime/codec.ts")).toContain(readFileSync(join(ROOT, "src/runtime/codec.ts"), "utf8"));
  });

  it("is deterministic", async () => {
    const { program: p, targets } = shippedProgram();
    const again = await emitTsPackages(p, targets, { format: false });
    expect([...again]).toEqual([...full.files]);
  });
});

describe("type checking", () => {
  it("the whole generated package passes tsc --noEmit (strict, exactOptionalPropertyTypes, noUnusedLocals)", () => {
    const r = tsc(join(full.dir, "ts", "tsconfig.json"));
    expect(r.output).toBe("");
    expect(r.ok).toBe(true);
  });

  it("and so does the prettier-formatted output", () => {
    const r = tsc(join(pretty.dir, "ts", "tsconfig.json"));
    expect(r.output).toBe("");
  });

  it("tsc catches a broken generated file (the check can fail)", () => {
    const dir = join(full.dir, "ts");
    const bad = join(dir, "broken.ts");
    writeFileSync(bad, `import { UvirtioSetup } from "./uvirtio/index.js";\nUvirtioSetup.encode({ features: 1 });\n`);
    try {
      expect(tsc(join(dir, "tsconfig.json")).ok).toBe(false);
    } finally {
      writeFileSync(bad, "export {};\n");
    }
  });
});

describe("as a dependency of another project", () => {
  it("imports @abigen/generated/uvirtio under tsx and type-checks with tsc", () => {
    const proj = mkdtempSync(join(tmpdir(), "abigen-ts-consumer-"));
    mkdirSync(join(proj, "node_modules", "@abigen"), { recursive: true });
    symlinkSync(join(full.dir, "ts"), join(proj, "node_modules", "@abigen", "generated"), "dir");
    writeFileSync(join(proj, "package.json"), JSON.stringify({ name: "consumer", type: "module", private: true }));
    writeFileSync(
      join(proj, "main.ts"),
      `import { UvirtioSetup, UV_DEV_CREATE, UVIRTIO_MAX_CONFIG_LEN, UvirtioDevFlags } from "@abigen/generated/uvirtio";
import { isEncodeError } from "@abigen/generated/runtime";
import { uvirtio } from "@abigen/generated";
declare const console: { log(s: string): void };
const bytes: Uint8Array = UvirtioSetup.encode({ features: 1n << 32n, config_addr: 0x1000n, config_len: 16, flags: UvirtioDevFlags.UVIRTIO_DEV_FLAG_STICK, id: 16 });
const back = UvirtioSetup.forTarget("i386").decode(bytes);
let err = "";
try { UvirtioSetup.encode({ ...back, config_len: UVIRTIO_MAX_CONFIG_LEN + 1 }); } catch (e) { if (isEncodeError(e)) err = e.path; }
console.log(JSON.stringify({ size: bytes.length, id: back.id, features: String(back.features), number: UV_DEV_CREATE.number, arg: UV_DEV_CREATE.arg === UvirtioSetup, err, ns: uvirtio.UV_DEV_EXPECT.name }));
`,
    );
    writeFileSync(
      join(proj, "tsconfig.json"),
      JSON.stringify({ compilerOptions: { module: "NodeNext", moduleResolution: "NodeNext", target: "ES2022", lib: ["ES2022"], types: [], strict: true, noEmit: true, skipLibCheck: true }, files: ["main.ts"] }),
    );
    const out = execFileSync(TSX, ["main.ts"], { cwd: proj, encoding: "utf8" });
    const r = JSON.parse(out) as Record<string, unknown>;
    const host = hostTarget();
    const io = declsOf(program.families.find((f) => f.name === "uvirtio")!, "ioctl").find((i) => i.name === "UV_DEV_CREATE")!;
    expect(r).toEqual({ size: 24, id: 16, features: String(1n << 32n), number: ioctlNumber(io, host), arg: true, err: "config_len", ns: "UV_DEV_EXPECT" });
    const check = tsc(join(proj, "tsconfig.json"));
    expect(check.output).toBe("");
  });
});

describe("text", () => {
  it("every file starts with an @generated header naming its spec", () => {
    for (const f of program.families) {
      const text = full.files.get(`ts/${f.name}/index.ts`)!;
      expect(text.startsWith(`// @generated by abigen from ${f.loc.source.name} `)).toBe(true);
    }
  });

  it("each declaration's JSDoc @see points at the line that declares it", () => {
    const text = pretty.files.get("ts/uvirtio/index.ts")!;
    const spec = readFileSync(join(ROOT, "specs", "uvirtio.abi"), "utf8").split("\n");
    const sees = [...text.matchAll(/@see specs\/uvirtio\.abi:(\d+)\s*\n(?:\s*\*\/\n)\s*export (?:const|interface|type) (\w+)/g)];
    expect(sees.length).toBeGreaterThan(8);
    // UvirtioSetup → uvirtio_setup; an inline record UvirtioBlock_Rules is declared as its field `rules`.
    const cName = (ts: string): string => ts.split("_").pop()!.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase();
    for (const [, line, name] of sees) {
      const src = spec[Number(line) - 1]!;
      expect(src.includes(name!) || src.includes(cName(name!)), `${name} → line ${line}: ${src}`).toBe(true);
    }
    expect(text).toContain("Returned verbatim by get_features");
  });

  it("is formatted by prettier", async () => {
    const prettier = await import("prettier");
    const text = pretty.files.get("ts/uvirtio/index.ts")!;
    expect(await prettier.check(text, { parser: "typescript", printWidth: 110 })).toBe(true);
  });
});

describe("constants, enums and ioctls", () => {
  it("constants keep the spec's values; bigint for 64-bit typed ones and beyond 2^53", async () => {
    for (const f of program.families) {
      const mod = await importFamily(full, f.name);
      for (const c of declsOf(f, "const")) {
        const v = mod[c.name];
        const big = (c.type && (c.type.size === 8 || c.type.size === "long" || c.type.size === "ptr")) || c.value > BigInt(Number.MAX_SAFE_INTEGER);
        expect(typeof v, c.name).toBe(big ? "bigint" : "number");
        expect(BigInt(v as number | bigint), c.name).toBe(c.value);
      }
    }
  });

  it("enums and flags: const objects, member constants, flags helpers", async () => {
    const uv = await importFamily(full, "uvirtio");
    expect(uv.UvirtioDevFlags).toEqual({ UVIRTIO_DEV_FLAG_STICK: 1 });
    expect(uv.UVIRTIO_DEV_FLAG_STICK).toBe(0);
    const ops = uv.UvirtioDevFlagsOps as { has(v: number, m: number): boolean; set(v: number, m: number): number; clear(v: number, m: number): number; unknown(v: number): number; known: number };
    expect(ops.known).toBe(1);
    expect(ops.has(ops.set(0, 1), 1)).toBe(true);
    expect(ops.clear(1, 1)).toBe(0);
    expect(ops.unknown(6)).toBe(6);
    const gh = await importFamily(full, "gunyah");
    expect(gh.GhVmStatus).toEqual({ GH_VM_STATUS_LOAD_FAILED: 1, GH_VM_STATUS_EXITED: 2, GH_VM_STATUS_CRASHED: 3 });
  });

  it("ioctl descriptors carry every target's number and size from the layout module", async () => {
    for (const f of program.families) {
      const mod = await importFamily(full, f.name);
      for (const io of declsOf(f, "ioctl")) {
        const d = mod[io.name] as { numbers: Record<string, number>; number: number; dir: string; nr: number; type: number };
        for (const t of TARGETS) expect(d.numbers[t.name], `${io.name} on ${t.name}`).toBe(ioctlNumber(io, t));
        expect(d.number).toBe(ioctlNumber(io, hostTarget()));
        expect([d.dir, d.nr, d.type]).toEqual([io.dir, io.nr, io.magic]);
      }
    }
  });

  it.skipIf(!HAVE_GCC)("host numbers of ioctls with struct arguments equal the kernel's _IOC macros in C", async () => {
    // The struct sizes come from the generated uapi headers, the numbers from the kernel's macros.
    const include = writeCHeaders(program, shippedProgram().targets);
    const prelude = `#include <linux/ioctl.h>\n${program.families.map((f) => `#include <${f.header}>`).join("\n")}`;
    const cases: { expr: string; got: number; name: string }[] = [];
    for (const f of program.families) {
      const mod = await importFamily(full, f.name);
      for (const io of declsOf(f, "ioctl")) {
        if (io.legacy || !io.arg || io.arg.kind !== "record" || io.arg.decl.anonymous) continue;
        const macro = { none: "_IO", read: "_IOR", write: "_IOW", readwrite: "_IOWR" }[io.dir];
        const args = io.dir === "none" ? `${io.magic}, ${io.nr}` : `${io.magic}, ${io.nr}, ${io.arg.decl.record} ${io.arg.decl.name}`;
        cases.push({ expr: `${macro}(${args})`, got: (mod[io.name] as { number: number }).number, name: io.name });
      }
    }
    expect(cases.length).toBeGreaterThan(5);
    const want = cValues(cases.map((c) => c.expr), { prelude, args: ["-I", include] });
    cases.forEach((c, i) => expect(c.got, c.name).toBe(want[i]));
  });
});
