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
      // C order: T[a][b] is `a` arrays of `b`; collect the dimensions outermost first.
      const dims: string[] = [];
      let t: Type = type;
      while (t.kind === "array") {
        dims.push(`[${t.length ?? ""}]`);
        t = t.element;
      }
      return typeName(t) + dims.join("");
    }
  }
}
