/**
 * Ioctl descriptors: everything a caller needs to issue the ioctl — the request number on the
 * host (and on every target), the argument's codec, the by-value argument's range, the fd it is
 * issued on, what it returns and its documented errors.
 */
import type { IoctlModel } from "../../model/model.js";
import { scalarRange } from "../../model/scalars.js";
import { ioctlArgSize, ioctlNumber } from "../../layout/ioctl-numbers.js";
import { scalarSize } from "../../layout/layout.js";
import { hex32 } from "../../targets/ioctl-encoding.js";
import type { FamilyContext } from "./context.js";
import { valueCodec } from "./codecs.js";
import { declDoc, jsdoc } from "./docs.js";
import { propKey, typeIdent } from "./names.js";
import { isBigScalar, lit } from "./scalar.js";
import { render } from "./templates.js";

export interface IoctlOut {
  readonly decl: string;
  /** Codec export and functions of a non-record argument type, if any. */
  readonly argCodec?: { codec: string; functions: string };
}

function hex8(n: number): string {
  return "0x" + n.toString(16).padStart(2, "0");
}

export function ioctlDecl(ctx: FamilyContext, io: IoctlModel): IoctlOut {
  ctx.names.claim(io.name, `ioctl ${io.name}`);
  let arg = "null";
  let argCodec: IoctlOut["argCodec"];
  if (io.arg?.kind === "record") {
    const rec = io.arg.decl;
    arg = rec.family === ctx.family.name ? ctx.recordIdent(rec) : ctx.importValue(rec.family, ctx.recordIdent(rec));
  } else if (io.arg) {
    arg = ctx.names.claim(typeIdent(`${io.name.toLowerCase()}_arg`), `argument codec of ${io.name}`);
    argCodec = valueCodec(ctx, arg, `${io.name} argument`, io.arg, jsdoc([`The argument of {@link ${io.name}}.`]));
  }
  let value = "null";
  if (io.value) {
    const sc = io.value.type;
    const big = isBigScalar(sc);
    // The by-value argument is an unsigned long in the kernel; its range is the declared one, else
    // the type's on the widest target.
    const widest = Math.max(...ctx.targets.map((t) => scalarSize(sc, t)));
    const full = scalarRange(sc, widest);
    const min = io.value.range?.min ?? full.min;
    const max = io.value.range?.max ?? full.max;
    value = `{ type: ${JSON.stringify(sc.name)}, min: ${lit(min, big)}, max: ${lit(max, big)} }`;
  }
  const returns = io.returns.what === "fd" ? `{ fd: ${JSON.stringify(io.returns.fd.name)} }` : JSON.stringify(io.returns.what);
  const errors = io.errors.map((e) =>
    e.text === undefined ? `{ errno: ${JSON.stringify(e.errno)} }` : `{ errno: ${JSON.stringify(e.errno)}, when: ${JSON.stringify(e.text)} }`,
  );
  const decl = render("ioctl", {
    doc: declDoc(io.doc, io.loc),
    name: io.name,
    cname: JSON.stringify(io.name),
    dir: JSON.stringify(io.dir),
    type: hex8(io.magic),
    nr: hex8(io.nr),
    legacy: String(io.legacy !== undefined),
    arg,
    value,
    on: io.on ? JSON.stringify(io.on.name) : "null",
    returns,
    errors,
    sizes: ctx.targets.map((t) => `${propKey(t.name)}: ${ioctlArgSize(io, t)}`).join(", "),
    numbers: ctx.targets.map((t) => `${propKey(t.name)}: ${hex32(ioctlNumber(io, t))}`).join(", "),
  });
  return argCodec ? { decl, argCodec } : { decl };
}
