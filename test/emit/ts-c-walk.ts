/**
 * The C side of the byte-exactness tests, written from the model independently of the TS
 * emitter: C declarations of every record (GCC lays them out), and one C program that, for a
 * record and a line of tokens, either reads bytes through the struct and prints every field
 * ("P") or fills the struct from values and prints its bytes ("F").
 *
 * Both sides walk a value in the same order — fields in declaration order, arrays element by
 * element, anonymous members inline, a union as its arm index followed by that arm — so a value
 * is a flat list of tokens: integers in decimal, char[N] and u8[N] as hex ("-" for ""), arm
 * indices as integers. The host must be little-endian (be* fields are byte-swapped in C).
 */
import type { FieldModel, Program, RecordModel, Scalar, Type } from "../../src/model/model.js";
import { declsOf } from "../../src/model/model.js";

// ---------------------------------------------------------------------------------------------
// C declarations

const C_TYPES: Record<string, string> = {
  u8: "uint8_t", u16: "uint16_t", u32: "uint32_t", u64: "uint64_t",
  s8: "int8_t", s16: "int16_t", s32: "int32_t", s64: "int64_t",
  le16: "uint16_t", le32: "uint32_t", le64: "uint64_t", be16: "uint16_t", be32: "uint32_t", be64: "uint64_t",
  aligned_u64: "abi_au64", aligned_s64: "abi_as64", aligned_le64: "abi_au64", aligned_be64: "abi_au64",
  char: "char", int: "int", uint: "unsigned int", long: "long", ulong: "unsigned long", ptr: "void *",
};

function scalarOf(type: Type): Scalar | undefined {
  return type.kind === "scalar" ? type.scalar : type.kind === "enum" ? type.decl.base : undefined;
}

/** Named records in dependency order (what a record uses by name is declared before it). */
function orderedRecords(program: Program): RecordModel[] {
  const out: RecordModel[] = [];
  const done = new Set<RecordModel>();
  const usesOf = (t: Type): RecordModel[] =>
    t.kind === "array" ? usesOf(t.element) : t.kind === "record" ? (t.decl.anonymous ? t.decl.fields.flatMap((f) => usesOf(f.type)) : [t.decl]) : [];
  const visit = (r: RecordModel): void => {
    if (done.has(r)) return;
    done.add(r);
    for (const f of r.fields) for (const u of usesOf(f.type)) visit(u);
    out.push(r);
  };
  for (const f of program.families) for (const r of declsOf(f, "record")) visit(r);
  return out;
}

// ---------------------------------------------------------------------------------------------
// The walk, in C

function isString(t: Type): t is Type & { kind: "array"; length: number } {
  return t.kind === "array" && t.length !== null && t.element.kind === "scalar" && t.element.scalar.isChar;
}

function isBytes(t: Type, f?: FieldModel): t is Type & { kind: "array"; length: number } {
  const plain = f === undefined || (f.range === undefined && f.values === undefined);
  return plain && t.kind === "array" && t.length !== null && t.element.kind === "scalar" && t.element.scalar.size === 1 && !t.element.scalar.signed;
}

const SWAP: Record<string, string> = { be16: "__builtin_bswap16", be32: "__builtin_bswap32", be64: "__builtin_bswap64", aligned_be64: "__builtin_bswap64" };

class CWalk {
  private depth = 0;

  leaf(sc: Scalar, lv: string): string {
    const swap = SWAP[sc.name];
    if (sc.name === "ptr") return `if (fill) ${lv} = (void *)(uintptr_t)in_u(); else out_u((uint64_t)(uintptr_t)${lv});`;
    const ct = C_TYPES[sc.name]!;
    if (sc.signed) return `if (fill) ${lv} = (${ct})in_s(); else out_s((int64_t)${sc.isChar ? "(signed char)" : ""}${lv});`;
    if (swap) return `if (fill) ${lv} = ${swap}((${ct})in_u()); else out_u((uint64_t)${swap}(${lv}));`;
    return `if (fill) ${lv} = (${ct})in_u(); else out_u((uint64_t)${lv});`;
  }

