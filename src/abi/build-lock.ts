/**
 * Building the ABI lock from a checked program: every family's constants, enums, records, fd
 * kinds (with their mmap layouts), ioctls (numbers and argument layouts) and protocol messages,
 * laid out on each target with the same layout engine the emitters use.
 */
import type { FamilyModel, FieldModel, IoctlModel, Program, RecordModel, Type } from "../model/model.js";
import { declsOf } from "../model/model.js";
import { arrayDims } from "../model/type-name.js";
import { recordLayout, sizeAlign } from "../layout/layout.js";
import { ioctlNumber } from "../layout/ioctl-numbers.js";
import { hex32 } from "../targets/ioctl-encoding.js";
import type { Target } from "../targets/targets.js";
import {
  compact, LOCK_VERSION,
  type AbiLock, type LockedEnum, type LockedFamily, type LockedField, type LockedIoctl, type LockedRange, type LockedType,
} from "./lock-model.js";

/** Spelling of a type in the lock: like the JSON model's, but anonymous records are `struct {…}`. */
export function lockTypeName(t: Type): string {
  switch (t.kind) {
    case "scalar": return t.alias ?? t.scalar.name;
    case "enum": return t.decl.name;
    case "record": return t.decl.anonymous ? `${t.decl.record} {…}` : t.decl.name;
    case "array": {
      const { element, dims } = arrayDims(t);
      return lockTypeName(element) + dims;
    }
  }
}

// aligned_u64 & co. store the same bits as u64 (their alignment shows in offsets); int is an s32.
const CANONICAL: Readonly<Record<string, string>> = {
  aligned_u64: "u64", aligned_s64: "s64", aligned_le64: "le64", aligned_be64: "be64", int: "s32", uint: "u32",
};

/** What a type stores, independent of how it is spelled: renaming an enum or alias keeps it. */
export function storageOf(t: Type): string {
  switch (t.kind) {
    case "scalar": return CANONICAL[t.scalar.name] ?? t.scalar.name;
    case "enum": return CANONICAL[t.decl.base.name] ?? t.decl.base.name;
    case "record": return t.decl.record;
    case "array": {
      const { element, dims } = arrayDims(t);
      return storageOf(element) + dims;
    }
  }
}

function range(r: { readonly min?: bigint; readonly max?: bigint } | undefined): LockedRange | undefined {
  return r === undefined ? undefined : { min: r.min?.toString() ?? null, max: r.max?.toString() ?? null };
}

interface Placed {
  readonly path: string;
  readonly arm: boolean;
  readonly field: FieldModel;
  readonly offset: number;
  readonly size: number;
}

/** The record under any array layers, and whether arrays were crossed. */
function innerRecord(t: Type): RecordModel | undefined {
  while (t.kind === "array") t = t.element;
  return t.kind === "record" ? t.decl : undefined;
}

/**
 * Every member of `rec` on one target along flattened paths. Anonymous members are promoted (as
 * in C); a nested record contributes its own entry and then its members (`exit_info.type`); an
 * array of records contributes its first element's members (`rules[].len`).
 */
function flatten(rec: RecordModel, target: Target, prefix: string, base: number, out: Placed[]): void {
  for (const fl of recordLayout(rec, target).fields) {
    const f = fl.field;
    const offset = base + fl.offset;
    const inner = innerRecord(f.type);
    if (f.name === undefined) {
      if (inner) flatten(inner, target, prefix, offset, out);
      continue;
    }
    const path = prefix + f.name;
    out.push({ path, arm: rec.record === "union", field: f, offset, size: fl.size });
    if (inner) flatten(inner, target, f.type.kind === "array" ? `${path}[].` : `${path}.`, offset, out);
  }
}

function perTarget(targets: readonly Target[], f: (t: Target) => number) {
  return compact(new Map(targets.map((t) => [t.name, f(t)])));
}

function lockedField(f: FieldModel, path: string, arm: boolean, offsets: Map<string, number>, sizes: Map<string, number>): LockedField {
  const values = f.values?.name ?? (f.type.kind === "enum" ? f.type.decl.name : undefined);
  const r = range(f.range);
  return {
    path,
    type: lockTypeName(f.type),
    storage: storageOf(f.type),
    role: f.role,
    offset: compact(offsets),
    size: compact(sizes),
    ...(r ? { range: r } : {}),
    ...(values ? { values } : {}),
    ...(f.ptr ? { ptr: { len: f.ptr.lenField ?? null, to: f.ptr.target ? lockTypeName(f.ptr.target) : null } } : {}),
    ...(f.fd ? { fd: { none: f.fd.none?.toString() ?? null, kind: f.fd.kind ?? null } } : {}),
    ...(f.isString ? { string: true as const } : {}),
    ...(arm ? { arm: true as const } : {}),
  };
}

