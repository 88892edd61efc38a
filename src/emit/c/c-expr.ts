/**
 * A spec expression printed as C, so a header says `UIO_MSI_BASE + 1` rather than `135`.
 *
 * abigen evaluates exactly (arbitrary precision); C evaluates in `int` or `unsigned int`. The
 * written form is used only when C provably computes the same value: every intermediate fits
 * `int` (and is non-negative once a name, suffix or sizeof could make the arithmetic unsigned),
 * shift counts are below 31, and there is no `~` (whose C result depends on the width). Anything
 * else becomes the evaluated value as a typed literal (c-int.ts) — correct before pretty.
 *
 * Binary operands of the bitwise and shift operators get parentheses when they use another
 * operator: same meaning, and GCC's -Wparentheses stays quiet wherever the macro is expanded.
 */
import type { BinaryExpr, Expr, TypeExpr } from "../../syntax/ast.js";
import { INT_MAX, INT_MIN, cIntLiteral, isCompound } from "./c-int.js";

export interface CExprEnv {
  /** The exact value of a named constant or enum member. */
  valueOf(name: string): bigint | undefined;
  /** `sizeof(T)` as C and its value (the same on every target: ABI023 guarantees it). */
  sizeofType(type: TypeExpr): { readonly c: string; readonly size: bigint } | undefined;
}

interface Printed {
  readonly text: string;
  readonly value: bigint;
}

class NotPrintable extends Error {}

const BITWISE = new Set(["<<", ">>", "&", "^", "|"]);

/** C's binary operator precedence (higher binds tighter); the language uses the same. */
const PRECEDENCE: Record<BinaryExpr["op"], number> = {
  "|": 1, "^": 2, "&": 3, "<<": 4, ">>": 4, "+": 5, "-": 5, "*": 6, "/": 6, "%": 6,
};

/** Integer literal text as C: `_` separators dropped, 0b/0o rewritten (C90 has neither). */
export function cIntRaw(raw: string, value: bigint): string {
  const m = /^(.*?)([uUlL]*)$/.exec(raw.replace(/_/g, ""));
  const body = m?.[1] ?? "";
  const suffix = m?.[2] ?? "";
  if (/^0[xX][0-9a-fA-F]+$/.test(body) || /^[1-9][0-9]*$/.test(body) || /^0[0-7]*$/.test(body)) return body + suffix;
  if (/^0[oO][0-7]+$/.test(body)) return (value === 0n ? "0" : "0" + value.toString(8)) + suffix;
  if (/^0[bB][01]+$/.test(body)) return "0x" + value.toString(16) + suffix;
  return cIntLiteral(value);
}

/** A character literal as C, when C gives it the same value (plain char may be signed). */
function cChar(raw: string, value: bigint): string {
  if (value >= 0x80n) return "0x" + value.toString(16);
  if (raw.startsWith("'") && raw.endsWith("'") && raw.length >= 3) return raw;
  const c = Number(value);
  if (c >= 0x20 && c < 0x7f && c !== 0x27 && c !== 0x5c) return `'${String.fromCharCode(c)}'`;
  return "0x" + value.toString(16);
}

function usesUnsigned(e: Expr): boolean {
  switch (e.kind) {
    case "Int": return /[uUlL]$/.test(e.raw);
    case "Char": return false;
    case "Name": return true;
    case "Sizeof": return true;
    case "Unary": return usesUnsigned(e.operand);
    case "Paren": return usesUnsigned(e.inner);
    case "Binary": return usesUnsigned(e.left) || usesUnsigned(e.right);
  }
}

/** Whether the source wrote the expression in hex or with bit operations (print values in hex). */
export function prefersHex(e: Expr | undefined): boolean {
  if (!e) return false;
  switch (e.kind) {
    case "Int": return /^0[xXbB]/.test(e.raw);
    case "Char": case "Name": case "Sizeof": return false;
    case "Unary": return e.op === "~" || prefersHex(e.operand);
    case "Paren": return prefersHex(e.inner);
    case "Binary": return BITWISE.has(e.op) || prefersHex(e.left) || prefersHex(e.right);
  }
}

