/**
 * Structs and unions, named or anonymous (written inline in place of a type): record
 * attributes (ABI033), member names including promoted anonymous members (ABI011), flexible
 * array members (ABI032) and the 16 MiB limit (ABI031). Field annotations: fields.ts.
 */
import type { Attribute, Expr, Field, FileNode, InlineRecord, TypeExpr } from "../syntax/ast.js";
import type { Span } from "../syntax/source.js";
import type { FieldModel, RecordModel, Type } from "./model.js";
import { TARGETS } from "../targets/targets.js";
import { modelTargets, recordLayout } from "../layout/layout.js";
import type { BuildContext, Ref, Site } from "./context.js";
import { ERROR_TYPE } from "./context.js";
import type { Sym } from "./resolve.js";
import { checkAttributes, declSite } from "./attributes.js";
import { evaluate } from "./consteval.js";
import { resolveType, MAX_BYTES } from "./types.js";
import { buildField } from "./fields.js";

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

interface RecordSource {
  readonly name: string;
  readonly record: "struct" | "union";
  readonly anonymous: boolean;
  readonly fields: readonly Field[];
  readonly attrs: readonly Attribute[];
  readonly span: Span;
  readonly doc?: string;
  readonly site: Site;
}

export function recordOf(cx: BuildContext, sym: Extract<Sym, { kind: "record" }>, ref: Ref | undefined): RecordModel | undefined {
  const { decl, file } = sym;
  return cx.memo(decl, sym.name, "type", ref, () =>
    buildRecord(cx, {
      name: sym.name, record: decl.record, anonymous: false, fields: decl.fields ?? [], attrs: decl.attrs ?? [],
      span: decl.span, site: declSite(cx, file, decl), ...(decl.doc ? { doc: decl.doc.text } : {}),
    }),
  );
}

/** An inline `struct { … }`, named after where it is written (`site.owner`). */
export function anonymousRecord(cx: BuildContext, te: InlineRecord, site: Site): RecordModel | undefined {
  return cx.memo(te, site.owner, "type", { file: site.file, span: te.span }, () =>
    buildRecord(cx, {
      name: site.owner, record: te.record, anonymous: true, fields: te.fields ?? [], attrs: te.attrs ?? [],
      span: te.span, site,
    }),
  );
}

const NO_SIBLINGS: Map<string, Type> = new Map();

function buildRecord(cx: BuildContext, src: RecordSource): RecordModel {
  const { site } = src;
  const { file } = site;
  const attrs = checkAttributes(cx, file, src.attrs, src.anonymous ? "inline" : "record");
  const aligned = alignment(cx, site, attrs.arg("aligned", 0));
  const rec: Mutable<RecordModel> & { fields: FieldModel[] } = {
    kind: "record", name: src.name, family: site.family, loc: cx.rep.loc(file, src.span), allow: site.allow,
    record: src.record, anonymous: src.anonymous, fields: [], packed: attrs.has("packed"),
    ...(aligned !== undefined ? { aligned } : {}),
    ...(src.doc ? { doc: src.doc } : {}),
  };

  // Types first (they may name later records), then annotations, which may name sibling fields.
  let anon = 0;
  const typed = src.fields.map((field) => {
    const member = field.name?.name ?? `anon${anon++}`;
    // The owner names anonymous records only: a type without one resolves the same at `site`
    // (saves a string and a Site per field).
    const at = mayHoldRecord(field.type) ? { ...site, owner: `${src.name}.${member}` } : site;
    return { field, type: resolveType(cx, field.type, at) ?? ERROR_TYPE };
  });
  // Member names, for @ptr(len = …): only records with a @ptr need them.
  const siblings = src.fields.some((f) => f.attrs?.some((a) => a.name?.name === "ptr")) ? new Map<string, Type>() : NO_SIBLINGS;
  if (siblings !== NO_SIBLINGS) {
    for (const { field, type } of typed) {
      if (field.name) siblings.set(field.name.name, type);
      else if (type.kind === "record") for (const m of promoted(type.decl)) siblings.set(m.name, m.type);
    }
  }
  for (const { field, type } of typed) rec.fields.push(buildField(cx, site, rec, field, type, siblings));

  checkDuplicates(cx, file, rec);
  checkFlexible(cx, file, rec, src.fields);
  // Sizes are a data-model fact: one target per model answers for all (the common case).
  const anyTooBig = modelTargets(TARGETS).some((t) => recordLayout(rec, t).size > MAX_BYTES);
  const tooBig = anyTooBig ? TARGETS.filter((t) => recordLayout(rec, t).size > MAX_BYTES) : [];
  if (tooBig.length > 0) {
    cx.report("ABI031", file, src.span, {
      message: `${rec.record} ${rec.name} is ${recordLayout(rec, tooBig[0]!).size} bytes on ${tooBig.map((t) => t.name).join(", ")}, more than 16 MiB`,
      hint: "pass large buffers by pointer (u64 @ptr(len = …)) instead of inline",
    });
  }
  return rec;
}

