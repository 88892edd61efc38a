/**
 * What a family's doc says, decided once for both formats: sections, tables and facts as
 * inline text (see inline.ts: `code` spans and cross-reference links). The Markdown and
 * reStructuredText templates only lay this out.
 */
import type {
  DeclModel, EnumModel, FamilyModel, FdKindModel, IoctlModel, ProtocolModel, RecordModel, Returns, Type,
} from "../../model/model.js";
import { declsOf } from "../../model/model.js";
import { ioctlArgSize } from "../../layout/ioctl-numbers.js";
import { sizeAlign } from "../../layout/layout.js";
import { hex32 } from "../../targets/ioctl-encoding.js";
import type { Target } from "../../targets/targets.js";
import { groupTargets, targetList } from "../../checks/target-groups.js";
import { familyRecords } from "../json.js";
import { code, link, paragraphs } from "./inline.js";
import { alignmentGroups, layoutGroups, targetNames } from "./layout-groups.js";
import { offsetText } from "./field-rows.js";
import { numberGroups } from "./number-groups.js";
import { codeCell, rowText, type FamilyLine } from "../../registry/family-lines.js";
import { ioctlC, recordC } from "./c-decl.js";
import { exprText, fieldAttributes, hex, isLiteral, rangeText, typeText, valueText } from "./values.js";
import { IOC_MACRO } from "../../targets/ioctl-macros.js";

/** A table: header cells and rows of cells; a cell's paragraphs are separated by "\n". */
export interface Table {
  readonly header: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

export interface Section {
  readonly anchor: string;
  readonly title: string;
  readonly doc: readonly string[];
  /** A C declaration for a code block. */
  readonly decl?: string;
  /** Bullet points. */
  readonly facts: readonly string[];
  readonly tables: readonly { readonly caption?: string; readonly table: Table }[];
  /** Relative path of a picture (from docs/), with its alt text. */
  readonly image?: { readonly path: string; readonly alt: string };
}

export interface FamilyView {
  readonly name: string;
  readonly header: string;
  readonly license: string;
  readonly source: string;
  readonly doc: readonly string[];
  readonly facts: readonly string[];
  readonly registry: { readonly lines: readonly string[]; readonly notes: readonly string[] };
  readonly ioctlTable?: Table;
  readonly ioctlLegend: readonly string[];
  readonly ioctls: readonly Section[];
  readonly records: readonly Section[];
  readonly enums: readonly Section[];
  readonly constants?: Table;
  readonly aliases?: Table;
  readonly fds: readonly Section[];
  readonly protocols: readonly Section[];
}

const DIR_WORDS: Record<IoctlModel["dir"], string> = {
  none: "no data: nothing is passed through the argument pointer",
  read: "user space reads: the kernel writes the argument",
  write: "user space writes: the kernel reads the argument",
  readwrite: "user space writes and reads: the kernel reads the argument and writes it back",
};
const DIR_SHORT: Record<IoctlModel["dir"], string> = {
  none: "none", read: "read (kernel → user)", write: "write (user → kernel)", readwrite: "read/write (both ways)",
};

export function anchorOf(d: DeclModel): string {
  switch (d.kind) {
    case "record": return `${d.record}-${d.name}`;
    case "enum": return `${d.flavor}-${d.name}`;
    case "ioctl": return `ioctl-${d.name}`;
    case "fd": return `fd-${d.name}`;
    case "protocol": return `protocol-${d.name}`;
    case "const": return `const-${d.name}`;
    case "alias": return `type-${d.name}`;
  }
}

function docOf(doc: string | undefined): string[] {
  return doc === undefined ? [] : paragraphs(doc);
}

/** A cell: the doc's paragraphs, "\n"-separated. */
function cellDoc(doc: string | undefined): string {
  return docOf(doc).join("\n");
}

class Builder {
  constructor(
    readonly f: FamilyModel,
    readonly targets: readonly Target[],
    readonly registryLines: readonly FamilyLine[],
  ) {}

  ref(d: DeclModel, text = code(d.name)): string {
    return link(d.family, d.family === this.f.name, anchorOf(d), text);
  }

