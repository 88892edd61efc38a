/**
 * The program's one namespace (C uapi names are global) and name lookup with the diagnostics
 * that go with it: unknown names (with a suggestion), names declared in a file this one does not
 * import, and names of the wrong kind.
 */
import type {
  ConstDecl, EnumDecl, EnumMember, FdDecl, FileNode, Ident, IoctlDecl, ProtocolDecl, RecordDecl, TypeAliasDecl,
} from "../syntax/ast.js";
import { SCALARS } from "./scalars.js";
import { didYouMean } from "./suggest.js";
import type { Reporter } from "./reporter.js";

interface SymBase {
  readonly name: string;
  readonly file: FileNode;
  readonly ident: Ident;
}

export type Sym =
  | (SymBase & { readonly kind: "const"; readonly decl: ConstDecl })
  | (SymBase & { readonly kind: "enum"; readonly decl: EnumDecl })
  | (SymBase & { readonly kind: "member"; readonly decl: EnumDecl; readonly member: EnumMember; readonly index: number })
  | (SymBase & { readonly kind: "record"; readonly decl: RecordDecl })
  | (SymBase & { readonly kind: "alias"; readonly decl: TypeAliasDecl })
  | (SymBase & { readonly kind: "fd"; readonly decl: FdDecl })
  | (SymBase & { readonly kind: "ioctl"; readonly decl: IoctlDecl })
  | (SymBase & { readonly kind: "protocol"; readonly decl: ProtocolDecl });

export type SymKind = Sym["kind"];

/** How a declaration kind is called in messages ("X is a struct, not a constant"). */
export function describe(sym: Sym): string {
  switch (sym.kind) {
    case "const": return "a constant";
    case "enum": return sym.decl.flavor === "flags" ? "a flags type" : "an enum";
    case "member": return `a member of ${sym.decl.flavor} ${sym.decl.name.name}`;
    case "record": return `a ${sym.decl.record}`;
    case "alias": return "a type alias";
    case "fd": return "an fd kind";
    case "ioctl": return "an ioctl";
    case "protocol": return "a protocol";
  }
}

function article(what: string): string {
  return /^[aeiou]|^fd\b/.test(what) ? "an" : "a";
}

/** C spellings of the builtin scalars (`uint32_t`, `__u32`, `int64`), with `__` and `_t` stripped. */
const C_SPELLINGS: ReadonlyMap<string, string> = new Map(
  [8, 16, 32, 64].flatMap((n) => [
    [`uint${n}`, `u${n}`], [`int${n}`, `s${n}`],
  ]),
);

export class SymbolTable {
  private readonly byName = new Map<string, Sym>();
  /** Files whose declarations each file may name: itself and everything it imports, transitively. */
  private readonly visibleFrom = new Map<FileNode, ReadonlySet<FileNode>>();

  constructor(private readonly rep: Reporter) {}

  /** Declare a name; a second declaration of it is ABI011 and is left out of the table. */
  add(sym: Sym): void {
    if (!sym.name) return; // a name the parser could not read; the syntax error says so
    const first = this.byName.get(sym.name);
    if (first) {
      this.rep.report("ABI011", sym.file, sym.ident.span, {
        message: `duplicate name ${sym.name}: already declared as ${describe(first)}`,
        hint: "names are global across all specs (as in C uapi headers); rename one of them",
        related: [{ message: "first declared here", loc: this.rep.loc(first.file, first.ident.span) }],
      });
      return;
    }
    if (SCALARS.has(sym.name)) {
      this.rep.report("ABI011", sym.file, sym.ident.span, {
        message: `${sym.name} is a builtin type and cannot be declared again`,
        hint: "choose another name",
      });
      return;
    }
    this.byName.set(sym.name, sym);
  }

  setVisible(file: FileNode, files: ReadonlySet<FileNode>): void {
    this.visibleFrom.set(file, files);
  }

  private isVisible(sym: Sym, from: FileNode): boolean {
    return sym.file === from || (this.visibleFrom.get(from)?.has(sym.file) ?? false);
  }

  /** The symbol called `name`, if it is declared and visible from `from` (no diagnostics). */
  peek(name: string, from: FileNode): Sym | undefined {
    const sym = this.byName.get(name);
    return sym && this.isVisible(sym, from) ? sym : undefined;
  }

  /**
   * Look a name up where a `what` ("constant", "type", "fd kind") of one of `kinds` is expected.
   * Reports ABI010 (unknown or not imported) or ABI012 (wrong kind) and returns undefined then.
   */
  find<K extends SymKind>(ident: Ident, from: FileNode, what: string, kinds: readonly K[]): Extract<Sym, { kind: K }> | undefined {
    const sym = this.byName.get(ident.name);
    if (!sym) {
      const candidates = [...this.byName.values()]
        .filter((s) => (kinds as readonly SymKind[]).includes(s.kind) && this.isVisible(s, from))
        .map((s) => s.name);
      if (what === "type") candidates.push(...SCALARS.keys());
      const stripped = ident.name.replace(/^__|_t$/g, "");
      const cSpelling = what !== "type" ? undefined : SCALARS.has(stripped) ? stripped : C_SPELLINGS.get(stripped);
      const suggestion = cSpelling ? ` Did you mean ${cSpelling}?` : didYouMean(ident.name, candidates);
      this.rep.report("ABI010", from, ident.span, {
        message: `unknown ${what} ${ident.name}.${suggestion}`,
        hint: `declare ${ident.name} in this spec or in a spec it imports, or fix the spelling`,
      });
      return undefined;
    }
    if (!this.isVisible(sym, from)) {
      this.rep.report("ABI010", from, ident.span, {
        message: `${ident.name} is declared in ${sym.file.source.name}, which ${from.source.name} does not import`,
        hint: `add \`import "${sym.file.source.name}";\` (path relative to this file) at the top of this file`,
        related: [{ message: `${ident.name} is declared here`, loc: this.rep.loc(sym.file, sym.ident.span) }],
      });
      return undefined;
    }
    if (!(kinds as readonly SymKind[]).includes(sym.kind)) {
      this.rep.report("ABI012", from, ident.span, {
        message: `${ident.name} is ${describe(sym)}, but ${article(what)} ${what} is expected here`,
        hint: `name ${article(what)} ${what} here`,
        related: [{ message: `${ident.name} is declared here`, loc: this.rep.loc(sym.file, sym.ident.span) }],
      });
      return undefined;
    }
    return sym as Extract<Sym, { kind: K }>;
  }
}