/** Whether an inline record can be written in this type (itself, an element, a sizeof in a length). */
function mayHoldRecord(te: TypeExpr | undefined): boolean {
  if (!te) return false;
  switch (te.kind) {
    case "NamedType": return false;
    case "InlineRecord": return true;
    case "ArrayType": return mayHoldRecord(te.element) || (te.length !== undefined && hasSizeof(te.length));
  }
}

function hasSizeof(e: Expr): boolean {
  switch (e.kind) {
    case "Sizeof": return true;
    case "Unary": return hasSizeof(e.operand);
    case "Binary": return hasSizeof(e.left) || hasSizeof(e.right);
    case "Paren": return hasSizeof(e.inner);
    default: return false;
  }
}

/** `@aligned(N)`: N a power of two, at most 4096 (ABI033). */
function alignment(cx: BuildContext, site: Site, arg: ReturnType<ReturnType<typeof checkAttributes>["arg"]>): number | undefined {
  if (!arg || arg.kind === "String") return undefined;
  const n = evaluate(cx, arg, site);
  if (n === undefined) return undefined;
  if (n < 1n || n > 4096n || (n & (n - 1n)) !== 0n) {
    cx.report("ABI033", site.file, arg.span, {
      message: `@aligned(${n}): the alignment must be a power of two from 1 to 4096`,
      hint: "use 1, 2, 4, 8, 16, … 4096",
    });
    return undefined;
  }
  return Number(n);
}

/** Member names as C code reads them: anonymous members' fields count as the record's own. */
function promoted(rec: RecordModel): { name: string; type: Type; loc: FieldModel["loc"] }[] {
  const out: { name: string; type: Type; loc: FieldModel["loc"] }[] = [];
  for (const f of rec.fields) {
    if (f.name !== undefined) out.push({ name: f.name, type: f.type, loc: f.loc });
    else if (f.type.kind === "record") out.push(...promoted(f.type.decl));
  }
  return out;
}

function checkDuplicates(cx: BuildContext, file: FileNode, rec: RecordModel): void {
  const seen = new Map<string, { loc: FieldModel["loc"]; origin: number }>();
  const fields = rec.fields;
  for (let origin = 0; origin < fields.length; origin++) {
    const f = fields[origin]!;
    if (f.name !== undefined) {
      // The common case, without a one-element list.
      const first = seen.get(f.name);
      if (!first) seen.set(f.name, { loc: f.loc, origin });
      else reportDuplicate(cx, file, rec, f.name, f.loc, first.loc);
      continue;
    }
    const names = f.type.kind === "record" ? promoted(f.type.decl) : [];
    for (const m of names) {
      const first = seen.get(m.name);
      if (!first) {
        seen.set(m.name, { loc: m.loc, origin });
      } else if (first.origin !== origin) {
        // (Two of one anonymous member's own fields were reported when it was built.)
        cx.report("ABI011", file, m.loc, {
          message: `duplicate member ${m.name} in ${rec.record} ${rec.name}`,
          hint: "rename one of them (members of anonymous structs and unions share the enclosing record's names)",
          related: [{ message: "first declared here", loc: first.loc }],
        });
      }
    }
  }
}

function reportDuplicate(cx: BuildContext, file: FileNode, rec: RecordModel, name: string, loc: FieldModel["loc"], firstLoc: FieldModel["loc"]): void {
  cx.report("ABI011", file, loc, {
    message: `duplicate member ${name} in ${rec.record} ${rec.name}`,
    hint: "rename one of them (members of anonymous structs and unions share the enclosing record's names)",
    related: [{ message: "first declared here", loc: firstLoc }],
  });
}

/** The flexible array member of a field's type, when it is one (`T[]`). */
function isFlexible(t: Type): boolean {
  return t.kind === "array" && t.length === null;
}

/** A struct whose last member is flexible (directly or through its last member). */
export function hasFlexibleTail(rec: RecordModel): boolean {
  const last = rec.fields[rec.fields.length - 1];
  if (rec.record !== "struct" || !last) return false;
  return isFlexible(last.type) || (last.type.kind === "record" && hasFlexibleTail(last.type.decl));
}

function checkFlexible(cx: BuildContext, file: FileNode, rec: RecordModel, fields: readonly Field[]): void {
  for (let i = 0; i < rec.fields.length; i++) {
    const f = rec.fields[i]!;
    const span = fields[i]?.span ?? f.loc;
    const last = i === rec.fields.length - 1;
    if (isFlexible(f.type)) {
      if (rec.record === "union") {
        cx.report("ABI032", file, span, {
          message: `flexible array member ${f.name ?? ""} in union ${rec.name}`,
          hint: "a flexible array member can only end a struct; give it a length",
        });
      } else if (!last) {
        cx.report("ABI032", file, span, {
          message: `flexible array member ${f.name ?? ""} is not the last member of struct ${rec.name}`,
          hint: "move it to the end of the struct, or give it a length",
        });
      }
    } else if (!last && rec.record === "struct" && f.type.kind === "record" && hasFlexibleTail(f.type.decl)) {
      cx.report("ABI032", file, span, {
        message: `member ${f.name ?? ""} of struct ${rec.name} ends in a flexible array member but is not the last member`,
        hint: "move it to the end of the struct",
      });
    }
  }
}