  /** A type with links to the sections of the records and enums it names. */
  typeRef(t: Type): string {
    if (t.kind === "record" && !t.decl.anonymous) return this.ref(t.decl);
    if (t.kind === "enum") return this.ref(t.decl);
    if (t.kind === "array") {
      let e: Type = t;
      while (e.kind === "array") e = e.element;
      if ((e.kind === "record" && !e.decl.anonymous) || e.kind === "enum") {
        return `${this.ref(e.decl)} ${code(typeText(t).slice(typeText(e).length))}`;
      }
    }
    return code(typeText(t));
  }

  targetsText(ts: readonly Target[]): string {
    return targetList(ts, this.targets);
  }

  /** `24 bytes` or `8204 bytes (x86_64, …), 8200 bytes (i386, …)`. */
  sizesText(size: (t: Target) => number): string {
    const groups = groupTargets(this.targets, size, String);
    if (groups.length === 1) return `${groups[0]!.value} bytes`;
    return groups.map((g) => `${g.value} bytes (${targetNames(g.targets)})`).join("; ");
  }

  returnsText(r: Returns): string {
    switch (r.what) {
      case "zero": return "0 on success";
      case "count": return "a count on success";
      case "value": return "a value on success (see the description)";
      case "fd": return `a new ${this.ref(r.fd)} file descriptor`;
    }
  }

  // -------------------------------------------------------------------------------------------

  ioctlTable(ioctls: readonly IoctlModel[]): { table?: Table; legend: string[] } {
    if (ioctls.length === 0) return { legend: [] };
    const groups = numberGroups(ioctls, this.targets);
    const header = ["Ioctl", ...groups.map((g) => `${g.label} (${targetNames(g.targets)})`), "Direction", "Argument", "Returns", "On fd", "Errors"];
    const rows = ioctls.map((io, i) => [
      this.ref(io),
      ...groups.map((g) => code(hex32(g.numbers[i]!))),
      io.legacy ? `legacy number, ${DIR_SHORT[io.dir]}` : `${code(IOC_MACRO[io.dir])} ${DIR_SHORT[io.dir]}`,
      this.argumentText(io),
      this.returnsText(io.returns),
      io.on ? this.ref(io.on) : "—",
      io.errors.length ? io.errors.map((e) => code(e.errno)).join(", ") : "—",
    ]);
    const legend = groups.map((g) => `${g.label}: ${targetNames(g.targets)}`);
    return { table: { header, rows }, legend };
  }

  argumentText(io: IoctlModel): string {
    const parts: string[] = [];
    if (io.arg) parts.push(`${this.typeRef(io.arg)} (${this.sizesText((t) => ioctlArgSize(io, t))})`);
    if (io.value) parts.push(`value ${code(io.value.type.name)}${io.value.range ? " " + code(rangeText(io.value.range)) : ""}`);
    return parts.length ? parts.join("; ") : "—";
  }

  ioctlSection(io: IoctlModel): Section {
    const groups = numberGroups([io], this.targets);
    const facts: string[] = [];
    facts.push(`Number: ${groups.map((g) => `${code(hex32(g.numbers[0]!))} on ${this.targetsText(g.targets)}`).join("; ")}.`);
    facts.push(io.legacy
      ? `Direction: ${io.dir} — ${DIR_WORDS[io.dir]} (a legacy number, not built with \`_IOC\`).`
      : `Direction: ${code(IOC_MACRO[io.dir])} — ${DIR_WORDS[io.dir]}. Type ${code(valueText(BigInt(io.magic), undefined, true))}, nr ${code(hex(io.nr))}.`);
    if (io.arg) facts.push(`Argument: a pointer to ${this.typeRef(io.arg)}, ${this.sizesText((t) => ioctlArgSize(io, t))}.`);
    if (io.value) {
      const range = io.value.range ? `, ${code(rangeText(io.value.range))}` : "";
      facts.push(`Value argument: ${code(io.value.type.name)} passed in the argument register itself${range}.${io.value.doc ? ` ${docOf(io.value.doc).join(" ")}` : ""}`);
    }
    if (io.on) facts.push(`Issued on: ${this.ref(io.on)}.`);
    facts.push(`Returns: ${this.returnsText(io.returns)}; -1 with ${code("errno")} set on error.`);
    if (io.legacy && io.legacy.overrides.size > 0) {
      facts.push(`Per-target numbers: ${[...io.legacy.overrides].map(([t, n]) => `${t} ${code(hex32(n >>> 0))}`).join(", ")}.`);
    }
    const errors: Table = {
      header: ["Error", "When"],
      rows: io.errors.map((e) => [code(e.errno), [e.text, cellDoc(e.doc)].filter(Boolean).join(" — ")]),
    };
    return {
      anchor: anchorOf(io), title: io.name, doc: docOf(io.doc), decl: ioctlC(io), facts,
      tables: io.errors.length ? [{ caption: "Errors", table: errors }] : [],
    };
  }

