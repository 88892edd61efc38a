/**
 * The proof of the layout engine and of ioctl numbering: a self-contained C file that declares
 * every record of a program the way a uapi header would and asserts, with _Static_assert, every
 * size, alignment and member offset our layout computed for one target, and every ioctl number
 * as computed by the kernel's own _IOC macros. Compiled by the target's GCC
 * (`<cc> -std=gnu11 -ffreestanding -fsyntax-only -x c -`), it fails if we and GCC disagree on
 * anything.
 *
 * Deliberately separate from the C header emitter: this is test scaffolding, plain and literal.
 * Arrays are checked at their first and last element in each dimension (that pins the stride).
 */
import type { IoctlModel, Program, RecordModel, Type } from "../model/model.js";
import type { Target } from "../targets/targets.js";
import { hex32 } from "../targets/ioctl-encoding.js";
import { ioctlArgSize, ioctlNumber } from "./ioctl-numbers.js";
import { recordLayout, sizeAlign } from "./layout.js";
import { allRecords, elementType } from "./records.js";
import { IOC_MACRO } from "../targets/ioctl-macros.js";

export interface CAssertOptions {
  /**
   * Take the integer types and _IOC macros from the target's installed kernel headers
   * (<linux/types.h>, <asm/ioctl.h>) instead of the built-in copies: checks the copies themselves.
   */
  readonly kernelHeaders?: boolean;
}

export function cAssertsForTarget(program: Program, target: Target, options: CAssertOptions = {}): string {
  const out: string[] = [
    `/* abigen layout and ioctl-number proof for ${target.name} (${target.cc}). Generated; do not edit. */`,
    options.kernelHeaders ? KERNEL_HEADERS : builtinPrelude(target),
    targetAsserts(target),
  ];
  const sites = allRecords(program);
  // Stand-alone anonymous records (inline ioctl arguments, aliases, messages) get a typedef name.
  const names = new Map<RecordModel, string>();
  for (const s of sites) {
    if (!s.record.anonymous) names.set(s.record, `${s.record.record} ${s.record.name}`);
    else if (!s.embedded) names.set(s.record, `abigen_anon_${names.size}`);
  }
  const c = new CWriter(names);

  // Declarations, each record after the records it contains by value.
  const done = new Set<RecordModel>();
  const declare = (rec: RecordModel): void => {
    if (done.has(rec)) return;
    done.add(rec);
    for (const dep of valueDeps(rec)) declare(dep);
    const name = names.get(rec)!;
    out.push(rec.anonymous ? `typedef ${c.recordType(rec, "")} ${name};` : `${c.recordType(rec, "")};`, "");
  };
  for (const s of sites) if (names.has(s.record)) declare(s.record);

  for (const s of sites) {
    const name = names.get(s.record);
    if (name) out.push(...recordAsserts(s.record, name, target), "");
  }

  for (const fam of program.families) {
    for (const d of fam.decls) if (d.kind === "ioctl") out.push(...ioctlAsserts(d, target, c));
  }
  return out.join("\n") + "\n";
}

const KERNEL_HEADERS = `#include <linux/types.h>
#include <asm/ioctl.h>
/* __aligned_s64 arrived in <linux/types.h> later than the others (older sysroots lack it). */
#ifndef __aligned_s64
#define __aligned_s64 __s64 __attribute__((aligned(8)))
#endif
`;

