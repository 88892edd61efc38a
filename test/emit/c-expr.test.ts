/**
 * Expressions printed as C keep their value: random spec expressions are evaluated exactly here
 * (the language's semantics: arbitrary precision, every intermediate within 64 bits), printed by
 * cDefineValue, and GCC checks `(printed) == exact value` for all of them in one compile.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { cDefineValue, cExpr, cIntRaw, type CExprEnv } from "../../src/emit/c/c-expr.js";
import type { BinaryOp, Expr } from "../../src/syntax/ast.js";
import { bin, chr, cpl, int, neg, ref } from "./c-fixture.js";
import { compile, hasCompiler, skipped, writeTemp } from "./c-harness.js";

const NAMES: Record<string, bigint> = { NA: 5n, NB: 0x10n, NC: 255n, NZ: 0n };
const env: CExprEnv = { valueOf: (n) => NAMES[n], sizeofType: () => undefined };

const MIN = -(2n ** 63n);
const MAX = 2n ** 64n - 1n;

class Invalid extends Error {}

/** The language's exact evaluation (docs/language.md), independent of the emitter. */
function evaluate(e: Expr): bigint {
  const fit = (v: bigint): bigint => {
    if (v < MIN || v > MAX) throw new Invalid();
    return v;
  };
  switch (e.kind) {
    case "Int": case "Char": return e.value;
    case "Name": return NAMES[e.name.name]!;
    case "Paren": return evaluate(e.inner);
    case "Sizeof": throw new Invalid();
    case "Unary": {
      const v = evaluate(e.operand);
      if (e.op === "~") {
        if (v < 0n) throw new Invalid();
        return fit(MAX - v);
      }
      return fit(e.op === "-" ? -v : e.op === "+" ? v : v === 0n ? 1n : 0n);
    }
    case "Binary": {
      const l = evaluate(e.left);
      const r = evaluate(e.right);
      switch (e.op) {
        case "+": return fit(l + r);
        case "-": return fit(l - r);
        case "*": return fit(l * r);
        case "/": if (r === 0n) throw new Invalid(); return fit(l / r);
        case "%": if (r === 0n) throw new Invalid(); return fit(l % r);
        case "<<": if (r < 0n || r >= 64n) throw new Invalid(); return fit(l << r);
        case ">>": if (r < 0n || r >= 64n) throw new Invalid(); return fit(l >> r);
        case "&": return fit(l & r);
        case "^": return fit(l ^ r);
        case "|": return fit(l | r);
      }
    }
  }
}

const leaf: fc.Arbitrary<Expr> = fc.oneof(
  fc.integer({ min: 0, max: 70 }).map((n) => int(String(n))),
  fc.integer({ min: 0, max: 0xffff }).map((n) => int("0x" + n.toString(16))),
  fc.integer({ min: 1, max: 0o777 }).map((n) => int("0o" + n.toString(8), BigInt(n))),
  fc.integer({ min: 1, max: 255 }).map((n) => int("0b" + n.toString(2), BigInt(n))),
  fc.integer({ min: 1, max: 9999 }).map((n) => int(`${n}u`, BigInt(n))),
  fc.bigInt({ min: 0n, max: MAX }).map((n) => int("0x" + n.toString(16))),
  fc.constantFrom("A", "z", "0").map(chr),
  fc.constantFrom(...Object.keys(NAMES)).map(ref),
);
const OPS: BinaryOp[] = ["*", "/", "%", "+", "-", "<<", ">>", "&", "^", "|"];
const { expr } = fc.letrec<{ expr: Expr }>((tie) => ({
  expr: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    leaf,
    fc.tuple(fc.constantFrom(...OPS), tie("expr"), tie("expr")).map(([op, l, r]) => bin(op, l, r)),
    tie("expr").map(neg),
    tie("expr").map(cpl),
    tie("expr").map((inner): Expr => ({ kind: "Paren", inner, span: { start: 0, end: 0 } })),
  ),
}));

/** The exact value as a C literal that compares equal only to that value (test's own spelling). */
function exactLiteral(v: bigint): string {
  if (v >= 0n) return `0x${v.toString(16)}ULL`;
  if (v === MIN) return "(-0x7fffffffffffffffLL - 1)";
  return `(-0x${(-v).toString(16)}LL)`;
}

describe("cExpr", () => {
  it("rewrites literals C90 cannot read", () => {
    expect(cIntRaw("0b1010", 10n)).toBe("0xa");
    expect(cIntRaw("0o17", 15n)).toBe("017");
    expect(cIntRaw("0x1_0000", 0x10000n)).toBe("0x10000");
    expect(cIntRaw("8u", 8n)).toBe("8u");
  });

  it("keeps the written form when C agrees and falls back when it would not", () => {
    expect(cDefineValue(bin("+", ref("NA"), int("1")), 6n, env)).toBe("(NA + 1)");
    expect(cExpr(bin("+", ref("NA"), int("1")), 6n, env)).toBe("NA + 1");
    expect(cDefineValue(bin("<<", int("1"), int("40")), 1n << 40n, env)).toBe("0x10000000000ULL");
    expect(cDefineValue(cpl(int("0")), 0xffffffffn, env)).toBe("0xffffffffU"); // typed u32 context
    expect(cDefineValue(neg(neg(int("1"))), 1n, env)).toBe("(- -1)");
    expect(cDefineValue(bin("-", ref("NZ"), int("1")), -1n, env)).toBe("(-1)"); // names may be unsigned in C
    expect(cDefineValue(chr("A"), 65n, env)).toBe("'A'");
    expect(cDefineValue(bin("|", bin("&", int("6"), int("3")), int("8")), 10n, env)).toBe("((6 & 3) | 8)");
  });

  const gcc = hasCompiler("gcc");
  if (!gcc) skipped("gcc not installed: printed expressions not checked by C");
  // More or other cases on demand: ABIGEN_EXPR_CASES=20000 ABIGEN_EXPR_SEED=7 npx vitest run …
  const count = Number(process.env.ABIGEN_EXPR_CASES ?? 400);
  const seed = Number(process.env.ABIGEN_EXPR_SEED ?? 20261121);
  it.skipIf(!gcc)(`random expressions keep their exact value in C (gcc checks ${count} of them)`, async () => {
    const cases: Array<{ text: string; value: bigint }> = [];
    for (const e of fc.sample(expr, { numRuns: count * 10, seed })) {
      if (cases.length === count) break;
      let value: bigint;
      try {
        value = evaluate(e);
      } catch (err) {
        if (err instanceof Invalid) continue;
        throw err;
      }
      cases.push({ text: cDefineValue(e, value, env), value });
    }
    expect(cases.length).toBe(count);
    // Both paths must be exercised: some printed as written, some as literals.
    expect(cases.filter((c) => /[A-Z]{2}|<<|\+/.test(c.text)).length).toBeGreaterThan(count / 8);
    expect(cases.filter((c) => /ULL|U$/.test(c.text)).length).toBeGreaterThan(count / 20);
    const src = [
      ...Object.entries(NAMES).map(([n, v]) => `#define ${n} ${v}`),
      ...cases.map((c, i) => `_Static_assert(${c.text} == ${exactLiteral(c.value)}, "case ${i}");`),
    ].join("\n") + "\n";
    const dir = writeTemp(new Map());
    const file = join(dir, "exprs.c");
    writeFileSync(file, src);
    const r = await compile("gcc", ["-std=c11", "-Wall", "-Wextra", "-Werror", "-Wno-sign-compare", "-fsyntax-only", file]);
    expect(r.output).toBe("");
    expect(r.ok).toBe(true);
  });
});
