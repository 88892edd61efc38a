/**
 * The spec's `///` doc comments as C comments: kernel-doc for structs, unions and enums
 * (`/** struct foo - summary`, `@member: text`, nested members as `@outer.inner`, members of an
 * anonymous member as if they were the parent's — Documentation/doc-guide/kernel-doc.rst), and
 * plain block comments for defines, typedefs and ioctls.
 *
 * Comment text is made safe for C90 with -Wall: no `*\/` or `/*` inside (-Wcomment), no `??`
 * (a trigraph in C90 mode).
 */
import type { EnumModel, FieldModel, RecordModel, Type } from "../../model/model.js";
import { wrapWords } from "../wrap.js";

const WIDTH = 96;

export function sanitize(text: string): string {
  return text.replace(/\*\//g, "* /").replace(/\/\*/g, "/ *").replace(/\?\?/g, "? ?");
}

/** `text` as the inside of a block comment: ` * line` per line, ` *` for blank ones. */
function starLines(lines: readonly string[]): string[] {
  return lines.map((l) => (l === "" ? " *" : ` * ${l}`));
}

/** A plain comment holding `lines`; one line fits on `/* … *\/`. */
export function blockComment(lines: readonly string[]): string[] {
  const clean = lines.map(sanitize);
  if (clean.length === 1 && clean[0]!.length <= WIDTH) return [`/* ${clean[0]} */`];
  return ["/*", ...starLines(clean), " */"];
}

/** The first sentence of a doc (one line for the kernel-doc summary) and the rest as written. */
export function splitSummary(doc: string): { summary: string; rest: string[] } {
  const paragraphs = doc.split(/\n\s*\n/);
  const first = (paragraphs[0] ?? "").replace(/\s+/g, " ").trim();
  const m = /^(.*?[.!?])\s+(.*)$/.exec(first);
  const summary = m ? m[1]! : first;
  const tail = m ? m[2]! : "";
  const rest: string[] = tail === "" ? [] : wrapWords(tail, WIDTH);
  for (const p of paragraphs.slice(1)) {
    if (rest.length > 0) rest.push("");
    rest.push(...p.split("\n").map((l) => l.trimEnd()));
  }
  return { summary, rest };
}

interface MemberDoc {
  readonly path: string;
  readonly text: string;
  /** Said by abigen (padding, reserved), not by the spec's author. */
  readonly implied?: boolean;
}

function recordOf(t: Type): RecordModel | undefined {
  while (t.kind === "array") t = t.element;
  return t.kind === "record" && t.decl.anonymous ? t.decl : undefined;
}

function fieldDoc(path: string, f: FieldModel): MemberDoc | undefined {
  const doc = f.doc?.replace(/\s+/g, " ").trim();
  if (doc) return { path, text: doc };
  if (f.role === "padding") return { path, text: "padding; must be zero", implied: true };
  if (f.role === "reserved") return { path, text: "reserved for future use; must be zero", implied: true };
  return undefined;
}

/** Member docs in kernel-doc naming: `@expects`, `@expects.vq_name`, promoted anonymous members. */
function memberDocs(rec: RecordModel, prefix: string): MemberDoc[] {
  const out: MemberDoc[] = [];
  for (const f of rec.fields) {
    const inner = recordOf(f.type);
    if (f.name === undefined) {
      if (inner) out.push(...memberDocs(inner, prefix));
      continue;
    }
    const path = prefix + f.name;
    const doc = fieldDoc(path, f);
    if (doc) out.push(doc);
    if (inner) out.push(...memberDocs(inner, path + "."));
  }
  return out;
}

/** `first` wrapped, continuation lines indented by `indent` spaces (kernel-doc continues them). */
export function hanging(first: string, indent: number): string[] {
  const lead = /^\s*/.exec(first)![0];
  const [head = "", ...more] = wrapWords(first, WIDTH - lead.length);
  if (more.length === 0) return [lead + head];
  const pad = " ".repeat(indent);
  return [lead + head, ...wrapWords(more.join(" "), WIDTH - indent).map((l) => pad + l)];
}

function memberLines(docs: readonly MemberDoc[]): string[] {
  return docs.flatMap(({ path, text }) => hanging(`@${path}: ${text}`, Math.min(path.length + 3, 16)));
}

/**
 * kernel-doc when the declaration has a doc; a plain member list when only members do (and
 * more than abigen's own padding notes); else nothing.
 */
function kernelDoc(kind: string, name: string, doc: string | undefined, members: readonly MemberDoc[]): string[] {
  if (doc === undefined || doc.trim() === "") {
    const said = members.some((m) => !m.implied);
    return said ? ["/*", ...starLines(memberLines(members).map(sanitize)), " */"] : [];
  }
  const { summary, rest } = splitSummary(doc);
  const lines = [`${kind} ${name} - ${summary}`, ...memberLines(members)];
  if (rest.length > 0) lines.push("", ...rest);
  return ["/**", ...starLines(lines.map(sanitize)), " */"];
}

export function recordDoc(rec: RecordModel): string[] {
  return kernelDoc(rec.record, rec.name, rec.doc, memberDocs(rec, ""));
}

export function enumDoc(e: EnumModel): string[] {
  const members = e.members.flatMap((m) => {
    const text = m.doc?.replace(/\s+/g, " ").trim();
    return text ? [{ path: m.name, text }] : [];
  });
  return kernelDoc("enum", e.name, e.doc, members);
}

/** A doc as a plain comment (paragraphs kept), or nothing. */
export function plainDoc(doc: string | undefined, extra: readonly string[] = []): string[] {
  const lines = doc === undefined || doc.trim() === "" ? [] : doc.split("\n").map((l) => l.trimEnd());
  if (lines.length > 0 && extra.length > 0) lines.push("");
  lines.push(...extra);
  return lines.length === 0 ? [] : blockComment(lines);
}