function binaryValue(e: BinaryExpr, l: bigint, r: bigint): bigint {
  switch (e.op) {
    case "+": return l + r;
    case "-": return l - r;
    case "*": return l * r;
    case "/": case "%":
      if (r === 0n) throw new NotPrintable();
      return e.op === "/" ? l / r : l % r; // BigInt truncates toward zero, as C does
    case "<<": case ">>":
      if (r < 0n || r >= 31n || l < 0n) throw new NotPrintable();
      return e.op === "<<" ? l << r : l >> r;
    case "&": return l & r;
    case "^": return l ^ r;
    case "|": return l | r;
  }
}

function print(e: Expr, env: CExprEnv, min: bigint): Printed {
  const check = (p: Printed): Printed => {
    if (p.value < min || p.value > INT_MAX) throw new NotPrintable();
    return p;
  };
  switch (e.kind) {
    case "Int": return check({ text: cIntRaw(e.raw, e.value), value: e.value });
    case "Char": return check({ text: cChar(e.raw, e.value), value: e.value });
    case "Name": {
      const v = env.valueOf(e.name.name);
      if (v === undefined) throw new NotPrintable();
      return check({ text: e.name.name, value: v });
    }
    case "Sizeof": {
      if (e.op !== "sizeof") throw new NotPrintable(); // C's alignof answers differ from the ABI's on i386
      const s = env.sizeofType(e.type);
      if (!s) throw new NotPrintable();
      return check({ text: `sizeof(${s.c})`, value: s.size });
    }
    case "Paren": {
      const inner = print(e.inner, env, min);
      return { text: `(${inner.text})`, value: inner.value };
    }
    case "Unary": {
      if (e.op === "~") throw new NotPrintable();
      const o = print(e.operand, env, min);
      const value = e.op === "-" ? -o.value : e.op === "+" ? o.value : o.value === 0n ? 1n : 0n;
      const text = e.operand.kind === "Binary" ? `(${o.text})` : o.text;
      // `- -1` must not become the decrement operator.
      const sep = (e.op === "-" || e.op === "+") && text.startsWith(e.op) ? " " : "";
      return check({ text: `${e.op}${sep}${text}`, value });
    }
    case "Binary": {
      const l = print(e.left, env, min);
      const r = print(e.right, env, min);
      const side = (x: Expr, p: Printed, right: boolean): string => {
        if (x.kind !== "Binary") return p.text;
        // The tree decides the grouping; parentheses make C read it the same way (operators
        // are left-associative, so an equal-precedence right operand needs them too).
        const needed = PRECEDENCE[x.op] < PRECEDENCE[e.op] || (right && PRECEDENCE[x.op] === PRECEDENCE[e.op]);
        const quiet = BITWISE.has(e.op) && x.op !== e.op;
        return needed || quiet ? `(${p.text})` : p.text;
      };
      const text = `${side(e.left, l, false)} ${e.op} ${side(e.right, r, true)}`;
      return check({ text, value: binaryValue(e, l.value, r.value) });
    }
  }
}

/**
 * The C text for an expression whose exact value is `value`: as written when C computes the
 * same, else the value as a literal. Bare: fine inside brackets, macro arguments and enum
 * values; a #define wants cDefineValue.
 */
export function cExpr(expr: Expr | undefined, value: bigint, env: CExprEnv): string {
  if (expr) {
    try {
      const p = print(expr, env, usesUnsigned(expr) ? 0n : INT_MIN);
      if (p.value === value) return p.text;
    } catch (err) {
      if (!(err instanceof NotPrintable)) throw err;
    }
  }
  return cIntLiteral(value, prefersHex(expr));
}

/** cExpr for the body of a #define: parenthesised when it is more than one token. */
export function cDefineValue(expr: Expr | undefined, value: bigint, env: CExprEnv): string {
  const text = cExpr(expr, value, env);
  return isCompound(text) && !isParenthesised(text) ? `(${text})` : text;
}

/** True when the whole text is one parenthesised group (`(a) + (b)` is not). */
function isParenthesised(text: string): boolean {
  if (!text.startsWith("(") || !text.endsWith(")")) return false;
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === "(") depth++;
    else if (text[i] === ")" && --depth === 0 && i < text.length - 1) return false;
  }
  return true;
}
