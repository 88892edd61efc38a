/**
 * `ts/<family>/stubs.ts`: typed stubs over file descriptors. One class per fd kind of the family
 * (`Kvm`, `KvmVm`, `KvmVcpu`), extending the runtime's `Device` (src/runtime/stub.ts), with one
 * method per ioctl issued on that kind; ioctls without `on` (any fd: FIONREAD) go on every kind
 * of the family and on a family-level `<Family>Ioctls` class that wraps any fd.
 *
 * Methods take and return the family's codec types: `write` takes `XInput`, `read` returns `X`,
 * `readwrite` both; a by-value argument is `number | bigint`; `returns fd K` returns the new K
 * object; `returns count/value` a number. Records holding `@ptr` fields (at any depth) get an
 * argument type `XArg` where those fields also take bytes to lend for the call, and a generated
 * `lower$X` walk that collects the bytes and fills their addresses and lengths — straight-line
 * code per record, no reflection at call time.
 */
import type { FamilyModel, FdKindModel, FieldModel, IoctlModel, RecordModel, Type } from "../../model/model.js";
import { declsOf } from "../../model/model.js";
import { jsdoc, specLine } from "./docs.js";
import { NameTable, propKey, typeIdent } from "./names.js";
import { isBigScalar, storedScalar } from "./scalar.js";
import { classMethodNames, commonPrefix } from "./stub-names.js";
import { render } from "./templates.js";

/** A record's fields with anonymous members flattened (their fields read as the parent's). */
interface Member {
  readonly field: FieldModel & { readonly name: string };
  /** Inside a union: the caller may leave it out. */
  readonly optional: boolean;
}

function members(rec: RecordModel, inUnion = false): Member[] {
  const opt = inUnion || rec.record === "union";
  return rec.fields.flatMap((f): Member[] => {
    if (f.name === undefined) return f.type.kind === "record" ? members(f.type.decl, opt) : [];
    return [{ field: f as Member["field"], optional: opt }];
  });
}

/** Which records hold user pointers, and the argument types and walks generated for them. */
class Lowering {
  private readonly memo = new Map<RecordModel, boolean>();
  /** Records that need an `XArg` type and a `lower$X` function here, in discovery order. */
  readonly order: RecordModel[] = [];
  private readonly emitted = new Set<RecordModel>();

  constructor(private readonly stubs: StubFile) {}

  needs(rec: RecordModel): boolean {
    const known = this.memo.get(rec);
    if (known !== undefined) return known;
    this.memo.set(rec, false); // a cycle adds nothing
    const r = members(rec).some((m) => m.field.ptr !== undefined || this.typeNeeds(m.field.type));
    this.memo.set(rec, r);
    return r;
  }

  typeNeeds(t: Type): boolean {
    if (t.kind === "array") return this.typeNeeds(t.element);
    return t.kind === "record" && this.needs(t.decl);
  }

  /** The argument type of a type holding pointers (registers the records it needs). */
  argType(t: Type): string {
    if (t.kind === "array") return `${this.argType(t.element)}[]`;
    if (t.kind !== "record") throw new Error("abigen ts emitter: only records hold user pointers");
    if (!this.emitted.has(t.decl)) {
      this.emitted.add(t.decl);
      this.order.push(t.decl);
    }
    return `${this.stubs.recordName(t.decl)}Arg`;
  }

