/**
 * The machine-readable model: `json/<family>.json` with every constant, enum, record (size,
 * alignment and field offsets per target), fd kind, ioctl (encoded number per target) and
 * protocol. Other tools (and abigen's own ABI lock) read this instead of parsing specs.
 *
 * Integers that may exceed 2^53 (constants, enum values, ranges) are decimal strings; sizes,
 * offsets and ioctl numbers are JSON numbers, with ioctl numbers also given as hex strings.
 */
import type {
  EnumModel, FamilyModel, FieldModel, IoctlModel, Program, ProtocolModel, RecordModel, Type,
} from "../model/model.js";
import { declsOf } from "../model/model.js";
import { typeName } from "../model/type-name.js";
import { recordLayout } from "../layout/layout.js";
import { ioctlArgSize, ioctlNumber } from "../layout/ioctl-numbers.js";
import { hex32 } from "../targets/ioctl-encoding.js";
import type { Target } from "../targets/targets.js";
import { emitFamilies, type FamilyEmitter, type OutputFiles } from "./output.js";
import { IOC_MACRO } from "../targets/ioctl-macros.js";

function line(d: { loc: { source: { position(o: number): { line: number } }; start: number } }): number {
  return d.loc.source.position(d.loc.start).line;
}

function withDoc<T extends object>(o: T, doc: string | undefined): T & { doc?: string } {
  return doc === undefined ? o : { ...o, doc };
}

/** Every record reachable from the family's declarations, anonymous ones included, in source order. */
export function familyRecords(f: FamilyModel): RecordModel[] {
  const seen = new Set<RecordModel>();
  const out: RecordModel[] = [];
  const visitType = (t: Type): void => {
    if (t.kind === "array") visitType(t.element);
    else if (t.kind === "record" && t.decl.anonymous && t.decl.family === f.name) visit(t.decl);
  };
  const visit = (r: RecordModel): void => {
    if (seen.has(r)) return;
    seen.add(r);
    out.push(r);
    for (const field of r.fields) visitType(field.type);
  };
  for (const r of declsOf(f, "record")) visit(r);
  return out;
}

/** A `@range` as JSON: bigints as decimal strings, an open end as null. */
function rangeJson(r: { readonly min?: bigint; readonly max?: bigint }): { min: string | null; max: string | null } {
  return { min: r.min?.toString() ?? null, max: r.max?.toString() ?? null };
}

function field(fm: FieldModel) {
  return withDoc(
    {
      name: fm.name ?? null,
      type: typeName(fm.type),
      role: fm.role,
      ...(fm.isString ? { string: true } : {}),
      ...(fm.ptr ? { ptr: { len: fm.ptr.lenField ?? null, to: fm.ptr.target ? typeName(fm.ptr.target) : null } } : {}),
      ...(fm.fd ? { fd: { none: fm.fd.none?.toString() ?? null, kind: fm.fd.kind ?? null } } : {}),
      ...(fm.range ? { range: rangeJson(fm.range) } : {}),
      ...(fm.values ? { values: fm.values.name } : {}),
      line: fm.loc.source.position(fm.loc.start).line,
    },
    fm.doc,
  );
}

function record(r: RecordModel, targets: readonly Target[]) {
  const layout: Record<string, unknown> = {};
  for (const t of targets) {
    const l = recordLayout(r, t);
    layout[t.name] = {
      size: l.size,
      align: l.align,
      offsets: l.fields.map((f) => f.offset),
    };
  }
  return withDoc(
    {
      name: r.name,
      kind: r.record,
      anonymous: r.anonymous,
      ...(r.packed ? { packed: true } : {}),
      ...(r.aligned !== undefined ? { aligned: r.aligned } : {}),
      line: line(r),
      fields: r.fields.map(field),
      layout,
    },
    r.doc,
  );
}