  // -------------------------------------------------------------------------------------------

  recordSection(rec: RecordModel): Section {
    const groups = layoutGroups(rec, this.targets);
    const multi = groups.length > 1;
    const header = ["Field", "Type", ...groups.flatMap((g) => (multi ? [`Offset ${g.label}`, `Size ${g.label}`] : ["Offset", "Size"])), "Attributes", "Description"];
    const first = groups[0]!;
    const rows = first.rows.map((row, i) => {
      const f = row.field;
      const attrs = fieldAttributes(f).map(code);
      if (f.isString) attrs.push("NUL-padded string");
      const indent = "\u00a0\u00a0".repeat(row.depth);
      const typeCell = row.field.name === undefined && f.type.kind === "record" ? code(`${f.type.decl.record} { … }`) : this.typeRef(f.type);
      return [
        indent + code(row.path),
        typeCell,
        ...groups.flatMap((g) => [String(offsetText(g.rows[i]!.offset)), String(g.rows[i]!.size)]),
        attrs.join(" "),
        cellDoc(f.doc),
      ];
    });
    const aligns = alignmentGroups(rec, this.targets);
    const facts: string[] = [];
    facts.push(`Size: ${this.sizesText((t) => groups.find((g) => g.targets.includes(t))!.size)}.`);
    facts.push(`Alignment: ${aligns.length === 1 ? String(aligns[0]!.value) : aligns.map((a) => `${a.value} (${targetNames(a.targets)})`).join("; ")}.`);
    if (rec.packed) facts.push("Packed: members are not aligned (`__attribute__((packed))`).");
    if (multi) {
      facts.push(`The layout differs between targets: ${groups.map((g) => `layout ${g.label} on ${targetNames(g.targets)}`).join("; ")}.`);
    }
    const used = this.usedBy(rec);
    if (used.length) facts.push(`Used by: ${used.join(", ")}.`);
    return {
      anchor: anchorOf(rec),
      title: `${rec.record} ${rec.name}`,
      doc: docOf(rec.doc),
      decl: recordC(rec),
      facts,
      tables: [{ table: { header, rows } }],
      image: { path: `svg/${this.f.name}/${rec.name}.svg`, alt: rec.name },
    };
  }

  /** Ioctls, messages, fds and records of this family that use the record. */
  usedBy(rec: RecordModel): readonly string[] {
    this.users ??= this.userIndex();
    return this.users.get(rec) ?? [];
  }

  private users?: Map<RecordModel, string[]>;
  private reachMemo = new Map<RecordModel, ReadonlySet<RecordModel>>();

  /**
   * Every record a record's bytes contain: itself and, through fields and arrays, every record
   * nested in it (other families' and anonymous ones too). Memoized: shared nested records are
   * walked once per family, not once per record that asks.
   */
  private reach(r: RecordModel): ReadonlySet<RecordModel> {
    const known = this.reachMemo.get(r);
    if (known) return known;
    const out = new Set<RecordModel>([r]);
    this.reachMemo.set(r, out);
    for (const x of r.fields) this.addReach(x.type, out);
    return out;
  }

  private addReach(t: Type | undefined, into: Set<RecordModel>): void {
    while (t?.kind === "array") t = t.element;
    if (t?.kind === "record") for (const r of this.reach(t.decl)) into.add(r);
  }

