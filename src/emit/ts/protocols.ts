/**
 * `ts/<family>/protocol.ts`: a typed client per `pipe`/`socket` protocol of a family. Each message
 * becomes a method that encodes the request with the family's codec, hands the bytes to a
 * transport (anything with `sendRecv(request, replySize)`: the runtime's UmdManager, a socket
 * wrapper, a test double) and decodes exactly the reply's size. `text` protocols have no records
 * to encode and get no client here.
 *
 * The transport is declared structurally in the generated file, so the package keeps depending
 * on nothing but its own runtime.
 */
import type { FamilyModel, MessageModel, ProtocolModel, RecordModel, Type } from "../../model/model.js";
import { declsOf } from "../../model/model.js";
import { jsdoc, specLine } from "./docs.js";
import { NameTable, typeIdent } from "./names.js";

function recordOf(t: Type, where: string): RecordModel {
  // The checker guarantees this (ABI080); a violation here is a compiler bug, not a spec error.
  if (t.kind !== "record") throw new Error(`abigen ts emitter: ${where}: message types must be records`);
  return t.decl;
}

/** `sockopt` stays; anything that is not an identifier is made one. */
function methodIdent(name: string): string {
  const id = name.replace(/[^A-Za-z0-9_$]/g, "_");
  return /^[0-9]/.test(id) ? `m${id}` : id;
}

class Imports {
  /** module → value names (codecs) and type-only names. */
  readonly values = new Map<string, Set<string>>();
  readonly types = new Map<string, Set<string>>();

  constructor(
    private readonly family: string,
    private readonly names: ReadonlyMap<RecordModel, string>,
    private readonly table: NameTable,
  ) {}

  private add(into: Map<string, Set<string>>, rec: RecordModel, name: string): string {
    const from = rec.family === this.family ? "./index.js" : `../${rec.family}/index.js`;
    let set = into.get(from);
    if (!set) into.set(from, (set = new Set()));
    set.add(name);
    return this.table.claim(name, `${rec.record} ${rec.name} (imported)`);
  }

  private ident(rec: RecordModel): string {
    const name = this.names.get(rec);
    if (name === undefined) throw new Error(`abigen ts emitter: record ${rec.name} is not part of the program`);
    return name;
  }

  codec(rec: RecordModel): string {
    return this.add(this.values, rec, this.ident(rec));
  }

  type(rec: RecordModel, input: boolean): string {
    const name = this.ident(rec) + (input ? "Input" : "");
    // The codec and the decoded type share one name; a value import brings both.
    if (!input && this.values.get(rec.family === this.family ? "./index.js" : `../${rec.family}/index.js`)?.has(name)) return name;
    return this.add(this.types, rec, name);
  }

  render(): string[] {
    const lines: string[] = [];
    const modules = [...new Set([...this.values.keys(), ...this.types.keys()])].sort();
    for (const m of modules) {
      const values = [...(this.values.get(m) ?? [])].sort();
      const types = [...(this.types.get(m) ?? [])].filter((t) => !values.includes(t)).sort();
      const parts = [...values, ...types.map((t) => `type ${t}`)];
      lines.push(`import { ${parts.join(", ")} } from "${m}";`);
    }
    return lines;
  }
}

function errorsDoc(m: MessageModel): string | undefined {
  if (m.errors.length === 0) return undefined;
  return ["Errors (from the transport, which decides how to report them):", ...m.errors.map((e) => `- ${e.errno}${e.text ? `: ${e.text}` : ""}`)].join("\n");
}

