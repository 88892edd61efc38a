/** How a model type is spelled in outputs for people and tools (JSON, docs): `u64`, `char[64]`, `uvirtio_block[8]`. */
import type { Type } from "./model.js";

export function typeName(type: Type): string {
  switch (type.kind) {
    case "scalar":
      return type.alias ?? type.scalar.name;
    case "enum":
      return type.decl.name;
    case "record":
      return type.decl.anonymous ? `${type.decl.record} ${type.decl.name}` : type.decl.name;
    case "array": {
      const { element, dims } = arrayDims(type);
      return typeName(element) + dims;
    }
  }
}

/**
 * An array type's innermost element and its dimensions as written, `[8][]` (C order: T[a][b]
 * is `a` arrays of `b`, so the outermost comes first). A non-array type: itself, no dimensions.
 */
export function arrayDims(type: Type): { element: Type; dims: string } {
  let dims = "";
  let t = type;
  while (t.kind === "array") {
    dims += `[${t.length ?? ""}]`;
    t = t.element;
  }
  return { element: t, dims };
}