  /** `export type XArg = rt.Lowered<…>` and `function lower$X(…)` for one record. */
  declarations(rec: RecordModel): { type: string; fn: string } {
    const name = this.stubs.recordName(rec);
    const input = this.stubs.qualified(rec, "Input");
    const ms = members(rec);
    const replaced: string[] = [];
    const lens: string[] = [];
    const body: string[] = [];
    const ptrKeys: string[] = [];
    let nested = 0;
    let n = 0;
    for (const m of ms) {
      const f = m.field;
      const key = JSON.stringify(f.name);
      if (f.ptr !== undefined) {
        replaced.push(`${propKey(f.name)}: rt.UserPointer;`);
        ptrKeys.push(key);
        const v = `v${n++}`;
        const lenField = f.ptr.lenField === undefined ? undefined : ms.find((x) => x.field.name === f.ptr!.lenField)?.field;
        const setLen: string[] = [];
        if (lenField !== undefined) {
          lens.push(JSON.stringify(lenField.name));
          const lk = JSON.stringify(lenField.name);
          const sc = storedScalar(lenField.type);
          const len = sc !== undefined && isBigScalar(sc) ? `BigInt(rt.userBufferLength(${v}))` : `rt.userBufferLength(${v})`;
          setLen.push(`if (o[${lk}] === undefined) o[${lk}] = ${len};`);
        }
        body.push(
          `const ${v} = o[${key}];`,
          `if (rt.isUserBuffer(${v})) {`,
          `o[${key}] = p.add(${v}, (a) => { o[${key}] = a; });`,
          ...setLen,
          "}",
        );
      } else if (this.typeNeeds(f.type)) {
        const t = this.argType(f.type);
        nested++;
        replaced.push(`${propKey(f.name)}: ${t};`);
        body.push(`if (o[${key}] !== undefined) o[${key}] = ${this.lowerExpr(f.type, `o[${key}] as ${t}`, 0)};`);
      }
    }
    const doc = jsdoc([
      `The stub argument of \`${rec.record} ${rec.name}\`: ${this.stubs.qualified(rec, "Input")} whose user-pointer fields also take bytes to lend for the call (a \`Uint8Array\`, or \`{ bytes, access }\`; a \`bigint\` is a raw address); the runtime fills the address and, when left out, the length field.`,
    ]);
    const l = lens.length === 0 ? "" : `, ${lens.join(" | ")}`;
    // Most calls lend nothing (raw addresses, or a buffer the caller placed itself): when no
    // pointer field holds bytes to lend and no nested record needs lowering, the argument is
    // already the codec's input — no copy.
    const direct = nested === 0 && ptrKeys.length > 0;
    const shortcut = direct ? `if (${ptrKeys.map((k) => `!rt.isUserBuffer(x[${k}])`).join(" && ")}) return x as unknown as ${input};\n` : "";
    return {
      type: `${doc}export type ${name}Arg = rt.Lowered<${input}, {\n${replaced.join("\n")}\n}${l}>;\n`,
      fn:
        `function lower$${name}(x: ${name}Arg, p: rt.Pointers): ${input} {\n${shortcut}` +
        `const o: Record<string, unknown> = { ...x };\n${body.join("\n")}\nreturn o as unknown as ${input};\n}\n`,
    };
  }

  /** An expression lowering `value` (an argument of type `t`). */
  private lowerExpr(t: Type, value: string, depth: number): string {
    if (t.kind === "array") {
      const e = `e${depth}`;
      return `rt.lowerArray(${value}, (${e}) => ${this.lowerExpr(t.element, e, depth + 1)})`;
    }
    if (t.kind !== "record") throw new Error("abigen ts emitter: only records hold user pointers");
    this.argType(t);
    return `lower$${this.stubs.recordName(t.decl)}(${value}, p)`;
  }
}

/** Names and imports of one stubs file. */
class StubFile {
  readonly names: NameTable;
  /** Foreign families whose codecs (`api$F`) or stub classes (`stubs$F`) are used. */
  readonly apiImports = new Set<string>();
  readonly stubImports = new Set<string>();

  constructor(
    readonly family: FamilyModel,
    private readonly recordNames: ReadonlyMap<RecordModel, string>,
  ) {
    this.names = new NameTable(`ts/${family.name}/stubs.ts`);
  }

  recordName(rec: RecordModel): string {
    const n = this.recordNames.get(rec);
    if (n === undefined) throw new Error(`abigen ts emitter: record ${rec.name} is not part of the program`);
    return n;
  }

  /** `api.X` (this family's index) or `api$other.X`. */
  qualified(rec: RecordModel, suffix = ""): string {
    return `${this.apiOf(rec.family)}.${this.recordName(rec)}${suffix}`;
  }

