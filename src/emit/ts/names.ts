/**
 * How model names become TypeScript names. C names stay as they are where TS allows it (field
 * names, constants, ioctls: `config_len`, `UV_DEV_CREATE`); types and codecs are PascalCase
 * (`uvirtio_setup` → `UvirtioSetup`), anonymous inline records join their parts with `_`
 * (`uvirtio_block.rules` → `UvirtioBlock_Rules`, as protobuf-es names nested messages).
 */
import type { FieldModel, Program, RecordModel, Type } from "../../model/model.js";

function pascalPart(part: string): string {
  return part
    .split("_")
    .filter((w) => w !== "")
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join("");
}

/** The TS type/codec name of a record, enum, flags or alias. */
export function typeIdent(cName: string): string {
  const parts = cName.split(/[^A-Za-z0-9_]+/).filter((p) => p !== "").map(pascalPart);
  const out = parts.join("_");
  return /^[0-9]/.test(out) ? `T${out}` : out;
}

/** A property key: bare when it is an identifier, quoted otherwise. */
export function propKey(name: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? name : JSON.stringify(name);
}

/** `x.name` or `x["name"]`. */
export function propAccess(obj: string, name: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? `${obj}.${name}` : `${obj}[${JSON.stringify(name)}]`;
}

/** A suffix for a target name usable in identifiers (`x86_64` stays, `ppc64le` stays). */
export function targetSuffix(target: string): string {
  return target.replace(/[^A-Za-z0-9_]/g, "_");
}

/**
 * Top-level names of one generated file, so that two declarations mapping to the same TS name
 * fail loudly at generation time instead of producing code that does not compile.
 */
export class NameTable {
  private readonly used = new Map<string, string>();

  constructor(private readonly file: string) {}

  claim(tsName: string, what: string): string {
    const prev = this.used.get(tsName);
    if (prev !== undefined && prev !== what) {
      throw new Error(`abigen ts emitter: ${this.file}: ${what} and ${prev} both become the TypeScript name ${tsName}`);
    }
    this.used.set(tsName, what);
    return tsName;
  }
}

/**
 * TS names of every record of the program. Named records: `typeIdent(name)`. Anonymous inline
 * records are named by where they sit, parent first, skipping anonymous members whose fields
 * are promoted: `uvirtio_block.rules` → `UvirtioBlock_Rules`, the `mmio` arm of gh_vcpu_run's
 * anonymous union → `GhVcpuRun_Mmio`, an inline ioctl argument → `UvDevFooArg`.
 */
export function recordNames(program: Program): Map<RecordModel, string> {
  const names = new Map<RecordModel, string>();
  const visitType = (t: Type, name: string): void => {
    if (t.kind === "array") return visitType(t.element, name);
    if (t.kind === "record" && t.decl.anonymous) visit(t.decl, name);
  };
  const visit = (r: RecordModel, name: string): void => {
    if (names.has(r)) return;
    names.set(r, name);
    for (const f of r.fields) {
      // An anonymous member's own records are named after the parent: their fields are promoted.
      if (f.name === undefined && f.type.kind === "record" && f.type.decl.anonymous) {
        names.set(f.type.decl, name);
        for (const g of f.type.decl.fields) visitField(g, name);
      } else visitField(f, name);
    }
  };
  const visitField = (f: FieldModel, parent: string): void => {
    if (f.name === undefined) {
      if (f.type.kind === "record" && f.type.decl.anonymous) visit(f.type.decl, parent);
      return;
    }
    visitType(f.type, `${parent}_${pascalPart(f.name)}`);
  };
  for (const fam of program.families) {
    for (const d of fam.decls) {
      if (d.kind === "record") visit(d, typeIdent(d.name));
      else if (d.kind === "alias") visitType(d.type, typeIdent(d.name));
      else if (d.kind === "ioctl" && d.arg) visitType(d.arg, typeIdent(`${d.name.toLowerCase()}_arg`));
    }
  }
  return names;
}
