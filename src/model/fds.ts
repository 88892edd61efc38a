/** `fd NAME [= "/dev/path"] [@mmap(T)];` → FdKindModel. */
import type { NamedType } from "../syntax/ast.js";
import type { FdKindModel } from "./model.js";
import type { BuildContext, Ref } from "./context.js";
import type { Sym } from "./resolve.js";
import { argIdent, checkAttributes, declSite } from "./attributes.js";
import { resolveType } from "./types.js";

export function fdOf(cx: BuildContext, sym: Extract<Sym, { kind: "fd" }>, ref: Ref | undefined): FdKindModel | undefined {
  return cx.memo(sym.decl, sym.name, "type", ref, () => {
    const { decl, file } = sym;
    const site = declSite(cx, file, decl);
    const attrs = checkAttributes(cx, file, decl.attrs, "fd");
    let mmap: FdKindModel["mmap"];
    const ident = argIdent(attrs.arg("mmap", 0));
    if (ident) {
      const named: NamedType = { kind: "NamedType", name: ident, span: ident.span };
      const t = resolveType(cx, named, { ...site, owner: `${sym.name}.mmap` });
      if (t?.kind === "record") mmap = t.decl;
      else if (t) {
        cx.report("ABI012", file, ident.span, {
          message: `@mmap(${ident.name}): ${ident.name} is not a struct or union`,
          hint: "name the struct that mmap of this fd at offset 0 maps (kvm_run, gh_vcpu_run)",
        });
      }
    }
    const model: FdKindModel = {
      kind: "fd", name: sym.name, family: site.family, loc: cx.rep.loc(file, decl.span), allow: site.allow,
      ...(decl.doc ? { doc: decl.doc.text } : {}),
      ...(decl.path ? { path: decl.path.value } : {}),
      ...(mmap ? { mmap } : {}),
    };
    return model;
  });
}
