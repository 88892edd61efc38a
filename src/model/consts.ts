/** `const NAME[: T] = expr;` → ConstModel, with the declared type's range checked (ABI020). */
import type { ConstModel, Scalar } from "./model.js";
import type { BuildContext, Ref } from "./context.js";
import { fmtRange, integerScalar, portableRange } from "./context.js";
import type { Sym } from "./resolve.js";
import { checkAttributes, declSite } from "./attributes.js";
import { evaluate, isCharExpr } from "./consteval.js";
import { resolveType } from "./types.js";

export interface ConstResult {
  readonly model: ConstModel;
  /** undefined when the value has an error (already reported); model.value is then 0. */
  readonly value: bigint | undefined;
}

export function constOf(cx: BuildContext, sym: Extract<Sym, { kind: "const" }>, ref: Ref | undefined): ConstResult | undefined {
  return cx.memo(sym.decl, sym.name, "constant", ref, () => buildConst(cx, sym));
}

function buildConst(cx: BuildContext, sym: Extract<Sym, { kind: "const" }>): ConstResult {
  const { decl, file } = sym;
  checkAttributes(cx, file, decl.attrs, "const");
  const site = declSite(cx, file, decl);
  const { family, allow } = site;
  let type: Scalar | undefined;
  if (decl.type) {
    const t = resolveType(cx, decl.type, site);
    if (t) {
      type = integerScalar(t);
      if (!type) {
        cx.report("ABI012", file, decl.type.span, {
          message: `the type of constant ${sym.name} must be an integer type`,
          hint: "use an integer type such as u32, or leave the type out",
        });
      }
    }
  }
  let value = evaluate(cx, decl.value, site, type);
  if (value !== undefined && type) {
    const r = portableRange(type);
    if (value < r.min || value > r.max) {
      cx.report("ABI020", file, decl.value.span, {
        message: `constant ${sym.name} = ${value} does not fit its type ${type.name} (${fmtRange(r)})`,
        hint: `change the value or declare a wider type`,
      });
      value = undefined;
    }
  }
  const isChar = type?.isChar === true || isCharExpr(cx, decl.value, file);
  const model: ConstModel = {
    kind: "const", name: sym.name, family, loc: cx.rep.loc(file, decl.span), allow,
    value: value ?? 0n, isChar, expr: decl.value,
    ...(decl.doc ? { doc: decl.doc.text } : {}),
    ...(type ? { type } : {}),
  };
  return { model, value };
}