function enumJson(e: EnumModel) {
  return withDoc(
    {
      name: e.name,
      flavor: e.flavor,
      ...(e.bitIndex ? { bitIndex: true } : {}),
      base: e.base.name,
      line: line(e),
      members: e.members.map((m) =>
        withDoc(
          {
            name: m.name,
            value: m.value.toString(),
            ...(m.mask !== undefined ? { mask: m.mask.toString() } : {}),
            ...(m.sentinel ? { sentinel: true } : {}),
          },
          m.doc,
        ),
      ),
    },
    e.doc,
  );
}

function ioctl(io: IoctlModel, targets: readonly Target[]) {
  const numbers: Record<string, string> = {};
  const sizes: Record<string, number> = {};
  for (const t of targets) {
    numbers[t.name] = hex32(ioctlNumber(io, t));
    sizes[t.name] = ioctlArgSize(io, t);
  }
  return withDoc(
    {
      name: io.name,
      dir: io.dir,
      macro: io.legacy ? null : IOC_MACRO[io.dir],
      magic: io.magic,
      nr: io.nr,
      arg: io.arg ? typeName(io.arg) : null,
      ...(io.value ? { value: { type: io.value.type.name, range: io.value.range ? rangeJson(io.value.range) : null } } : {}),
      on: io.on?.name ?? null,
      returns: io.returns.what === "fd" ? { fd: io.returns.fd.name } : io.returns.what,
      errors: io.errors.map((e) => (e.text === undefined ? { errno: e.errno } : { errno: e.errno, when: e.text })),
      ...(io.legacy ? { legacy: true } : {}),
      line: line(io),
      sizes,
      numbers,
    },
    io.doc,
  );
}

function protocol(p: ProtocolModel) {
  return withDoc(
    {
      name: p.name,
      transport: p.transport,
      ...(p.maxLen !== undefined ? { maxLen: p.maxLen } : {}),
      line: line(p),
      messages: p.messages.map((m) =>
        withDoc(
          {
            name: m.name,
            request: typeName(m.request),
            reply: m.reply ? typeName(m.reply) : null,
            errors: m.errors.map((e) => (e.text === undefined ? { errno: e.errno } : { errno: e.errno, when: e.text })),
          },
          m.doc,
        ),
      ),
      commands: p.commands.map((c) =>
        withDoc(
          {
            name: c.name,
            params: c.params,
            errors: c.errors.map((e) => (e.text === undefined ? { errno: e.errno } : { errno: e.errno, when: e.text })),
          },
          c.doc,
        ),
      ),
    },
    p.doc,
  );
}

export function familyJson(f: FamilyModel, targets: readonly Target[]): unknown {
  return withDoc(
    {
      generator: "abigen",
      family: f.name,
      header: f.header,
      license: f.license,
      source: f.file,
      imports: f.imports,
      targets: targets.map((t) => t.name),
      constants: declsOf(f, "const").map((c) =>
        withDoc({ name: c.name, value: c.value.toString(), ...(c.isChar ? { char: true } : {}), ...(c.type ? { type: c.type.name } : {}), line: line(c) }, c.doc),
      ),
      enums: declsOf(f, "enum").map(enumJson),
      aliases: declsOf(f, "alias").map((a) => withDoc({ name: a.name, type: typeName(a.type), line: line(a) }, a.doc)),
      records: familyRecords(f).map((r) => record(r, targets)),
      fds: declsOf(f, "fd").map((d) =>
        withDoc({ name: d.name, path: d.path ?? null, mmap: d.mmap?.name ?? null, line: line(d) }, d.doc),
      ),
      ioctls: declsOf(f, "ioctl").map((io) => ioctl(io, targets)),
      protocols: declsOf(f, "protocol").map(protocol),
    },
    f.doc,
  );
}

/** `json/<family>.json`, one family at a time (emit/index.ts streams families). */
export function jsonEmitter(targets: readonly Target[]): FamilyEmitter {
  return (f, into) => {
    into.set(`json/${f.name}.json`, JSON.stringify(familyJson(f, targets), null, 2) + "\n");
  };
}

export function emitJson(program: Program, targets: readonly Target[]): OutputFiles {
  return emitFamilies(program, jsonEmitter(targets));
}
