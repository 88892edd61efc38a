/**
 * Constant expressions: exact bigint arithmetic where every intermediate must fit 64 bits,
 * signed or unsigned (−2⁶³ … 2⁶⁴−1, ABI020); division by zero (ABI021); shifts by a negative
 * count or by 64 or more (ABI022); sizeof/alignof only when every target agrees (ABI023).
 *
 * `~x` is the 64-bit complement unless the context narrows it to a fixed-size type (a typed
 * constant, an enum's base, a field's type): then it is that type's complement.
 */
import type { Expr, FileNode, TypeExpr } from "../syntax/ast.js";
import type { Scalar } from "./model.js";
import { TARGETS } from "../targets/targets.js";
import { sizeAlign } from "../layout/layout.js";
import type { BuildContext, Site } from "./context.js";
import { constOf } from "./consts.js";
import { memberOf } from "./enums.js";
import { resolveType } from "./types.js";
import { SCALARS } from "./scalars.js";

const MIN = -(1n << 63n);
const MAX = (1n << 64n) - 1n;

/** Evaluate `e`; undefined when it has an error (already reported). */
export function evaluate(cx: BuildContext, e: Expr | undefined, site: Site, narrow?: Scalar): bigint | undefined {
  if (!e) return undefined;
  return new Evaluator(cx, site, narrow).eval(e);
}

/** Whether an expression is a character constant ('G', or a constant defined as one). */
export function isCharExpr(cx: BuildContext, e: Expr | undefined, file: FileNode): boolean {
  if (!e) return false;
  if (e.kind === "Char") return true;
  if (e.kind === "Paren") return isCharExpr(cx, e.inner, file);
  if (e.kind === "Name") {
    const sym = cx.symbols.peek(e.name.name, file);
    return sym?.kind === "const" && (constOf(cx, sym, undefined)?.model.isChar ?? false);
  }
  return false;
}

class Evaluator {
  constructor(
    private readonly cx: BuildContext,
    private readonly site: Site,
    private readonly narrow: Scalar | undefined,
  ) {}

  eval(e: Expr): bigint | undefined {
    switch (e.kind) {
      case "Int":
      case "Char":
        return this.check(e.value, e);
      case "Paren":
        return this.eval(e.inner);
      case "Name":
        return this.name(e);
      case "Sizeof":
        return this.sizeof(e.op, e.type, e);
      case "Unary": {
        const v = this.eval(e.operand);
        if (v === undefined) return undefined;
        switch (e.op) {
          case "+": return v;
          case "-": return this.check(-v, e);
          case "!": return v === 0n ? 1n : 0n;
          case "~": return this.check(this.complement(v), e);
        }
        return undefined;
      }
      case "Binary": {
        const l = this.eval(e.left);
        const r = this.eval(e.right);
        if (l === undefined || r === undefined) return undefined;
        return this.binary(e.op, l, r, e);
      }
    }
    return undefined;
  }

  private binary(op: string, l: bigint, r: bigint, e: Expr & { kind: "Binary" }): bigint | undefined {
    switch (op) {
      case "+": return this.check(l + r, e);
      case "-": return this.check(l - r, e);
      case "*": return this.check(l * r, e);
      case "/":
      case "%":
        if (r === 0n) {
          this.cx.report("ABI021", this.site.file, e.span, {
            message: `${op === "/" ? "division" : "modulo"} by zero`,
            hint: "the right operand evaluates to 0; check the constants it uses",
          });
          return undefined;
        }
        // bigint division truncates toward zero, as C does.
        return this.check(op === "/" ? l / r : l % r, e);
      case "<<":
      case ">>":
        if (r < 0n || r >= 64n) {
          this.cx.report("ABI022", this.site.file, e.right.span, {
            message: `shift count ${r} is out of range`,
            hint: "shift by 0 to 63 bits",
          });
          return undefined;
        }
        return this.check(op === "<<" ? l << r : l >> r, e);
      case "&": return this.check(l & r, e);
      case "|": return this.check(l | r, e);
      case "^": return this.check(l ^ r, e);
    }
    return undefined;
  }

  /** ~v in the width of the narrowing type (64 bits by default); negative values: -v-1. */
  private complement(v: bigint): bigint {
    const sc = this.narrow;
    if (v < 0n || sc?.signed) return -v - 1n;
    const bits = sc && typeof sc.size === "number" ? BigInt(sc.size * 8) : 64n;
    return (1n << bits) - 1n - v;
  }

  private check(v: bigint, e: Expr): bigint | undefined {
    if (v < MIN || v > MAX) {
      this.cx.report("ABI020", this.site.file, e.span, {
        message: `constant overflow: ${v} does not fit in 64 bits`,
        hint: "every intermediate value must lie in −2^63 … 2^64−1",
      });
      return undefined;
    }
    return v;
  }

  private name(e: Expr & { kind: "Name" }): bigint | undefined {
    const ident = e.name;
    if (SCALARS.has(ident.name)) {
      this.cx.report("ABI012", this.site.file, ident.span, {
        message: `${ident.name} is a type, but a constant is expected here`,
        hint: `to use its size write sizeof(${ident.name})`,
      });
      return undefined;
    }
    const sym = this.cx.symbols.find(ident, this.site.file, "constant", ["const", "member"]);
    const ref = { file: this.site.file, span: ident.span };
    if (sym?.kind === "const") return constOf(this.cx, sym, ref)?.value;
    if (sym?.kind === "member") return memberOf(this.cx, sym, ref)?.value;
    return undefined;
  }

  private sizeof(op: "sizeof" | "alignof", te: TypeExpr, e: Expr): bigint | undefined {
    const type = resolveType(this.cx, te, { ...this.site, owner: `${this.site.owner}.${op}` });
    if (!type) return undefined;
    const byValue = new Map<number, string[]>();
    for (const t of TARGETS) {
      const sa = sizeAlign(type, t);
      const v = op === "sizeof" ? sa.size : sa.align;
      byValue.set(v, [...(byValue.get(v) ?? []), t.name]);
    }
    if (byValue.size > 1) {
      const parts = [...byValue].map(([v, ts]) => `${v} on ${ts.join(", ")}`);
      this.cx.report("ABI023", this.site.file, e.span, {
        message: `${op} differs between targets: ${parts.join("; ")}`,
        hint: "use a type whose layout is the same everywhere (fixed-size integers, aligned_u64, explicit padding), or write the number",
      });
      return undefined;
    }
    return this.check(BigInt([...byValue.keys()][0]!), e);
  }
}
