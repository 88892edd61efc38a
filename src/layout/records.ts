/**
 * Finding every record of a program: named records are declarations, but anonymous inline
 * records (`rules: struct { … }[4]`, `union { … };`, an inline ioctl argument) live only inside
 * the types that use them. Layout checks and the C assert generator need all of them, each
 * once, together with the named declaration that owns it (for `@allow` and messages).
 */
import type { DeclCommon, Program, RecordModel, Type } from "../model/model.js";

export interface RecordSite {
  readonly record: RecordModel;
  /** The named declaration the record is (or is inside): a struct, union, alias, ioctl or protocol. */
  readonly owner: DeclCommon;
  /** True for an anonymous record written as (part of) a field type of another record. */
  readonly embedded: boolean;
}

/** Strip array layers: the type of one element. */
export function elementType(type: Type): Type {
  return type.kind === "array" ? elementType(type.element) : type;
}

/** Every record of the program, named ones in declaration order, anonymous ones after their parent. */
export function allRecords(program: Program): RecordSite[] {
  const out: RecordSite[] = [];
  const seen = new Set<RecordModel>();

  const visitType = (type: Type | undefined, owner: DeclCommon, embedded: boolean): void => {
    if (!type) return;
    const el = elementType(type);
    // Named records are visited as declarations; only anonymous ones are found through types.
    if (el.kind === "record" && el.decl.anonymous) visitRecord(el.decl, owner, embedded);
  };
  const visitRecord = (rec: RecordModel, owner: DeclCommon, embedded: boolean): void => {
    if (seen.has(rec)) return;
    seen.add(rec);
    out.push({ record: rec, owner, embedded });
    for (const f of rec.fields) visitType(f.type, owner, true);
  };

  for (const fam of program.families) {
    for (const d of fam.decls) {
      switch (d.kind) {
        case "record": visitRecord(d, d, false); break;
        case "alias": visitType(d.type, d, false); break;
        case "ioctl": visitType(d.arg, d, false); break;
        case "protocol":
          for (const m of d.messages) {
            visitType(m.request, d, false);
            visitType(m.reply, d, false);
          }
          break;
        default: break;
      }
    }
  }
  return out;
}

/** How a record is named in messages: `struct gh_vcpu_run`, `anonymous struct in uvirtio_expect.expects`. */
export function describeRecord(rec: RecordModel): string {
  return rec.anonymous ? `anonymous ${rec.record} \`${rec.name}\`` : `${rec.record} \`${rec.name}\``;
}
