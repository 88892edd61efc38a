/**
 * The uapi header of each family, `c/<family header path>` (e.g. `c/linux/uvirtio.h`), written
 * the way a kernel reviewer expects one: SPDX line, include guard, <linux/types.h> types,
 * kernel-doc, enums, structs with their padding as written, and `_IOW(…)` ioctl numbers.
 *
 * It must compile quietly under `gcc -std=c90 -pedantic -Wall -Wextra -Wpadded`, under g++, and
 * with every target's compiler (test/emit/c-*.test.ts proves it, layout-test.ts checks the
 * layouts against abigen's).
 */
import type {
  AliasModel, ConstModel, DeclModel, EnumMemberModel, EnumModel, FamilyModel, IoctlModel, Program, ProtocolModel,
  RecordModel,
} from "../../model/model.js";
import { declsOf } from "../../model/model.js";
import { registry as committedRegistry } from "../../registry/registry.js";
import { codeCell, familyLines, linesOf, type FamilyLine } from "../../registry/family-lines.js";
import type { Target } from "../../targets/targets.js";
import { emitFamilies, type FamilyEmitter, type OutputFiles } from "../output.js";
import { cDefineValue, cExpr } from "./c-expr.js";
import { cIntLiteral, cIntValue, fitsInt } from "./c-int.js";
import { bodyLines, cTypeName, declarationLines, recordAttributes } from "./c-types.js";
import { includedHeaders, orderForC } from "./dependencies.js";
import { blockComment, enumDoc, hanging, plainDoc, recordDoc } from "./kernel-doc.js";
import { indexProgram, type ProgramIndex } from "./program-index.js";
import { targetsCondition } from "./target-macros.js";
import { template } from "./templates.js";
import { IOC_MACRO } from "../../targets/ioctl-macros.js";

/** `linux/uvirtio.h` → `_UAPI_LINUX_UVIRTIO_H`. */
export function includeGuard(header: string): string {
  return "_UAPI_" + header.toUpperCase().replace(/[^A-Z0-9]+/g, "_");
}

/** Where a family's header goes under generated/. */
export function headerPath(f: FamilyModel): string {
  return `c/${f.header}`;
}

function constBlock(c: ConstModel, index: ProgramIndex): string {
  // A char constant whose written form is not at hand is still a char to the reader.
  const asChar = !c.expr && c.isChar && c.value >= 0n && c.value < 0x100n;
  const value = asChar ? magicLiteral(Number(c.value)) : cDefineValue(c.expr, c.value, index);
  return template("c/defines.h.hbs")({ doc: plainDoc(c.doc), defines: [{ name: c.name, value }] });
}

/**
 * The C text of each member's value, or nothing when C's implicit "previous + 1" gives it
 * (enums and bit-index flags count that way; mask flags take the next free bit, so they always
 * print their value).
 */
function memberValue(e: EnumModel, m: EnumMemberModel, prev: bigint | undefined, index: ProgramIndex): string | undefined {
  if (m.expr) return cExpr(m.expr, m.value, index);
  const implicit = prev === undefined ? 0n : prev + 1n;
  if (m.value === implicit && (e.flavor === "enum" || e.bitIndex)) return undefined;
  return cIntLiteral(m.value, e.flavor === "flags");
}

/**
 * A C enum, whose constants C requires to fit `int`. An enum or flags with larger values (a
 * u64 mask at bit 40) is written as defines instead, with the comment saying which it was.
 */