function messageMethods(m: MessageModel, index: number, imports: Imports): { fields: string[]; init: string[]; methods: string[] } {
  const where = `message ${m.name}`;
  const req = recordOf(m.request, where);
  const reqCodec = imports.codec(req);
  const reqInput = imports.type(req, true);
  const fields = [`  readonly #req${index}: Codec<${imports.type(req, false)}, ${reqInput}>;`];
  const init = [`    this.#req${index} = target === undefined ? ${reqCodec} : ${reqCodec}.forTarget(target);`];
  let replyType = "void";
  let size = "0";
  let decode = "";
  if (m.reply !== undefined) {
    const rep = recordOf(m.reply, where);
    const repCodec = imports.codec(rep);
    replyType = imports.type(rep, false);
    fields.push(`  readonly #rep${index}: Codec<${replyType}, ${imports.type(rep, true)}>;`);
    init.push(`    this.#rep${index} = target === undefined ? ${repCodec} : ${repCodec}.forTarget(target);`);
    size = `this.#rep${index}.SIZE`;
    decode = `this.#rep${index}.decode(reply)`;
  }
  const name = methodIdent(m.name);
  const sizes = `\`${req.name}\` → ${m.reply === undefined ? "no reply" : `\`${recordOf(m.reply, where).name}\``}`;
  const doc = jsdoc([m.doc, `Message \`${m.name}\`: ${sizes}.`, errorsDoc(m)], [`@see ${specLine(m.loc)}`]);
  const docSync = jsdoc([`{@link ${name}} without an event-loop turn: needs a transport with \`sendRecvSync\`.`]);
  const body = (send: string): string => (decode === "" ? `    ${send};\n` : `    const reply = ${send};\n    return ${decode};\n`);
  const asyncSend = `await this.#transport.sendRecv(this.#req${index}.encode(request), ${size})`;
  const syncSend = `this.#sync().sendRecvSync(this.#req${index}.encode(request), ${size})`;
  const methods = [
    indent(doc) + `  async ${name}(request: ${reqInput}): Promise<${replyType}> {\n${body(asyncSend)}  }`,
    indent(docSync) + `  ${name}Sync(request: ${reqInput}): ${replyType} {\n${body(syncSend)}  }`,
  ];
  return { fields, init, methods };
}

function indent(doc: string): string {
  return doc.split("\n").map((l) => (l === "" ? l : `  ${l}`)).join("\n");
}

function clientClass(p: ProtocolModel, imports: Imports, table: NameTable): string {
  const cls = table.claim(`${typeIdent(p.name)}Client`, `protocol ${p.name}`);
  const parts = p.messages.map((m, i) => messageMethods(m, i, imports));
  const doc = jsdoc(
    [p.doc, `A client for protocol \`${p.name}\` (${p.transport}): raw native-layout records, one request then its reply.`],
    [`@see ${specLine(p.loc)}`],
  );
  return [
    `${doc}export class ${cls} {`,
    `  readonly #transport: MessageTransport;`,
    ...parts.flatMap((x) => x.fields),
    "",
    `  /** \`target\`: encode for another target's layout (default: this host's, as the pipe is native). */`,
    `  constructor(transport: MessageTransport, target?: string) {`,
    `    this.#transport = transport;`,
    ...parts.flatMap((x) => x.init),
    `  }`,
    "",
    parts.flatMap((x) => x.methods).join("\n\n"),
    "",
    `  #sync(): Required<MessageTransport> {`,
    `    const t = this.#transport;`,
    `    if (t.sendRecvSync === undefined) throw new TypeError("abigen: ${cls}: the transport has no sendRecvSync");`,
    `    return t as Required<MessageTransport>;`,
    `  }`,
    `}`,
  ].join("\n");
}

const TRANSPORT = `/**
 * What carries the messages: one exchange at a time, the request's bytes written in full, then
 * exactly \`replySize\` bytes read back (0: no reply). Failures are the transport's to report:
 * abigen's UmdManager implements this and throws UmdError carrying the errno.
 */
export interface MessageTransport {
  sendRecv(request: Uint8Array, replySize: number): Promise<Uint8Array>;
  sendRecvSync?(request: Uint8Array, replySize: number): Uint8Array;
}`;

/** The protocol module of a family, or undefined when it has no pipe/socket protocol. */
export function protocolModule(f: FamilyModel, names: ReadonlyMap<RecordModel, string>): string | undefined {
  const protocols = declsOf(f, "protocol").filter((p) => p.transport !== "text" && p.messages.length > 0);
  if (protocols.length === 0) return undefined;
  const table = new NameTable(`ts/${f.name}/protocol.ts`);
  table.claim("MessageTransport", "the transport interface");
  table.claim("Codec", "the runtime's Codec type");
  const imports = new Imports(f.name, names, table);
  const classes = protocols.map((p) => clientClass(p, imports, table));
  return [
    `// @generated by abigen from ${f.loc.source.name} — do not edit; change the spec and regenerate.`,
    "//",
    `// ${f.name}: typed clients for the message protocols of <${f.header}>.`,
    "/* eslint-disable */",
    "",
    `import type { Codec } from "../runtime/codec.js";`,
    ...imports.render(),
    "",
    TRANSPORT,
    "",
    classes.join("\n\n"),
    "",
  ].join("\n");
}