  apiOf(family: string): string {
    if (family === this.family.name) return "api";
    this.apiImports.add(family);
    return `api$${family}`;
  }

  className(kind: FdKindModel): string {
    const local = typeIdent(kind.name);
    if (kind.family === this.family.name) return local;
    this.stubImports.add(kind.family);
    return `stubs$${kind.family}.${local}`;
  }
}

function dirText(io: IoctlModel): string {
  const dir = { none: "_IO", read: "_IOR", write: "_IOW", readwrite: "_IOWR" }[io.dir];
  return io.legacy ? `a legacy number, ${io.dir}` : dir;
}

function methodDoc(io: IoctlModel): string {
  const tags = io.errors.map((e) => `@throws IoctlError ${e.errno}${e.text === undefined ? "" : ` — ${e.text}`}`);
  return jsdoc([io.doc, `Issues \`${io.name}\` (${dirText(io)}).`], [...tags, `@see ${specLine(io.loc)}`]);
}

/** One method: signature and body by direction and `returns`. */
function method(s: StubFile, low: Lowering, io: IoctlModel, name: string): string {
  const desc = `${s.apiOf(io.family)}.${io.name}`;
  const params: string[] = [];
  let call: string;
  let out: string | undefined;
  const withResult = io.returns.what !== "zero";
  if (io.dir === "none") {
    if (io.value) {
      params.push("value: number | bigint");
      call = `rt.callNone(this.fd, ${desc}, value)`;
    } else call = `rt.callNone(this.fd, ${desc})`;
  } else {
    const rec = io.arg?.kind === "record" ? io.arg.decl : undefined;
    out = rec ? s.qualified(rec) : `rt.OutputOf<typeof ${desc}>`;
    const fn = { write: "rt.callWrite", read: "rt.callRead", readwrite: "rt.callReadWrite" }[io.dir] + (withResult && io.dir !== "write" ? "Result" : "");
    if (io.dir === "read") call = `${fn}(this.fd, ${desc})`;
    else if (rec && low.needs(rec)) {
      params.push(`arg: ${low.argType(io.arg!)}`);
      call = `rt.withPointers(this.fd, arg, lower$${s.recordName(rec)}, (x) => ${fn}(this.fd, ${desc}, x))`;
    } else {
      params.push(`arg: ${rec ? s.qualified(rec, "Input") : `rt.InputOf<typeof ${desc}>`}`);
      call = `${fn}(this.fd, ${desc}, arg)`;
    }
  }
  const decoded = io.dir === "read" || io.dir === "readwrite";
  let ret: string;
  let body: string;
  if (io.returns.what === "fd") {
    const cls = s.className(io.returns.fd);
    const wrap = (n: string): string => `${cls}.from(rt.adoptResult(this.fd, ${n}, ${JSON.stringify(io.returns.what === "fd" ? io.returns.fd.name : "")}))`;
    if (decoded) {
      ret = `[${out}, ${cls}]`;
      body = `const [v, n] = ${call};\nreturn [v, ${wrap("n")}];`;
    } else {
      ret = cls;
      body = `return ${wrap(call)};`;
    }
  } else if (decoded) {
    ret = withResult ? `[${out}, number]` : out!;
    body = `return ${call};`;
  } else if (withResult) {
    ret = "number";
    body = `return ${call};`;
  } else {
    ret = "void";
    body = `${call};`;
  }
  return `${methodDoc(io)}${name}(${params.join(", ")}): ${ret} {\n${body}\n}\n`;
}

interface ClassOut {
  readonly doc: string;
  readonly name: string;
  readonly kind: string;
  readonly path: string;
  readonly openParam: string;
  readonly map: string;
  readonly methods: string[];
}