/** The full layout of a type on every target. */
export function lockType(t: Type, targets: readonly Target[]): LockedType {
  const rec = t.kind === "record" ? t.decl : undefined;
  const fields: LockedField[] = [];
  if (rec) {
    const perT = targets.map((tg) => {
      const out: Placed[] = [];
      flatten(rec, tg, "", 0, out);
      return { tg, out };
    });
    const first = perT[0]?.out ?? [];
    first.forEach((p, i) => {
      const offsets = new Map<string, number>();
      const sizes = new Map<string, number>();
      for (const { tg, out } of perT) {
        offsets.set(tg.name, out[i]!.offset);
        sizes.set(tg.name, out[i]!.size);
      }
      fields.push(lockedField(p.field, p.path, p.arm, offsets, sizes));
    });
  }
  return {
    type: lockTypeName(t),
    storage: storageOf(t),
    size: perTarget(targets, (tg) => sizeAlign(t, tg).size),
    align: perTarget(targets, (tg) => sizeAlign(t, tg).align),
    ...(rec?.packed ? { packed: true as const } : {}),
    fields,
  };
}

function lockIoctl(io: IoctlModel, targets: readonly Target[]): LockedIoctl {
  const vr = io.value ? range(io.value.range) : undefined;
  return {
    dir: io.dir,
    magic: io.magic,
    nr: io.nr,
    ...(io.legacy ? { legacy: true as const } : {}),
    on: io.on?.name ?? null,
    returns: io.returns.what === "fd" ? `fd ${io.returns.fd.name}` : io.returns.what,
    ...(io.value ? { value: { type: io.value.type.name, range: vr ?? null } } : {}),
    errors: [...new Set(io.errors.map((e) => e.errno))].sort(),
    arg: io.arg ? lockType(io.arg, targets) : null,
    numbers: Object.fromEntries(targets.map((t) => [t.name, hex32(ioctlNumber(io, t))])),
  };
}

function lockFamily(f: FamilyModel, targets: readonly Target[]): LockedFamily {
  const errnos = (es: readonly { errno: string }[]) => [...new Set(es.map((e) => e.errno))].sort();
  const enums: Record<string, LockedEnum> = {};
  for (const e of declsOf(f, "enum")) {
    enums[e.name] = {
      flavor: e.flavor,
      base: e.base.name,
      ...(e.bitIndex ? { bitIndex: true as const } : {}),
      members: e.members.map((m) => ({ name: m.name, value: m.value.toString(), ...(m.sentinel ? { sentinel: true as const } : {}) })),
    };
  }
  const messages: Record<string, LockedFamily["messages"][string]> = {};
  const commands: Record<string, LockedFamily["commands"][string]> = {};
  for (const p of declsOf(f, "protocol")) {
    for (const m of p.messages) {
      messages[`${p.name}.${m.name}`] = {
        transport: p.transport,
        request: lockType(m.request, targets),
        reply: m.reply ? lockType(m.reply, targets) : null,
        errors: errnos(m.errors),
      };
    }
    for (const c of p.commands) commands[`${p.name}.${c.name}`] = { params: c.params, errors: errnos(c.errors) };
  }
  return {
    header: f.header,
    constants: Object.fromEntries(declsOf(f, "const").map((c) => [c.name, { value: c.value.toString() }])),
    enums,
    records: Object.fromEntries(declsOf(f, "record").map((r) => [r.name, lockType({ kind: "record", decl: r }, targets)])),
    fds: Object.fromEntries(declsOf(f, "fd").map((d) => [d.name, {
      path: d.path ?? null,
      mmap: d.mmap ? lockType({ kind: "record", decl: d.mmap }, targets) : null,
    }])),
    ioctls: Object.fromEntries(declsOf(f, "ioctl").map((io) => [io.name, lockIoctl(io, targets)])),
    messages,
    commands,
  };
}

/** The lock of a program on the given targets; families in program order (by spec path). */
export function buildLock(program: Program, targets: readonly Target[]): AbiLock {
  return {
    version: LOCK_VERSION,
    generator: "abigen",
    targets: targets.map((t) => t.name),
    families: Object.fromEntries(program.families.map((f) => [f.name, lockFamily(f, targets)])),
  };
}
