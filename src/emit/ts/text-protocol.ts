/**
 * `ts/<family>/commands.ts`: typed command lines for a family's `text` protocols (modfs's
 * control file). Each command becomes a function formatting its line — the command name and its
 * parameters separated by single spaces, no terminator, as the language reference defines it —
 * and each protocol a client class writing one line per `write()` to anything with
 * `write(bytes) → count` (a runtime Fd, real or mock, or a test double).
 *
 * A parameter must be a non-empty string without whitespace or NUL (the receiver splits on
 * spaces) and the line must fit the protocol's `@max_len` in UTF-8 bytes: anything else throws
 * the runtime's EncodeError naming the parameter, before anything is written.
 */
import type { CommandModel, FamilyModel, ProtocolModel } from "../../model/model.js";
import { declsOf } from "../../model/model.js";
import { jsdoc, specLine } from "./docs.js";
import { NameTable, typeIdent } from "./names.js";

/** Words that cannot name a function or parameter in an ES module (strict mode). */
const RESERVED = new Set(
  ("break case catch class const continue debugger default delete do else enum export extends false finally for " +
    "function if implements import in instanceof interface let new null package private protected public return " +
    "static super switch this throw true try typeof var void while with yield await arguments eval")
    .split(" "),
);

/** `map` stays, `set-mode` → `setMode`, a reserved word gets a suffix (`delete` → `delete_`). */
function ident(name: string, reservedSuffix = "_"): string {
  const words = name.split(/[^A-Za-z0-9$]+/).filter((w) => w !== "");
  let id = words.map((w, i) => (i === 0 ? w : w[0]!.toUpperCase() + w.slice(1))).join("");
  if (id === "" || /^[0-9]/.test(id)) id = `c${id}`;
  return RESERVED.has(id) ? id + reservedSuffix : id;
}

/** A class method may be a reserved word, but not the constructor. */
function methodName(name: string): string {
  const id = ident(name, "");
  return id === "constructor" ? "constructor_" : id;
}

/** `modfs_control` → `MODFS_CONTROL_MAX_LEN`. */
function maxLenConst(p: ProtocolModel): string {
  return `${p.name.replace(/[^A-Za-z0-9]+/g, "_").toUpperCase()}_MAX_LEN`;
}

function errorsDoc(c: CommandModel): string | undefined {
  if (c.errors.length === 0) return undefined;
  return ["Errors (what the command does on the receiving side; the receiver decides how to report them):", ...c.errors.map((e) => `- ${e.errno}${e.text ? `: ${e.text}` : ""}`)].join("\n");
}

function shape(c: CommandModel): string {
  return [c.name, ...c.params.map((p) => `<${p}>`)].join(" ");
}

function protocolCode(p: ProtocolModel, prefixed: boolean, table: NameTable): string {
  const maxConst = p.maxLen === undefined ? undefined : table.claim(maxLenConst(p), `@max_len of protocol ${p.name}`);
  const limit = maxConst ?? "undefined";
  const pascal = typeIdent(p.name);
  const fnName = (c: CommandModel): string => (prefixed ? ident(`${p.name}_${c.name}`) : ident(c.name, "Command"));
  const parts: string[] = [];
  if (maxConst !== undefined) {
    parts.push(`/** Longest command line protocol \`${p.name}\` accepts, in bytes (\`@max_len\`). */\nexport const ${maxConst} = ${p.maxLen};`);
  }
  const methods: string[] = [];
  for (const c of p.commands) {
    const fn = table.claim(fnName(c), `command ${c.name} of protocol ${p.name}`);
    const params = c.params.map((x) => ident(x));
    const sig = params.map((x) => `${x}: string`).join(", ");
    const pairs = c.params.map((x, i) => `[${JSON.stringify(x)}, ${params[i]}]`).join(", ");
    const doc = jsdoc([c.doc, `Formats \`${shape(c)}\` (protocol \`${p.name}\`).`, errorsDoc(c)], [`@see ${specLine(c.loc)}`]);
    parts.push(`${doc}export function ${fn}(${sig}): string {\n  return textLine(${JSON.stringify(c.name)}, [${pairs}], ${limit});\n}`);
    const mdoc = jsdoc([`Writes \`${shape(c)}\` in one write; returns what the write returned.`], [`@see ${specLine(c.loc)}`]);
    methods.push(
      mdoc
        .split("\n")
        .map((l) => (l === "" ? l : `  ${l}`))
        .join("\n") + `  ${methodName(c.name)}(${sig}): number {\n    return this.#sink.write(utf8.encode(${fn}(${params.join(", ")})));\n  }`,
    );
  }
  const cls = table.claim(`${pascal}Client`, `protocol ${p.name}`);
  const cdoc = jsdoc(
    [p.doc, `A client for text protocol \`${p.name}\`: one command line per write, no terminator.`],
    [`@see ${specLine(p.loc)}`],
  );
  parts.push(
    [
      `${cdoc}export class ${cls} {`,
      `  readonly #sink: LineSink;`,
      ``,
      `  constructor(sink: LineSink) {`,
      `    this.#sink = sink;`,
      `  }`,
      ``,
      methods.join("\n\n"),
      `}`,
    ].join("\n"),
  );
  return parts.join("\n\n");
}

const HELPERS = `/** Where command lines go: anything with \`write(bytes)\` returning the count written (a runtime Fd). */
export interface LineSink {
  write(bytes: Uint8Array): number;
}

const utf8 = new TextEncoder();

/** The command line, after checking each parameter is one non-empty word and the line fits. */
function textLine(command: string, params: readonly (readonly [string, unknown])[], maxLen: number | undefined): string {
  for (const [name, value] of params) {
    if (typeof value !== "string") throw new EncodeError([name], \`expected a string, got \${typeof value}\`);
    if (value === "" || /[\\s\\0]/.test(value)) {
      throw new EncodeError([name], \`\${JSON.stringify(value)} is not one word (empty, or has whitespace or NUL)\`);
    }
  }
  const line = [command, ...params.map(([, v]) => v as string)].join(" ");
  const bytes = utf8.encode(line).length;
  if (maxLen !== undefined && bytes > maxLen) throw new EncodeError([], \`the \${command} line is \${bytes} bytes, longer than \${maxLen}\`);
  return line;
}`;

/** The commands module of a family, or undefined when it has no text protocol with commands. */
export function textProtocolModule(f: FamilyModel): string | undefined {
  const protocols = declsOf(f, "protocol").filter((p) => p.transport === "text" && p.commands.length > 0);
  if (protocols.length === 0) return undefined;
  const table = new NameTable(`ts/${f.name}/commands.ts`);
  for (const n of ["LineSink", "utf8", "textLine", "EncodeError"]) table.claim(n, "a helper of the module");
  // With several text protocols, command functions carry the protocol's name so none collide.
  const prefixed = protocols.length > 1;
  const bodies = protocols.map((p) => protocolCode(p, prefixed, table));
  return [
    `// @generated by abigen from ${f.loc.source.name} — do not edit; change the spec and regenerate.`,
    "//",
    `// ${f.name}: command lines and clients for the text protocols of <${f.header}>.`,
    "/* eslint-disable */",
    "",
    `import { EncodeError } from "../runtime/codec.js";`,
    "",
    HELPERS,
    "",
    bodies.join("\n\n"),
    "",
  ].join("\n");
}
