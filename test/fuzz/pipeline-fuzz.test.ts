/**
 * The compiler never crashes and never hangs: mutations of the shipped specs (token deletions,
 * duplicated lines, numbers swapped for extreme values, names swapped, random characters) each
 * end in a program or in diagnostics — through parsing, model building, every check rule and the
 * JSON emitter.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { compileWithHost, type SpecHost } from "../../src/compiler.js";
import { emitJson } from "../../src/emit/json.js";

const SPECS = resolve(import.meta.dirname, "../../specs");
const files = new Map(
  readdirSync(SPECS)
    .filter((f) => f.endsWith(".abi"))
    .map((f) => [join(SPECS, f), readFileSync(join(SPECS, f), "utf8")] as const),
);
const paths = [...files.keys()];

const EXTREMES = ["0", "-1", "255", "256", "0x7fffffffffffffff", "0xffffffffffffffff", "0x10000000000000000", "99999999999999999999999", "(1 << 63)", "(1 << 64)", "(0 / 0)", "-0x8000000000000000"];
const TOKENS = ["{", "}", ";", ":", "[", "]", "(", ")", "@", "=", ",", "->", "struct", "union", "u64", "char", "int", "ptr", "@packed", "@aligned(3)", "@padding", "@reserved", "@ptr(len = nope)", "@range(5, 1)", "@fd(none = -1)", "@allow(ABI060)", "sizeof(long)", "[]", "[0]", "'G'", "\"x\"", "///", "/*", "//", "\n"];

type Mutation = (text: string) => string;

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  // delete a slice
  fc.tuple(fc.nat(), fc.integer({ min: 1, max: 40 })).map(([at, n]) => (t: string) => {
    const i = at % Math.max(1, t.length);
    return t.slice(0, i) + t.slice(i + n);
  }),
  // duplicate a line (duplicate names, duplicate fields, duplicate ioctls)
  fc.nat().map((at) => (t: string) => {
    const lines = t.split("\n");
    const i = at % lines.length;
    lines.splice(i, 0, lines[i]!);
    return lines.join("\n");
  }),
  // replace a number with an extreme value
  fc.tuple(fc.nat(), fc.constantFrom(...EXTREMES)).map(([at, v]) => (t: string) => {
    const nums = [...t.matchAll(/\b(0x[0-9a-fA-F]+|\d+)\b/g)];
    if (nums.length === 0) return t;
    const m = nums[at % nums.length]!;
    return t.slice(0, m.index) + v + t.slice(m.index! + m[0].length);
  }),
  // replace one name by another name of the file (wrong kinds, recursion, unknown names)
  fc.tuple(fc.nat(), fc.nat()).map(([a, b]) => (t: string) => {
    const names = [...t.matchAll(/\b[A-Za-z_][A-Za-z0-9_]*\b/g)];
    if (names.length < 2) return t;
    const m = names[a % names.length]!;
    const r = names[b % names.length]![0];
    return t.slice(0, m.index) + r + t.slice(m.index! + m[0].length);
  }),
  // insert a token or random text
  fc.tuple(fc.nat(), fc.oneof(fc.constantFrom(...TOKENS), fc.string({ maxLength: 8 }))).map(([at, s]) => (t: string) => {
    const i = at % Math.max(1, t.length);
    return t.slice(0, i) + " " + s + " " + t.slice(i);
  }),
);

function host(override: string, text: string): SpecHost {
  return {
    read: (abs) => (abs === override ? text : files.get(abs)),
    display: (abs) => abs.slice(SPECS.length + 1),
  };
}

describe("compiler robustness", () => {
  it("every mutation of every shipped spec ends in a program or in diagnostics", () => {
    fc.assert(
      fc.property(fc.constantFrom(...paths), fc.array(mutation, { minLength: 1, maxLength: 4 }), (path, muts) => {
        const text = muts.reduce((t, m) => m(t), files.get(path)!);
        const started = performance.now();
        const result = compileWithHost([path], host(path, text));
        if (result.program && !result.hasErrors) emitJson(result.program, result.targets);
        expect(performance.now() - started).toBeLessThan(2000);
        // Errors always come with a location inside a spec file, a message and a code.
        for (const d of result.diagnostics) {
          expect(d.message.length).toBeGreaterThan(0);
          if (d.severity === "error") expect(d.loc).toBeDefined();
        }
        expect(result.program !== undefined || result.hasErrors).toBe(true);
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 400) },
    );
  });
});
