/**
 * State of one generated family file: which TS names it declares, what it imports from other
 * families, which records need encoder/decoder functions (its own, and foreign ones nested in
 * its records, generated again locally so no internal function crosses a file boundary), and
 * module-level constant tables the checks use.
 */
import type { EnumModel, FamilyModel, RecordModel } from "../../model/model.js";
import type { Target } from "../../targets/targets.js";
import { NameTable, typeIdent } from "./names.js";
import { variantFor, variantsOf, type Variant } from "./variants.js";

export class FamilyContext {
  readonly names: NameTable;
  /** Family name → TS names imported from it (types only, and values). */
  readonly imports = new Map<string, Set<string>>();
  readonly valueImports = new Map<string, Set<string>>();
  /** Records whose functions this file must contain, in discovery order. */
  readonly needed: RecordModel[] = [];
  private readonly neededSet = new Set<RecordModel>();
  private readonly variantCache = new Map<RecordModel, Variant[]>();
  /** Enum → name of a module-level Set of its values (for enums too sparse for a range check). */
  readonly enumSets = new Map<string, { enum: EnumModel; big: boolean }>();

  constructor(
    readonly family: FamilyModel,
    readonly targets: readonly Target[],
    private readonly recordNames: ReadonlyMap<RecordModel, string>,
  ) {
    this.names = new NameTable(`ts/${family.name}/index.ts`);
  }

  /** The TS name of a record (see recordNames). */
  recordIdent(rec: RecordModel): string {
    const name = this.recordNames.get(rec);
    if (name === undefined) throw new Error(`abigen ts emitter: record ${rec.name} is not part of the program`);
    return name;
  }

  /** TS name of a record's decoded type (`input`: its encode input type); imports foreign ones. */
  typeName(rec: RecordModel, input: boolean): string {
    const name = this.recordIdent(rec) + (input ? "Input" : "");
    if (rec.family !== this.family.name) {
      let set = this.imports.get(rec.family);
      if (!set) this.imports.set(rec.family, (set = new Set()));
      set.add(name);
    }
    return name;
  }

  /** Import a value (a codec) from another family. */
  importValue(family: string, name: string): string {
    let set = this.valueImports.get(family);
    if (!set) this.valueImports.set(family, (set = new Set()));
    set.add(name);
    return name;
  }

  variants(rec: RecordModel): Variant[] {
    let v = this.variantCache.get(rec);
    if (!v) this.variantCache.set(rec, (v = variantsOf({ kind: "record", decl: rec }, this.targets)));
    return v;
  }

  /** Mark a record as needing functions here. */
  need(rec: RecordModel): void {
    if (this.neededSet.has(rec)) return;
    this.neededSet.add(rec);
    this.needed.push(rec);
  }

  /** Name of the encoder (`dir` "enc") or decoder of a record on a target's variant. */
  fn(dir: FnDir, rec: RecordModel, target: Target): string {
    this.need(rec);
    return fnName(dir, this.recordIdent(rec), variantFor(this.variants(rec), target).id);
  }

  /** The name of a module-level Set holding an enum's values. */
  enumSet(e: EnumModel, big: boolean): string {
    const name = `values$${typeIdent(e.name)}${big ? "$n" : ""}`;
    if (!this.enumSets.has(name)) this.enumSets.set(name, { enum: e, big });
    return name;
  }
}

/**
 * `enc`: the encoder that returns false on invalid input; `explain`: its twin that throws the
 * exact error (run only after `enc` returned false); `dec`: the decoder.
 */
export type FnDir = "enc" | "explain" | "dec";

/** `enc$UvirtioSetup$x86_64`: `$` cannot occur in C names, so these never collide with them. */
export function fnName(dir: FnDir, tsName: string, variantId: string): string {
  return `${dir}$${tsName}$${variantId}`;
}