/** What <linux/types.h> and <asm/ioctl.h> provide, written out so the file needs no headers. */
function builtinPrelude(target: Target): string {
  const e = target.ioctl;
  return `typedef unsigned char __u8;
typedef signed char __s8;
typedef unsigned short __u16;
typedef signed short __s16;
typedef unsigned int __u32;
typedef signed int __s32;
typedef unsigned long long __u64;
typedef signed long long __s64;
typedef __u16 __le16;
typedef __u32 __le32;
typedef __u64 __le64;
typedef __u16 __be16;
typedef __u32 __be32;
typedef __u64 __be64;
/* As <linux/types.h> spells them: macros, so the attribute sits on the member (and survives packed). */
#define __aligned_u64 __u64 __attribute__((aligned(8)))
#define __aligned_s64 __s64 __attribute__((aligned(8)))
#define __aligned_le64 __le64 __attribute__((aligned(8)))
#define __aligned_be64 __be64 __attribute__((aligned(8)))

/* <asm-generic/ioctl.h> with the ${e.name} encoding's overrides. */
#define _IOC_NRBITS 8
#define _IOC_TYPEBITS 8
#define _IOC_SIZEBITS ${e.sizeBits}
#define _IOC_DIRBITS ${e.dirBits}
#define _IOC_NRSHIFT 0
#define _IOC_TYPESHIFT (_IOC_NRSHIFT + _IOC_NRBITS)
#define _IOC_SIZESHIFT (_IOC_TYPESHIFT + _IOC_TYPEBITS)
#define _IOC_DIRSHIFT (_IOC_SIZESHIFT + _IOC_SIZEBITS)
#define _IOC_NONE ${e.none}U
#define _IOC_READ ${e.read}U
#define _IOC_WRITE ${e.write}U
#define _IOC(dir, type, nr, size) \\
  (((dir) << _IOC_DIRSHIFT) | ((type) << _IOC_TYPESHIFT) | ((nr) << _IOC_NRSHIFT) | ((size) << _IOC_SIZESHIFT))
#define _IOC_TYPECHECK(t) (sizeof(t))
#define _IO(type, nr) _IOC(_IOC_NONE, (type), (nr), 0)
#define _IOR(type, nr, size) _IOC(_IOC_READ, (type), (nr), (_IOC_TYPECHECK(size)))
#define _IOW(type, nr, size) _IOC(_IOC_WRITE, (type), (nr), (_IOC_TYPECHECK(size)))
#define _IOWR(type, nr, size) _IOC(_IOC_READ | _IOC_WRITE, (type), (nr), (_IOC_TYPECHECK(size)))
`;
}

function targetAsserts(target: Target): string {
  return `#define offsetof(T, M) __builtin_offsetof(T, M)

/* The target data the layout engine uses. */
_Static_assert(sizeof(long) == ${target.sizes.long}, "sizeof(long) on ${target.name}");
_Static_assert(sizeof(void *) == ${target.sizes.ptr}, "sizeof(void *) on ${target.name}");
`;
}

/** Prints C declarations of model types. */
class CWriter {
  constructor(private readonly names: ReadonlyMap<RecordModel, string>) {}

  /** `T declarator` — a declaration of `declarator` (may be empty: an abstract type) with type `type`. */
  declaration(type: Type, declarator: string, indent = ""): string {
    let dims = "";
    let t = type;
    while (t.kind === "array") {
      dims += `[${t.length ?? ""}]`;
      t = t.element;
    }
    const d = declarator + dims;
    switch (t.kind) {
      case "scalar":
        return t.scalar.cType.endsWith("*") ? `${t.scalar.cType}${d}` : `${t.scalar.cType} ${d}`.trimEnd();
      case "enum":
        return `${t.decl.base.cType} ${d}`.trimEnd();
      case "record": {
        // Named records and stand-alone anonymous ones have a C name; embedded anonymous ones are written inline.
        const named = this.names.get(t.decl);
        return (named ? `${named} ${d}` : this.recordType(t.decl, d, indent)).trimEnd();
      }
    }
  }

  /** The full `struct attrs name { … } declarator` text of a record. */
  recordType(rec: RecordModel, declarator: string, indent = ""): string {
    const attrs: string[] = [];
    if (rec.packed) attrs.push("packed");
    if (rec.aligned !== undefined) attrs.push(`aligned(${rec.aligned})`);
    const head = [rec.record, attrs.length ? `__attribute__((${attrs.join(", ")}))` : "", rec.anonymous ? "" : rec.name]
      .filter(Boolean)
      .join(" ");
    const inner = indent + "  ";
    const body = rec.fields.map((f) => `${inner}${this.declaration(f.type, f.name ?? "", inner)};`).join("\n");
    return `${head} {\n${body}\n${indent}}${declarator ? " " + declarator : ""}`;
  }
}