  value(t: Type, lv: string, f?: FieldModel): string {
    const sc = scalarOf(t);
    if (sc) return this.leaf(sc, lv);
    if (isString(t)) return `if (fill) in_str(${lv}, ${t.length}); else out_str(${lv}, ${t.length});`;
    if (isBytes(t, f)) return `if (fill) in_hex(${lv}, ${t.length}); else out_hex(${lv}, ${t.length});`;
    if (t.kind === "array") {
      if (t.length === null) return "";
      const i = `i${this.depth++}`;
      const body = this.value(t.element, `${lv}[${i}]`, f);
      this.depth--;
      return `for (int ${i} = 0; ${i} < ${t.length}; ${i}++) { ${body} }`;
    }
    if (t.kind !== "record") throw new Error("unreachable");
    if (!t.decl.anonymous) return `walk_${t.decl.name}(&${lv}, fill);`;
    return this.members(t.decl, `${lv}.`);
  }

  /** The members of a record, with `prefix` the lvalue prefix (`p->`, `p->rules[i0].`). */
  members(rec: RecordModel, prefix: string): string {
    const parts = rec.fields.map((f) =>
      f.name === undefined ? this.members((f.type as Type & { kind: "record" }).decl, prefix) : this.value(f.type, `${prefix}${f.name}`, f),
    );
    if (rec.record === "struct") return parts.join("\n");
    return `{ int arm = (int)in_s(); switch (arm) {\n${parts.map((p, k) => `case ${k}: { ${p} } break;`).join("\n")}\ndefault: abort(); } }`;
  }
}

const PRELUDE = `
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
typedef uint64_t abi_au64 __attribute__((aligned(8)));
typedef int64_t abi_as64 __attribute__((aligned(8)));

static char *tok_state;
static char *next_tok(void) {
  char *t = strtok_r(NULL, " \\n", &tok_state);
  if (!t) { fprintf(stderr, "missing token\\n"); exit(2); }
  return t;
}
static uint64_t in_u(void) { return strtoull(next_tok(), NULL, 10); }
static int64_t in_s(void) { return strtoll(next_tok(), NULL, 10); }
static int nibble(char c) { return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10; }
static void in_hex(void *dst, size_t n) {
  char *t = next_tok();
  unsigned char *d = dst;
  if (strcmp(t, "-") == 0) return;
  for (size_t i = 0; i < n && t[2 * i] && t[2 * i + 1]; i++) d[i] = (unsigned char)(nibble(t[2 * i]) << 4 | nibble(t[2 * i + 1]));
}
static void in_str(char *dst, size_t n) { in_hex(dst, n); }
static void out_u(uint64_t v) { printf(" %llu", (unsigned long long)v); }
static void out_s(int64_t v) { printf(" %lld", (long long)v); }
static void out_hex(const void *src, size_t n) {
  const unsigned char *s = src;
  if (n == 0) { printf(" -"); return; }
  static const char digits[] = "0123456789abcdef";
  putchar(' ');
  for (size_t i = 0; i < n; i++) { putchar(digits[s[i] >> 4]); putchar(digits[s[i] & 15]); }
}
static void out_str(const char *s, size_t n) { out_hex(s, strnlen(s, n)); }
`;

/**
 * The C program: the structs come from the generated uapi headers (compile with -I <the emitted
 * c/ dir>), then one walker per named record, and the request loop.
 */