export function stubsModule(f: FamilyModel, recordNames: ReadonlyMap<RecordModel, string>): string | undefined {
  const kinds = declsOf(f, "fd");
  const ioctls = declsOf(f, "ioctl");
  if (kinds.length === 0 && ioctls.length === 0) return undefined;
  const s = new StubFile(f, recordNames);
  const low = new Lowering(s);
  const prefix = commonPrefix(ioctls.map((io) => io.name));
  const ownKind = (io: IoctlModel): FdKindModel | undefined => (io.on && io.on.family === f.name ? io.on : undefined);
  // Ioctls on no fd kind of this family: any fd (or another family's kind).
  const common = ioctls.filter((io) => ownKind(io) === undefined);

  const methodsOf = (list: readonly IoctlModel[], kind: string | undefined): string[] => {
    const names = classMethodNames(list.map((io) => io.name), prefix, kind);
    return list.map((io, i) => method(s, low, io, names[i]!));
  };

  const classes: ClassOut[] = kinds.map((k) => {
    const name = s.names.claim(typeIdent(k.name), `fd ${k.name}`);
    const own = ioctls.filter((io) => ownKind(io) === k);
    const mmap = k.mmap;
    let map = "";
    if (mmap) {
      const t = s.qualified(mmap);
      const doc = jsdoc([
        `mmap(2) this fd at offset 0 (shared, read-write): a live view of its \`${mmap.name}\`. \`size\` defaults to the struct's size; pass what the driver says the mapping is (the view's \`bytes\` cover all of it).`,
      ]);
      map = `${doc}map(size?: number): rt.MappedView<${t}, ${s.qualified(mmap, "Input")}> {\nreturn rt.mapView(this.fd, ${t}, size);\n}\n`;
    }
    const extra = [
      k.path === undefined ? `Returned by an ioctl (\`returns fd ${k.name}\`); wrap an fd you already have with \`${name}.from(fd)\`.` : `Opened from \`${k.path}\` with \`${name}.open()\`.`,
      common.length > 0 ? "The family's ioctls for any fd are methods here too." : undefined,
    ];
    return {
      doc: jsdoc([k.doc, ...extra], [`@see ${specLine(k.loc)}`]),
      name,
      kind: JSON.stringify(k.name),
      path: k.path === undefined ? "" : JSON.stringify(k.path),
      openParam: k.path === undefined ? "" : `path: string = ${name}.path`,
      map,
      methods: methodsOf([...own, ...common], k.name),
    };
  });
  if (common.length > 0) {
    const name = s.names.claim(`${typeIdent(f.name)}Ioctls`, `the ${f.name} ioctls for any fd`);
    classes.push({
      doc: jsdoc([`The ${f.name} ioctls that are not issued on one of its fd kinds, over any fd (a pipe, a socket, a file): \`${name}.from(fd)\` takes ownership of it, \`${name}.open(path)\` opens one.`]),
      name,
      kind: JSON.stringify(f.name),
      path: "",
      openParam: "path: string",
      map: "",
      methods: methodsOf(common, undefined),
    });
  }

  // Argument types and walks last: generating methods discovers the records that need them.
  const argTypes: string[] = [];
  const functions: string[] = [];
  for (let i = 0; i < low.order.length; i++) {
    const rec = low.order[i]!;
    s.names.claim(`${s.recordName(rec)}Arg`, `the stub argument of ${rec.record} ${rec.name}`);
    const d = low.declarations(rec);
    argTypes.push(d.type);
    functions.push(d.fn);
  }

  const text = [...argTypes, ...functions, ...classes.flatMap((c) => [c.map, ...c.methods])].join("\n");
  const imports: string[] = [];
  if (/\bapi\./.test(text)) imports.push(`import * as api from "./index.js";`);
  for (const fam of [...s.apiImports].sort()) imports.push(`import * as api$${fam} from "../${fam}/index.js";`);
  for (const fam of [...s.stubImports].sort()) imports.push(`import * as stubs$${fam} from "../${fam}/stubs.js";`);
  return render("stubs", {
    source: f.loc.source.name,
    family: f.name,
    header: f.header,
    imports,
    argTypes,
    functions,
    classes,
  });
}

/** Families that get a stubs module (they declare fd kinds or ioctls). */
export function hasStubs(f: FamilyModel): boolean {
  return declsOf(f, "fd").length > 0 || declsOf(f, "ioctl").length > 0;
}