/** Named records this record contains by value (directly or through anonymous parts and arrays). */
function valueDeps(rec: RecordModel): RecordModel[] {
  const deps: RecordModel[] = [];
  for (const f of rec.fields) {
    const el = elementType(f.type);
    if (el.kind !== "record") continue;
    if (el.decl.anonymous) deps.push(...valueDeps(el.decl));
    else deps.push(el.decl);
  }
  return deps;
}

function recordAsserts(rec: RecordModel, cName: string, target: Target): string[] {
  const lay = recordLayout(rec, target);
  const label = `${rec.name} on ${target.name}`;
  const lines = [
    `_Static_assert(sizeof(${cName}) == ${lay.size}, "sizeof ${label}");`,
    `_Static_assert(_Alignof(${cName}) == ${lay.align}, "alignof ${label}");`,
  ];
  for (const m of members(rec, target, "", 0)) {
    lines.push(`_Static_assert(offsetof(${cName}, ${m.path}) == ${m.offset}, "offsetof ${m.path} in ${label}");`);
    if (m.size !== undefined) {
      lines.push(`_Static_assert(sizeof(((${cName} *)0)->${m.path}) == ${m.size}, "sizeof ${m.path} in ${label}");`);
    }
  }
  return lines;
}

interface Member {
  /** A C member designator: `a.b[3].c`. */
  readonly path: string;
  readonly offset: number;
  /** Undefined for a flexible array member (sizeof of an incomplete array is not C). */
  readonly size?: number;
}

/** Every member designator of a record, with offsets from our layout; arrays at first and last index. */
function members(rec: RecordModel, target: Target, prefix: string, base: number): Member[] {
  const out: Member[] = [];
  for (const fl of recordLayout(rec, target).fields) {
    const offset = base + fl.offset;
    if (fl.field.name === undefined) {
      // Anonymous member: its fields are named as if they were the parent's.
      const el = elementType(fl.field.type);
      if (el.kind === "record") out.push(...members(el.decl, target, prefix, offset));
      continue;
    }
    const path = prefix + fl.field.name;
    out.push({ path, offset, size: fl.field.type.kind === "array" && fl.field.type.length === null ? undefined : fl.size });
    out.push(...inside(fl.field.type, target, path, offset));
  }
  return out;
}

/** Designators inside a member of type `type` at `path`/`offset`: array elements and record fields. */
function inside(type: Type, target: Target, path: string, offset: number): Member[] {
  if (type.kind === "record") return members(type.decl, target, path + ".", offset);
  if (type.kind !== "array") return [];
  const stride = sizeAlign(type.element, target).size;
  const indexes = type.length === null || type.length === 1 ? [0] : [0, type.length - 1];
  return indexes.flatMap((i) => {
    const p = `${path}[${i}]`;
    const o = offset + i * stride;
    return [{ path: p, offset: o, size: stride }, ...inside(type.element, target, p, o)];
  });
}

function ioctlAsserts(io: IoctlModel, target: Target, c: CWriter): string[] {
  const number = `${hex32(ioctlNumber(io, target))}u`;
  const label = `${io.name} on ${target.name}`;
  const lines: string[] = [];
  const argType = io.arg ? c.declaration(io.arg, "") : undefined;
  if (io.legacy) {
    // Literal numbers: nothing for C to compute; the define mirrors the spec for completeness.
    lines.push(`#define ${io.name}_NUMBER ${number}`);
  } else {
    const magic = "0x" + io.magic.toString(16);
    const args = argType && io.dir !== "none" ? `${magic}, ${io.nr}, ${argType}` : `${magic}, ${io.nr}`;
    lines.push(`#define ${io.name}_NUMBER ${IOC_MACRO[io.dir]}(${args})`);
  }
  lines.push(`_Static_assert(${io.name}_NUMBER == ${number}, "number of ${label}");`);
  if (argType !== undefined) {
    lines.push(`_Static_assert(sizeof(${argType}) == ${ioctlArgSize(io, target)}, "argument size of ${label}");`);
  }
  return lines;
}