function enumBlock(e: EnumModel, index: ProgramIndex): string {
  const values = e.members.map((m, i) => memberValue(e, m, i === 0 ? undefined : e.members[i - 1]!.value, index));
  if (e.members.length > 0 && e.members.every((m) => fitsInt(m.value))) {
    const members = e.members.map((m, i) => (values[i] === undefined ? m.name : `${m.name} = ${values[i]}`));
    return template("c/enum.h.hbs")({ doc: enumDoc(e), name: e.name, members });
  }
  const note = `${e.flavor} ${e.name}: ${e.members.length === 0 ? "no members" : "values exceed int, so these are defines"}.`;
  const doc = e.doc ? plainDoc(e.doc, [note]) : blockComment([note]);
  const defines = e.members.map((m) => ({
    name: m.name,
    value: m.expr ? cDefineValue(m.expr, m.value, index) : cIntValue(m.value, e.flavor === "flags"),
  }));
  return template("c/defines.h.hbs")({ doc, defines });
}

function recordBlock(r: RecordModel, index: ProgramIndex): string {
  return template("c/record.h.hbs")({
    doc: recordDoc(r),
    keyword: r.record,
    name: r.name,
    members: bodyLines(r, index),
    attributes: recordAttributes(r),
  });
}

function aliasBlock(a: AliasModel, index: ProgramIndex): string {
  const lines = declarationLines(a.type, a.name, index);
  lines[0] = "typedef " + lines[0];
  return template("c/lines.h.hbs")({ doc: plainDoc(a.doc), lines });
}

function returnsText(io: IoctlModel): string {
  switch (io.returns.what) {
    case "zero": return "0 on success";
    case "count": return "a count on success";
    case "value": return "a value on success";
    case "fd": return `a new ${io.returns.fd.name} fd on success`;
  }
}

function ioctlDocLines(io: IoctlModel): string[] {
  const extra: string[] = [];
  const on = io.on ? `Issued on a ${io.on.name} fd${io.on.path ? ` (${io.on.path})` : ""}.` : "";
  const returns = io.returns.what === "zero" ? "" : `Returns ${returnsText(io)}.`;
  if (on || returns) extra.push([on, returns].filter((x) => x !== "").join(" "));
  if (io.value) extra.push(`The argument is a ${io.value.type.name} passed by value.`);
  if (io.errors.length > 0) {
    extra.push("Errors:");
    for (const e of io.errors) {
      extra.push(...(e.text === undefined ? [`  ${e.errno}`] : hanging(`  ${e.errno} - ${e.text}`, e.errno.length + 5)));
    }
  }
  return plainDoc(io.doc, extra);
}

/** A magic with no written form: the character when it is a plain printable one, as in uapi. */
function magicLiteral(magic: number): string {
  const code = codeCell(magic);
  return code.startsWith("'") ? code : cIntLiteral(BigInt(magic), true);
}

function ioctlNumberText(io: IoctlModel, index: ProgramIndex): string {
  const magic = io.magicExpr ? cExpr(io.magicExpr, BigInt(io.magic), index) : magicLiteral(io.magic);
  const nr = io.nrExpr ? cExpr(io.nrExpr, BigInt(io.nr), index) : cIntLiteral(BigInt(io.nr), true);
  const args = [magic, nr, ...(io.dir !== "none" && io.arg ? [cTypeName(io.arg, index)] : [])];
  return `${IOC_MACRO[io.dir]}(${args.join(", ")})`;
}

function legacyText(n: number): string {
  return "0x" + (n >>> 0).toString(16);
}

function ioctlBlock(io: IoctlModel, index: ProgramIndex, registry: readonly string[]): string {
  const doc = ioctlDocLines(io);
  const head = registry.length > 0 ? blockComment(["ioctl-number.rst:", ...registry]).join("\n") + "\n\n" : "";
  if (!io.legacy) return head + template("c/ioctl.h.hbs")({ doc, name: io.name, value: ioctlNumberText(io, index), overrides: [] });
  // Per-target numbers: one branch per distinct number, targets of the same number together.
  const byNumber = new Map<number, string[]>();
  for (const [target, n] of io.legacy.overrides) {
    if (n === io.legacy.number) continue;
    byNumber.set(n, [...(byNumber.get(n) ?? []), target]);
  }
  const overrides = [...byNumber].map(([n, targets]) => ({ condition: targetsCondition(targets), value: legacyText(n) }));
  return head + template("c/ioctl.h.hbs")({ doc, name: io.name, value: legacyText(io.legacy.number), overrides });
}

