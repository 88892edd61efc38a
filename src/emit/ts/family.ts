/**
 * One family's TS module, `ts/<family>/index.ts`: constants, enums and flags, record types and
 * codecs, type aliases, ioctl descriptors, then the encoder/decoder functions the codecs use.
 */
import type { AliasModel, FamilyModel, IoctlModel, RecordModel, Type } from "../../model/model.js";
import { declsOf } from "../../model/model.js";
import type { Target } from "../../targets/targets.js";
import { recordCodec, recordFunctions } from "./codecs.js";
import { constDecl, enumDecl, enumTables } from "./constants.js";
import { FamilyContext } from "./context.js";
import { declDoc, jsdoc, specLine } from "./docs.js";
import { describeRecord } from "./encoder.js";
import { ioctlDecl } from "./ioctls.js";
import { typeIdent } from "./names.js";
import { render } from "./templates.js";
import { recordTypes, valueType } from "./ts-types.js";

/**
 * The family's records in source order, each followed by the anonymous inline records inside it,
 * and whether each one gets exported types: every record except anonymous ones used only as
 * anonymous members (their fields are promoted into the parent's type).
 */
function familyRecords(f: FamilyModel): { rec: RecordModel; typed: boolean }[] {
  const order: RecordModel[] = [];
  const seen = new Set<RecordModel>();
  const typed = new Set<RecordModel>();
  const visitType = (t: Type, named: boolean): void => {
    if (t.kind === "array") return visitType(t.element, named);
    if (t.kind !== "record" || t.decl.family !== f.name) return;
    if (named) typed.add(t.decl);
    visit(t.decl);
  };
  const visit = (r: RecordModel): void => {
    if (!r.anonymous) typed.add(r);
    if (seen.has(r)) return;
    seen.add(r);
    order.push(r);
    for (const field of r.fields) visitType(field.type, field.name !== undefined);
  };
  for (const d of f.decls) {
    if (d.kind === "record") visit(d);
    else if (d.kind === "alias") visitType(d.type, true);
    else if (d.kind === "ioctl" && d.arg) visitType(d.arg, true);
  }
  return order.map((rec) => ({ rec, typed: typed.has(rec) }));
}

function recordSection(ctx: FamilyContext, rec: RecordModel, typeTarget: Target): string {
  const name = ctx.names.claim(ctx.recordIdent(rec), describeRecord(rec));
  ctx.names.claim(`${name}Input`, `the input type of ${describeRecord(rec)}`);
  const doc = declDoc(rec.doc, rec.loc, rec.anonymous ? [`The anonymous ${rec.record} \`${rec.name}\`.`] : []);
  const codecDoc = jsdoc([`Codec of {@link ${name}} for the host target; \`${name}.forTarget(name)\` for others.`], [`@see ${specLine(rec.loc)}`]);
  return recordTypes(ctx, rec, doc, typeTarget) + "\n" + recordCodec(ctx, rec, codecDoc);
}

function aliasSection(ctx: FamilyContext, a: AliasModel): string {
  const name = ctx.names.claim(typeIdent(a.name), `type ${a.name}`);
  const doc = declDoc(a.doc, a.loc);
  const lines = [`${doc}export type ${name} = ${valueType(ctx, a.type, false)};`];
  if (a.type.kind === "record") {
    ctx.names.claim(`${name}Input`, `the input type of type ${a.name}`);
    const target = ctx.recordIdent(a.type.decl);
    const value = a.type.decl.family === ctx.family.name ? target : ctx.importValue(a.type.decl.family, target);
    lines.push(`export type ${name}Input = ${valueType(ctx, a.type, true)};`);
    lines.push(`${doc}export const ${name} = ${value};`);
  }
  return lines.join("\n") + "\n";
}

export function familyModule(f: FamilyModel, targets: readonly Target[], names: ReadonlyMap<RecordModel, string>): string {
  const ctx = new FamilyContext(f, targets, names);
  const typeTarget = targets[0]!;
  const constants = declsOf(f, "const").map((c) => constDecl(ctx, c));
  const enums = declsOf(f, "enum").map((e) => enumDecl(ctx, e));
  const records = familyRecords(f).filter((r) => r.typed).map((r) => recordSection(ctx, r.rec, typeTarget));
  const aliases = declsOf(f, "alias").map((a) => aliasSection(ctx, a));
  const ioctlOut = declsOf(f, "ioctl").map((io: IoctlModel) => ioctlDecl(ctx, io));
  const argCodecs = ioctlOut.flatMap((o) => (o.argCodec ? [o.argCodec] : []));

  // Functions last: generating them discovers nested (and foreign) records that need their own.
  const functions: string[] = argCodecs.map((a) => a.functions);
  for (let i = 0; i < ctx.needed.length; i++) functions.push(recordFunctions(ctx, ctx.needed[i]!));

  const imports: string[] = [];
  const families = new Set([...ctx.imports.keys(), ...ctx.valueImports.keys()]);
  for (const fam of [...families].sort()) {
    const values = [...(ctx.valueImports.get(fam) ?? [])].sort();
    // A name imported as a value also serves as its type.
    const types = [...(ctx.imports.get(fam) ?? [])].filter((n) => !values.includes(n)).sort();
    if (types.length > 0) imports.push(`import type { ${types.join(", ")} } from "../${fam}/index.js";`);
    if (values.length > 0) imports.push(`import { ${values.join(", ")} } from "../${fam}/index.js";`);
  }
  const sections = {
    constants,
    enums,
    records,
    aliases,
    ioctls: [...argCodecs.map((a) => a.codec), ...ioctlOut.map((o) => o.decl)],
    tables: enumTables(ctx),
    functions,
  };
  const usesRuntime = Object.values(sections).some((list) => list.some((text) => /\brt\./.test(text)));
  return render("family", {
    source: f.loc.source.name,
    family: f.name,
    header: f.header,
    imports,
    usesRuntime,
    ...sections,
  });
}
