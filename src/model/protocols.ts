/**
 * `protocol NAME = pipe|socket|text { message …; command …; }` → ProtocolModel. Messages carry
 * structs or unions over pipes and sockets; commands are text lines (ABI080).
 */
import type { Clause, FileNode, ProtocolDecl } from "../syntax/ast.js";
import type { CommandModel, ErrorDoc, MessageModel, ProtocolModel, Type } from "./model.js";
import type { BuildContext, Site } from "./context.js";
import { checkAttributes, declSite } from "./attributes.js";
import { evaluate } from "./consteval.js";
import { resolveType } from "./types.js";
import { errorDoc } from "./ioctls.js";

export function buildProtocol(cx: BuildContext, decl: ProtocolDecl, file: FileNode): ProtocolModel {
  const site = declSite(cx, file, decl);
  const name = decl.name.name;
  const attrs = checkAttributes(cx, file, decl.attrs, "protocol");
  let maxLen: number | undefined;
  const maxAttr = attrs.get("max_len");
  if (maxAttr && decl.transport !== "text") {
    cx.report("ABI016", file, maxAttr.span, {
      message: `@max_len on ${decl.transport} protocol ${name}`,
      hint: "@max_len limits the line length of text protocols; pipe and socket messages have a fixed size",
    });
  } else if (maxAttr) {
    const arg = attrs.arg("max_len", 0);
    const v = arg && arg.kind !== "String" ? evaluate(cx, arg, site) : undefined;
    if (v !== undefined && (v < 1n || v > 0x7fff_ffffn)) {
      cx.report("ABI016", file, maxAttr.span, {
        message: `@max_len(${v}) is not a usable line length`,
        hint: "give the longest accepted line in bytes, at least 1",
      });
    } else if (v !== undefined) {
      maxLen = Number(v);
    }
  }

  const messages: MessageModel[] = [];
  const commands: CommandModel[] = [];
  const seen = new Map<string, { span: { start: number; end: number } }>();
  for (const item of decl.items ?? []) {
    checkAttributes(cx, file, item.attrs, item.kind === "Message" ? "message" : "command");
    const itemName = item.name?.name ?? "";
    const first = seen.get(itemName);
    if (first) {
      cx.report("ABI011", file, item.name.span, {
        message: `duplicate ${item.kind === "Message" ? "message" : "command"} ${itemName} in protocol ${name}`,
        hint: "rename one of them",
        related: [{ message: "first declared here", loc: cx.rep.loc(file, first.span) }],
      });
    } else {
      seen.set(itemName, item.name);
    }
    const errors = clauseErrors(cx, file, item.clauses ?? [], `${name}.${itemName}`);
    const doc = item.doc ? { doc: item.doc.text } : {};
    const loc = cx.rep.loc(file, item.span);
    if (item.kind === "Message") {
      if (decl.transport === "text") {
        cx.report("ABI080", file, item.span, {
          message: `text protocol ${name} has a message ${itemName}`,
          hint: "text protocols take `command NAME(params);` lines; fixed-size messages belong to pipe or socket protocols",
        });
      }
      const owner = `${name}.${itemName}`;
      const request = messageType(cx, site, item.request, `${owner}.request`, `request of message ${itemName}`);
      const reply = item.reply ? messageType(cx, site, item.reply, `${owner}.reply`, `reply of message ${itemName}`) : undefined;
      if (request) messages.push({ name: itemName, request, errors, loc, ...doc, ...(reply ? { reply } : {}) });
    } else {
      if (decl.transport !== "text") {
        cx.report("ABI080", file, item.span, {
          message: `${decl.transport} protocol ${name} has a text command ${itemName}`,
          hint: "commands belong to text protocols; a pipe or socket protocol exchanges `message NAME = Request -> Reply;`",
        });
      }
      commands.push({ name: itemName, params: (item.params ?? []).map((p) => p.name), errors, loc, ...doc });
    }
  }
  return {
    kind: "protocol", name, family: site.family, loc: cx.rep.loc(file, decl.span), allow: site.allow,
    transport: decl.transport, messages, commands,
    ...(decl.doc ? { doc: decl.doc.text } : {}),
    ...(maxLen !== undefined ? { maxLen } : {}),
  };
}

function messageType(cx: BuildContext, site: Site, te: Parameters<typeof resolveType>[1], owner: string, what: string): Type | undefined {
  const t = resolveType(cx, te, { ...site, owner });
  if (t && t.kind !== "record" && te) {
    cx.report("ABI080", site.file, te.span, {
      message: `the ${what} in protocol ${site.owner} is ${t.kind === "array" ? "an array" : "not a struct or union"}; messages are structs or unions`,
      hint: "wrap the data in a struct: messages are fixed-size records",
    });
    return undefined;
  }
  return t;
}

/** Protocol items document errors; other clauses belong to ioctls. */
function clauseErrors(cx: BuildContext, file: FileNode, clauses: readonly Clause[], what: string): ErrorDoc[] {
  const out: ErrorDoc[] = [];
  for (const c of clauses) {
    if (c.kind === "Error") {
      const e = errorDoc(cx, file, c);
      if (e) out.push(e);
    } else {
      cx.report("ABI080", file, c.span, {
        message: `${c.kind.toLowerCase()} clause in ${what}: protocol items take only error clauses`,
        hint: "document errors with `error ENAME \"when\";`; on/returns/value/number are ioctl clauses",
      });
    }
  }
  return out;
}