/** A protocol has no C declaration of its own: a comment tells which records travel how. */
function protocolBlock(p: ProtocolModel, index: ProgramIndex): string {
  const lines = [`Protocol ${p.name} (${p.transport}${p.maxLen !== undefined ? `, lines of at most ${p.maxLen} bytes` : ""}):`];
  for (const m of p.messages) {
    const reply = m.reply ? ` -> ${cTypeName(m.reply, index)}` : "";
    lines.push(...hanging(`  ${m.name}: ${cTypeName(m.request, index)}${reply}${m.doc ? ` - ${m.doc.replace(/\s+/g, " ")}` : ""}`, 4));
  }
  for (const c of p.commands) {
    const line = [c.name, ...c.params.map((x) => `<${x}>`)].join(" ");
    lines.push(...hanging(`  "${line}"${c.doc ? ` - ${c.doc.replace(/\s+/g, " ")}` : ""}`, 4));
  }
  return template("c/lines.h.hbs")({ doc: plainDoc(p.doc, lines), lines: [] });
}

function declBlock(d: DeclModel, index: ProgramIndex, registry: () => string[]): string | undefined {
  switch (d.kind) {
    case "const": return constBlock(d, index);
    case "enum": return enumBlock(d, index);
    case "record": return recordBlock(d, index);
    case "alias": return aliasBlock(d, index);
    case "ioctl": return ioctlBlock(d, index, registry());
    case "protocol": return protocolBlock(d, index);
    case "fd": return undefined; // no C declaration; ioctl comments name the fd
  }
}

/**
 * What the header says about ioctl-number.rst: the lines the family would add (as the table
 * writes them, `conflict!` included), and the types its own rows already cover.
 */
function registryComment(f: FamilyModel, lines: readonly FamilyLine[]): string[] {
  return linesOf(lines, f).flatMap(({ range, line }) => [
    ...(line === undefined ? [] : [line]),
    ...(range.ownRows.length === 0 ? [] : [
      `${codeCell(range.type)} ${range.ownRows.map((r) => r.seq).join(", ")}: already registered for ${f.header}`,
    ]),
  ]);
}

/** The family's header; `lines` are the program's ioctl-number.rst lines (familyLines). */
export function familyHeader(f: FamilyModel, index: ProgramIndex, lines: readonly FamilyLine[]): string {
  const ioctls = declsOf(f, "ioctl");
  const includes = ["linux/types.h"];
  if (ioctls.some((io) => !io.legacy)) includes.push("linux/ioctl.h");
  includes.push(...includedHeaders(f, index));
  // The registry rows go above the first ioctl, once.
  let registryShown = false;
  const registry = (): string[] => {
    if (registryShown) return [];
    registryShown = true;
    return registryComment(f, lines);
  };
  const blocks = orderForC(f, index).flatMap((d) => {
    const b = declBlock(d, index, registry);
    return b === undefined ? [] : [b.replace(/\n+$/, "")];
  });
  return template("c-header.h.hbs")({
    license: f.license,
    source: f.file,
    doc: plainDoc(f.doc),
    guard: includeGuard(f.header),
    includes,
    blocks,
  });
}

/** Every family's header, keyed by its path under generated/. */
export function emitCHeaders(program: Program, targets: readonly Target[]): OutputFiles {
  return emitFamilies(program, cHeaderEmitter(program, targets));
}

/** The program-wide lookups built once, then one family's header at a time. */
export function cHeaderEmitter(program: Program, targets: readonly Target[]): FamilyEmitter {
  const index = indexProgram(program, targets);
  const lines = familyLines(program, committedRegistry());
  return (f, into) => {
    into.set(headerPath(f), familyHeader(f, index, lines));
  };
}
