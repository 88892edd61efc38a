/**
 * Byte-exactness against GCC, for every struct and union in specs/, on the host target:
 * - TS → C: random valid values (fast-check, from the model) are encoded by the generated TS
 *   codec; a C program built from the GENERATED uapi headers (emitted for the same program
 *   into the test's temp dir) reads the bytes through the struct and prints every field; the
 *   fields equal the values.
 * - C → TS: the C program fills a zeroed struct with the same values and prints its bytes;
 *   they equal the TS encoding, and the TS decoder reads the values back.
 * One C program handles every sample of a run through stdin/stdout.
 */
import { beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { execFileSync, spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { hostTarget } from "../../src/targets/targets.js";
import type { RecordModel } from "../../src/model/model.js";
import { arbitraryRecord } from "./ts-arbitraries.js";
import { cProgram, walkValue } from "./ts-c-walk.js";

import { exportName, generateTs, hex, importFamily, namedRecords, shippedProgram, writeCHeaders, type AnyCodec } from "./ts-harness.js";

const HAVE_GCC = spawnSync("gcc", ["--version"], { stdio: "ignore" }).status === 0;
const HOST = hostTarget();
const LITTLE = HOST.endian === "little";
if (!HAVE_GCC) console.warn("SKIPPED: ts-c-compat: gcc is not installed");
if (!LITTLE) console.warn("SKIPPED: ts-c-compat: the C walker assumes a little-endian host");

interface Subject {
  readonly rec: RecordModel;
  readonly codec: AnyCodec;
  readonly index: number;
}

let subjects: Subject[] = [];
let binary = "";

function runC(lines: readonly string[]): string[] {
  const out = execFileSync(binary, { input: lines.join("\n") + "\n", encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
  return out.split("\n").slice(0, lines.length);
}

describe.skipIf(!HAVE_GCC || !LITTLE)("generated TS codecs against GCC (host target)", () => {
  beforeAll(async () => {
    const { program, targets } = shippedProgram();
    const gen = await generateTs(program, targets);
    const c = cProgram(program);
    const src = join(gen.dir, "walk.c");
    writeFileSync(src, c.source);
    const include = writeCHeaders(program, targets);
    binary = join(gen.dir, "walk");
    execFileSync("gcc", ["-std=gnu11", "-O0", "-w", "-I", include, "-o", binary, src]);
    const modules = new Map<string, Record<string, unknown>>();
    for (const { family, rec } of namedRecords(program)) {
      if (!modules.has(family)) modules.set(family, await importFamily(gen, family));
      const codec = modules.get(family)![exportName(rec)] as AnyCodec | undefined;
      if (!codec) throw new Error(`no codec ${exportName(rec)} in ${family}`);
      subjects.push({ rec, codec, index: c.index.get(rec)! });
    }
  });

  it("covers every named struct and union of the shipped specs", () => {
    expect(subjects.length).toBeGreaterThan(20);
    expect(subjects.map((s) => s.rec.name)).toContain("uvirtio_expect");
    expect(subjects.map((s) => s.rec.name)).toContain("gh_vcpu_run");
  });

  it("the host codec's SIZE is GCC's sizeof for every record", () => {
    const lines = subjects.map((s) => `F ${s.index} ${walkValue(s.rec, {}).tokens.map(() => "0").join(" ")}`);
    // An all-zero fill prints sizeof(struct) bytes of hex.
    const out = runC(lines);
    subjects.forEach((s, i) => expect(out[i]!.trim().length / 2, s.rec.name).toBe(s.codec.SIZE));
  });

  it("TS encode → C reads every field; C fills → same bytes, TS decodes the same values", () => {
    const arb = fc.tuple(...subjects.map((s) => arbitraryRecord(s.rec, HOST)));
    fc.assert(
      fc.property(arb, (values) => {
        const lines: string[] = [];
        const walks = subjects.map((s, i) => walkValue(s.rec, values[i]));
        const encoded = subjects.map((s, i) => s.codec.encode(values[i]));
        subjects.forEach((s, i) => {
          lines.push(`P ${s.index} ${hex(encoded[i]!)} ${walks[i]!.arms.join(" ")}`);
          lines.push(`F ${s.index} ${walks[i]!.tokens.join(" ")}`);
        });
        const out = runC(lines);
        subjects.forEach((s, i) => {
          const printed = out[2 * i]!.trim().split(" ");
          expect(printed, `C reading TS bytes of ${s.rec.name}`).toEqual(walks[i]!.leaves);
          const cBytes = out[2 * i + 1]!.trim();
          expect(cBytes, `C bytes vs TS bytes of ${s.rec.name}`).toBe(hex(encoded[i]!));
          const decoded = s.codec.decode(Buffer.from(cBytes, "hex"));
          expect(walkValue(s.rec, decoded, walks[i]!.arms).leaves, `TS decoding C bytes of ${s.rec.name}`).toEqual(walks[i]!.leaves);
        });
      }),
      // No shrinking: a sample holds every record at once, and the failing record is named anyway.
      { numRuns: 40, endOnFailure: true },
    );
  });
});