export function cProgram(program: Program): { source: string; index: Map<RecordModel, number> } {
  const recs = orderedRecords(program);
  const decls = program.families.map((f) => `#include <${f.header}>\n`).join("");
  const protos = recs.map((r) => `static void walk_${r.name}(${r.record} ${r.name} *p, int fill);`).join("\n");
  const walkers = recs
    .map((r) => `static void walk_${r.name}(${r.record} ${r.name} *p, int fill) {\n${new CWalk().members(r, "p->")}\n}\n`)
    .join("\n");
  const index = new Map(recs.map((r, i) => [r, i] as const));
  const cases = recs
    .map((r, i) => `case ${i}: size = sizeof(${r.record} ${r.name}); if (fill) memset(buf, 0, size); else in_hex(buf, size); walk_${r.name}((${r.record} ${r.name} *)buf, fill); break;`)
    .join("\n");
  const main = `
static _Alignas(16) unsigned char buf[1 << 20];
int main(void) {
  char *line = NULL; size_t cap = 0;
  while (getline(&line, &cap, stdin) > 0) {
    char *op = strtok_r(line, " \\n", &tok_state);
    if (!op) continue;
    int fill = op[0] == 'F';
    int rec = (int)in_s();
    size_t size = 0;
    switch (rec) {
${cases}
    default: abort();
    }
    if (fill) out_hex(buf, size);
    putchar('\\n');
  }
  return 0;
}
`;
  return { source: `${PRELUDE}\n${decls}\n${protos}\n${walkers}\n${main}`, index };
}

// ---------------------------------------------------------------------------------------------
// The same walk over TS values

export interface Walked {
  /** Union arm choices, in walk order. */
  readonly arms: number[];
  /** Field values, in walk order (what "P" prints). */
  readonly leaves: string[];
  /** Arm choices and field values interleaved (what "F" reads). */
  readonly tokens: string[];
}

const enc = new TextEncoder();
const hexOf = (b: Uint8Array): string => (b.length === 0 ? "-" : Buffer.from(b).toString("hex"));

/**
 * Walk a TS value of `rec`. With `arms` given, unions take those arms in order (for decoded
 * values, which carry every arm); otherwise the arm is the one present (encode inputs).
 * Absent padding walks as zeros.
 */
export function walkValue(rec: RecordModel, value: unknown, arms?: number[]): Walked {
  const out: Walked = { arms: [], leaves: [], tokens: [] };
  const leaf = (s: string): void => {
    out.leaves.push(s);
    out.tokens.push(s);
  };
  const queue = arms ? [...arms] : undefined;
  const val = (t: Type, v: unknown, f?: FieldModel): void => {
    const sc = scalarOf(t);
    if (sc) return leaf(String(v ?? 0));
    if (isString(t)) return leaf(hexOf(enc.encode((v as string | undefined) ?? "")));
    if (isBytes(t, f)) return leaf(hexOf((v as Uint8Array | undefined) ?? new Uint8Array(t.length)));
    if (t.kind === "array") {
      if (t.length === null) return;
      for (let i = 0; i < t.length; i++) val(t.element, (v as unknown[] | undefined)?.[i], f);
      return;
    }
    if (t.kind === "record") mems(t.decl, (v ?? {}) as Record<string, unknown>);
  };
  const names = (r: RecordModel): string[] =>
    r.fields.flatMap((f) => (f.name === undefined ? names((f.type as Type & { kind: "record" }).decl) : [f.name]));
  const mems = (r: RecordModel, obj: Record<string, unknown>): void => {
    if (r.record === "union") {
      let arm: number;
      if (queue) arm = queue.shift()!;
      else {
        arm = r.fields.findIndex((f) =>
          f.name === undefined ? names((f.type as Type & { kind: "record" }).decl).some((n) => obj[n] !== undefined) : obj[f.name] !== undefined,
        );
        if (arm < 0) arm = 0;
      }
      out.arms.push(arm);
      out.tokens.push(String(arm));
      const f = r.fields[arm]!;
      if (f.name === undefined) mems((f.type as Type & { kind: "record" }).decl, obj);
      else val(f.type, obj[f.name], f);
      return;
    }
    for (const f of r.fields) {
      if (f.name === undefined) mems((f.type as Type & { kind: "record" }).decl, obj);
      else val(f.type, obj[f.name], f);
    }
  };
  mems(rec, (value ?? {}) as Record<string, unknown>);
  return out;
}