  /**
   * Record → the refs of the decls that use it, in declaration order: one pass over the family
   * instead of one per record (which was quadratic in the family's size).
   */
  private userIndex(): Map<RecordModel, string[]> {
    const index = new Map<RecordModel, string[]>();
    const add = (r: RecordModel, text: string): void => {
      const list = index.get(r);
      if (list) list.push(text);
      else index.set(r, [text]);
    };
    for (const d of this.f.decls) {
      const used = new Set<RecordModel>();
      if (d.kind === "ioctl") this.addReach(d.arg, used);
      else if (d.kind === "record") {
        for (const x of d.fields) this.addReach(x.type, used);
        used.delete(d);
      } else if (d.kind === "protocol") {
        for (const m of d.messages) {
          this.addReach(m.request, used);
          this.addReach(m.reply, used);
        }
      } else if (d.kind === "fd" && d.mmap) {
        add(d.mmap, `${this.ref(d)} (mmap)`);
        continue;
      }
      if (used.size === 0) continue;
      const ref = this.ref(d);
      for (const r of used) add(r, ref);
    }
    return index;
  }

  // -------------------------------------------------------------------------------------------

  enumSection(e: EnumModel): Section {
    const isFlags = e.flavor === "flags";
    const header = isFlags ? ["Name", e.bitIndex ? "Bit" : "Value", "Mask", "Description"] : ["Name", "Value", "Description"];
    const rows = e.members.map((m) => {
      const name = code(m.name) + (m.sentinel ? " (sentinel: a count, not a value)" : "");
      const value = valueText(m.value, m.expr);
      const written = m.expr && !isLiteral(m.expr) ? ` = ${code(exprText(m.expr))}` : "";
      const mask = m.mask === undefined || m.sentinel ? "—" : code(hex(m.mask));
      return isFlags ? [name, code(value) + written, mask, cellDoc(m.doc)] : [name, code(value) + written, cellDoc(m.doc)];
    });
    const facts = [
      `Stored as ${code(e.base.name)}${isFlags && e.bitIndex ? "; each member is a bit number, the flag is `1 << value`" : ""}.`,
    ];
    return {
      anchor: anchorOf(e), title: `${e.flavor} ${e.name}`, doc: docOf(e.doc), facts, tables: [{ table: { header, rows } }],
    };
  }

  fdSection(fd: FdKindModel): Section {
    const facts: string[] = [];
    const returnedBy = declsOf(this.f, "ioctl").filter((io) => io.returns.what === "fd" && io.returns.fd === fd);
    if (fd.path) facts.push(`Opened from ${code(fd.path)}.`);
    if (returnedBy.length) facts.push(`Returned by ${returnedBy.map((io) => this.ref(io)).join(", ")}.`);
    if (!fd.path && !returnedBy.length) facts.push("Obtained outside the ioctls declared here.");
    if (fd.mmap) facts.push(`${code("mmap")} at offset 0 gives a ${this.ref(fd.mmap)}.`);
    const on = declsOf(this.f, "ioctl").filter((io) => io.on === fd);
    if (on.length) facts.push(`Ioctls: ${on.map((io) => this.ref(io)).join(", ")}.`);
    return { anchor: anchorOf(fd), title: `fd ${fd.name}`, doc: docOf(fd.doc), facts, tables: [] };
  }

  protocolSection(p: ProtocolModel): Section {
    const facts: string[] = [];
    const transport = {
      pipe: "a pipe: fixed-size records in the native ABI, a request then its reply",
      socket: "a socket: fixed-size records in the native ABI, a request then its reply",
      text: "text: one line per command, the command name and its parameters separated by single spaces",
    }[p.transport];
    facts.push(`Transport: ${transport}.`);
    if (p.maxLen !== undefined) facts.push(`Longest line: ${p.maxLen} bytes.`);
    const tables: { caption?: string; table: Table }[] = [];
    if (p.messages.length) {
      tables.push({
        caption: "Messages",
        table: {
          header: ["Message", "Request", "Reply", "Errors", "Description"],
          rows: p.messages.map((m) => [
            code(m.name),
            `${this.typeRef(m.request)} (${this.sizesText((t) => sizeOfType(m.request, t))})`,
            m.reply ? `${this.typeRef(m.reply)} (${this.sizesText((t) => sizeOfType(m.reply!, t))})` : "—",
            m.errors.length ? m.errors.map((e) => code(e.errno)).join(", ") : "—",
            cellDoc(m.doc),
          ]),
        },
      });
    }
    if (p.commands.length) {
      tables.push({
        caption: "Commands",
        table: {
          header: ["Command", "Line", "Errors", "Description"],
          rows: p.commands.map((c) => [
            code(c.name),
            code([c.name, ...c.params.map((x) => `<${x}>`)].join(" ")),
            c.errors.length ? c.errors.map((e) => code(e.errno)).join(", ") : "—",
            cellDoc(c.doc),
          ]),
        },
      });
    }
    const errorRows = [
      ...p.messages.flatMap((m) => m.errors.map((e) => [code(m.name), code(e.errno), e.text ?? ""])),
      ...p.commands.flatMap((c) => c.errors.map((e) => [code(c.name), code(e.errno), e.text ?? ""])),
    ];
    if (errorRows.length) tables.push({ caption: "Errors", table: { header: [p.transport === "text" ? "Command" : "Message", "Error", "When"], rows: errorRows } });
    return { anchor: anchorOf(p), title: `protocol ${p.name}`, doc: docOf(p.doc), facts, tables };
  }

