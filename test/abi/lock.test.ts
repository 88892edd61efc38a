/**
 * The lock itself: deterministic text, a lossless round trip, the shipped abi.lock matching
 * specs/, and — the real thing — every offset, size and ioctl number it records for specs/
 * asserted by each target's GCC against the generated headers.
 */
import { describe, expect, it } from "vitest";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { compileSpecs } from "../../src/compiler.js";
import { emitCHeaders } from "../../src/emit/c/header.js";
import { buildLock } from "../../src/abi/build-lock.js";
import { lockCommand } from "../../src/abi/commands.js";
import { at, type AbiLock, type LockedType } from "../../src/abi/lock-model.js";
import { parseLock, serializeLock, LockError } from "../../src/abi/serialize.js";
import { TARGETS } from "../../src/targets/targets.js";
import { compile, hasCompiler, skipped, writeTemp } from "../emit/c-harness.js";

const REPO = resolve(import.meta.dirname, "../..");

function specsLock(): { lock: AbiLock; headers: Map<string, string> } {
  const r = compileSpecs([join(REPO, "specs")], { cwd: REPO });
  if (!r.program || r.hasErrors) throw new Error("specs/ does not compile");
  return { lock: buildLock(r.program, r.targets), headers: emitCHeaders(r.program, r.targets) };
}

const { lock, headers } = specsLock();

describe("abi.lock", () => {
  it("is deterministic and round-trips", () => {
    const text = serializeLock(lock);
    expect(serializeLock(specsLock().lock)).toBe(text);
    expect(parseLock(text, "x")).toEqual(JSON.parse(text));
    expect(serializeLock(parseLock(text, "x"))).toBe(text);
    // Named maps are sorted, so moving a declaration in a spec does not touch the lock.
    const names = Object.keys(JSON.parse(text).families.gunyah.ioctls);
    expect(names).toEqual([...names].sort());
  });

  it("records the seed numbers and layouts of gunyah (seed-abis.md §1.2, §1.5)", () => {
    const g = lock.families.gunyah!;
    expect(g.ioctls.GH_VM_SET_USER_MEM_REGION!.numbers.x86_64).toBe("0x40204701");
    expect(g.ioctls.GH_VM_SET_USER_MEM_REGION!.numbers.powerpc).toBe("0x80204701");
    expect(g.ioctls.GH_CREATE_VM!.numbers.x86_64).toBe("0x00004700");
    const run = g.fds.vcpu!.mmap!;
    expect(at(run.size, "x86_64")).toBe(40);
    const mmio = run.fields.find((f) => f.path === "mmio.is_write")!;
    expect(at(mmio.offset, "aarch64")).toBe(36);
  });

  it("rejects what is not a lock of this version", () => {
    expect(() => parseLock("{", "a.lock")).toThrow(LockError);
    expect(() => parseLock(JSON.stringify({ ...lock, version: 99 }), "a.lock")).toThrow(/version 99/);
    expect(() => parseLock("{}", "a.lock")).toThrow(/not an abigen lock/);
  });

  it("the shipped abi.lock matches specs/ (run `abigen lock` after changing the ABI)", async () => {
    const err: string[] = [];
    const rc = await lockCommand(["specs", "--check"], { out: () => {}, err: (s) => err.push(s) }, REPO);
    expect(err.join("\n")).toBe("");
    expect(rc).toBe(0);
  });

  it("lock --check fails on a stale lock, and lock writes a fresh one", async () => {
    const dir = mkdtempSync(join(tmpdir(), "abigen-lock-"));
    const out = join(dir, "abi.lock");
    writeFileSync(out, "{}");
    const io = { out: () => {}, err: () => {} };
    expect(await lockCommand([join(REPO, "specs/uvirtio.abi"), "--out", out, "--check"], io, REPO)).toBe(1);
    expect(await lockCommand([join(REPO, "specs/uvirtio.abi"), "--out", out], io, REPO)).toBe(0);
    expect(await lockCommand([join(REPO, "specs/uvirtio.abi"), "--out", out, "--check"], io, REPO)).toBe(0);
  });
});

/** C asserts of everything the lock says about one target. */
function asserts(l: AbiLock, target: string): string[] {
  const out: string[] = [];
  const check = (expr: string, v: number | undefined, what: string) => out.push(`_Static_assert((${expr}) == ${v}, "${what.replace(/"/g, "")} on ${target}");`);
  const record = (t: LockedType, what: string) => {
    if (t.storage !== "struct" && t.storage !== "union") return;
    const c = `${t.storage} ${t.type}`;
    check(`sizeof(${c})`, at(t.size, target), `sizeof ${what}`);
    check(`_Alignof(${c})`, at(t.align, target), `alignof ${what}`);
    for (const f of t.fields) {
      const p = f.path.replace(/\[\]/g, "[0]");
      check(`offsetof(${c}, ${p})`, at(f.offset, target), `${what}.${f.path}`);
      if (!f.type.endsWith("[]")) check(`sizeof(((${c} *)0)->${p})`, at(f.size, target), `sizeof ${what}.${f.path}`);
    }
  };
  for (const f of Object.values(l.families)) {
    for (const [name, io] of Object.entries(f.ioctls)) {
      out.push(`_Static_assert((${name}) == ${io.numbers[target]}u, "${name} on ${target}");`);
      if (io.arg) record(io.arg, name);
    }
    for (const [name, r] of Object.entries(f.records)) record(r, name);
    for (const [name, d] of Object.entries(f.fds)) if (d.mmap) record(d.mmap, `mmap of ${name}`);
  }
  return out;
}

describe("abi.lock against GCC", () => {
  const present = TARGETS.filter((t) => hasCompiler(t.cc));
  for (const t of TARGETS) if (!present.includes(t)) skipped(`${t.cc} not installed: lock of ${t.name} not checked against GCC`);
  it.skipIf(present.length === 0)(`every offset, size and number in the lock of specs/ is GCC's (${present.length} targets)`, async () => {
    const dir = writeTemp(headers, "abigen-lock-c-");
    const includes = [...headers.keys()].map((p) => `#include <${p.replace(/^c\//, "")}>`);
    const results = await Promise.all(present.map((t) => {
      const file = join(dir, `lock_${t.name}.c`);
      writeFileSync(file, ["#include <stddef.h>", ...includes, ...asserts(lock, t.name), ""].join("\n"));
      return compile(t.cc, ["-std=gnu11", "-fsyntax-only", "-I", join(dir, "c"), file]);
    }));
    const failed = results.filter((r) => !r.ok).map((r) => `${r.cc}:\n${r.output.slice(0, 3000)}`);
    expect(failed).toEqual([]);
    expect(asserts(lock, "x86_64").length).toBeGreaterThan(200);
  });
});