  // -------------------------------------------------------------------------------------------

  build(): FamilyView {
    const f = this.f;
    const ioctls = declsOf(f, "ioctl");
    const { table: ioctlTable, legend } = this.ioctlTable(ioctls);
    const consts = declsOf(f, "const");
    const aliases = declsOf(f, "alias");
    const reg = this.registryLines;
    const notes = reg.flatMap(({ range, overlaps, overlapsFamilies }) => [
      ...(range.claim ? [] : [`Every ${code(codeCell(range.type))} number the family uses is already registered for ${code(f.header)}.`]),
      ...range.ownRows.map((r) => `Already registered for ${code(f.header)}: ${code(rowText(r))} (line ${r.line}).`),
      ...overlaps.map((r) => `Overlaps ${code(rowText(r))} (line ${r.line}).`),
      ...overlapsFamilies.map((name) => `Overlaps the ${code(codeCell(range.type))} line of family ${code(name)}.`),
    ]);
    const facts = [
      `Header: ${code(f.header)} (${f.license}).`,
      `Spec: ${code(f.file)}.`,
      ...(f.imports.length ? [`Uses: ${f.imports.map((i) => link(i, false, "top", code(i))).join(", ")}.`] : []),
      `Targets: ${targetNames(this.targets)}.`,
    ];
    return {
      name: f.name,
      header: f.header,
      license: f.license,
      source: f.file,
      doc: docOf(f.doc),
      facts,
      registry: { lines: reg.flatMap((l) => (l.line === undefined ? [] : [l.line])), notes },
      ...(ioctlTable ? { ioctlTable } : {}),
      ioctlLegend: legend,
      ioctls: ioctls.map((io) => this.ioctlSection(io)),
      records: familyRecords(f).filter((r) => !r.anonymous).map((r) => this.recordSection(r)),
      enums: declsOf(f, "enum").map((e) => this.enumSection(e)),
      ...(consts.length ? {
        constants: {
          header: ["Name", "Value", "Definition", "Description"],
          rows: consts.map((c) => [
            code(c.name) + (c.type ? ` (${code(c.type.name)})` : ""),
            code(valueText(c.value, c.expr, c.isChar)),
            c.expr && !isLiteral(c.expr) ? code(exprText(c.expr)) : "—",
            cellDoc(c.doc),
          ]),
        },
      } : {}),
      ...(aliases.length ? {
        aliases: {
          header: ["Name", "Type", "Description"],
          rows: aliases.map((a) => [code(a.name), this.typeRef(a.type), cellDoc(a.doc)]),
        },
      } : {}),
      fds: declsOf(f, "fd").map((d) => this.fdSection(d)),
      protocols: declsOf(f, "protocol").map((p) => this.protocolSection(p)),
    };
  }
}

function sizeOfType(t: Type, target: Target): number {
  return sizeAlign(t, target).size;
}

/** `registryLines`: the family's ioctl-number.rst lines (linesOf(familyLines(…), f)). */
export function familyView(f: FamilyModel, targets: readonly Target[], registryLines: readonly FamilyLine[]): FamilyView {
  return new Builder(f, targets, registryLines).build();
}
