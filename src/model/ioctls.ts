/**
 * `ioctl NAME = DIR(TYPE, NR[, ARG]) { clauses }` and `legacy(N, DIR[, ARG])` → IoctlModel.
 * Structural checks live here: direction vs argument (ABI057), clauses (on, returns, value,
 * error with errno names ABI018, number[targets] with target names ABI017). The number rules
 * (ABI050–ABI056) run later on the model, in src/checks/rules/.
 */
import type { Clause, ErrorClause, Expr, FileNode, Ident, IoctlDecl } from "../syntax/ast.js";
import type { ErrorDoc, FdKindModel, IoctlModel, Returns, Scalar } from "./model.js";
import type { BuildContext, Site } from "./context.js";
import { integerScalar } from "./context.js";
import { checkAttributes, declSite } from "./attributes.js";
import { evaluate } from "./consteval.js";
import { resolveType } from "./types.js";
import { fdOf } from "./fds.js";
import { rangeOf } from "./fields.js";
import { ERRNO } from "./errno.js";
import { didYouMean } from "./suggest.js";
import { GENERIC, TARGETS, findTarget } from "../targets/targets.js";
import { decodeIoctl } from "../targets/ioctl-encoding.js";

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export function buildIoctl(cx: BuildContext, decl: IoctlDecl, file: FileNode): IoctlModel {
  const site = declSite(cx, file, decl);
  const name = decl.name.name;
  checkAttributes(cx, file, decl.attrs, "ioctl");
  const legacy = decl.magic === undefined && decl.number !== undefined;
  const arg = decl.arg ? resolveType(cx, decl.arg, { ...site, owner: `${name}.arg` }) : undefined;

  if (decl.dir !== "none" && !decl.arg) {
    cx.report("ABI057", file, decl.name.span, {
      message: `${decl.dir} ioctl ${name} has no argument type`,
      hint: `name the type the kernel ${decl.dir === "read" ? "writes to" : decl.dir === "write" ? "reads from" : "reads and writes through"} the pointer, or use none(…) if nothing is passed`,
    });
  }
  if (decl.dir === "none" && decl.arg) {
    cx.report("ABI057", file, decl.arg.span, {
      message: `none ioctl ${name} has an argument type`,
      hint: "use read/write/readwrite when data goes through the pointer; an integer passed by value is a `value T;` clause",
    });
  }

  const m: Mutable<IoctlModel> & { errors: ErrorDoc[] } = {
    kind: "ioctl", name, family: site.family, loc: cx.rep.loc(file, decl.span), allow: site.allow,
    dir: decl.dir, magic: 0, nr: 0, returns: { what: "zero" }, errors: [],
    ...(decl.doc ? { doc: decl.doc.text } : {}),
    ...(arg ? { arg } : {}),
  };
  if (legacy) {
    const n = number32(cx, site, decl.number);
    const d = decodeIoctl(GENERIC, n ?? 0);
    m.magic = d.type;
    m.nr = d.nr;
    m.legacy = { number: n ?? 0, overrides: new Map() };
  } else {
    m.magic = toNumber(evaluate(cx, decl.magic, site));
    m.nr = toNumber(evaluate(cx, decl.nr, site));
    if (decl.magic) m.magicExpr = decl.magic;
    if (decl.nr) m.nrExpr = decl.nr;
  }

  const seen = new Map<string, Clause>();
  const once = (c: Clause, key: string, what: string): boolean => {
    const first = seen.get(key);
    if (first) {
      cx.report("ABI011", file, c.span, {
        message: `${what} is given twice in ioctl ${name}`,
        hint: "keep one",
        related: [{ message: "first given here", loc: cx.rep.loc(file, first.span) }],
      });
      return false;
    }
    seen.set(key, c);
    return true;
  };
  for (const c of decl.clauses ?? []) {
    switch (c.kind) {
      case "On": {
        if (!once(c, "on", "`on`")) break;
        const fd = fdKind(cx, file, c.fd);
        if (fd) m.on = fd;
        break;
      }
      case "Returns": {
        if (!once(c, "returns", "`returns`")) break;
        if (c.what === "fd") {
          const fd = c.fd ? fdKind(cx, file, c.fd) : undefined;
          if (fd) m.returns = { what: "fd", fd } satisfies Returns;
        } else {
          m.returns = { what: c.what };
        }
        break;
      }
      case "Value": {
        if (!once(c, "value", "`value`")) break;
        if (decl.dir !== "none") {
          cx.report("ABI057", file, c.span, {
            message: `${decl.dir} ioctl ${name} has a value clause`,
            hint: "an argument passed by value belongs to a none(…) ioctl; a pointed-to argument is the ioctl's argument type",
          });
        }
        const attrs = checkAttributes(cx, file, c.attrs, "value");
        const t = resolveType(cx, c.type, { ...site, owner: `${name}.value` });
        const sc: Scalar | undefined = t && t.kind === "scalar" ? integerScalar(t) : undefined;
        if (t && !sc) {
          cx.report("ABI012", file, c.type.span, {
            message: `the value of ioctl ${name} must be an integer type`,
            hint: "a value passed in the argument register is an integer (ulong, u32, …)",
          });
        }
        if (sc) {
          const range = rangeOf(cx, site, attrs, sc, `the value of ioctl ${name}`);
          m.value = { type: sc, ...(range ? { range } : {}), ...(c.doc ? { doc: c.doc.text } : {}) };
        }
        break;
      }
      case "Error": {
        const e = errorDoc(cx, file, c);
        if (e) m.errors.push(e);
        break;
      }
      case "Number": {
        if (!legacy) {
          cx.report("ABI057", file, c.span, {
            message: `number[…] clause in ioctl ${name}, whose number is computed`,
            hint: "per-target numbers belong to legacy(…) ioctls only",
          });
          break;
        }
        const v = number32(cx, site, c.value);
        for (const t of c.targets ?? []) {
          if (!findTarget(t.name)) {
            const alias = TARGET_ALIASES[t.name];
            cx.report("ABI017", file, t.span, {
              message: `unknown target ${t.name}.${alias ? ` Did you mean ${alias}?` : didYouMean(t.name, TARGETS.map((x) => x.name))}`,
              hint: `known targets: ${TARGETS.map((x) => x.name).join(", ")}`,
            });
          } else if (once(c, `number:${t.name}`, `the number for ${t.name}`) && v !== undefined) {
            (m.legacy!.overrides as Map<string, number>).set(t.name, v);
          }
        }
        break;
      }
    }
  }
  return m;
}

/** Other names people use for our targets (Debian, kernel arch directories). */
const TARGET_ALIASES: Readonly<Record<string, string>> = {
  amd64: "x86_64", x86: "i386", i686: "i386", arm64: "aarch64", armel: "arm", ppc64el: "ppc64le",
  ppc: "powerpc", mipsel: "mips64el", parisc: "hppa", sparc: "sparc64", s390: "s390x", sh: "sh4",
};

function toNumber(v: bigint | undefined): number {
  return v === undefined ? 0 : Number(v);
}

/** A full ioctl number: 32 bits, unsigned. */
function number32(cx: BuildContext, site: Site, e: Expr | undefined): number | undefined {
  const v = evaluate(cx, e, site);
  if (v === undefined || !e) return undefined;
  if (v < 0n || v > 0xffff_ffffn) {
    cx.report("ABI020", site.file, e.span, {
      message: `ioctl number ${v} does not fit in 32 bits`,
      hint: "an ioctl request number is an unsigned 32-bit value",
    });
    return undefined;
  }
  return Number(v);
}

function fdKind(cx: BuildContext, file: FileNode, ident: Ident): FdKindModel | undefined {
  const sym = cx.symbols.find(ident, file, "fd kind", ["fd"]);
  return sym && fdOf(cx, sym, undefined);
}

/** `error ENAME "text";` with the name checked against Linux's errno names (ABI018). */
export function errorDoc(cx: BuildContext, file: FileNode, c: ErrorClause): ErrorDoc | undefined {
  const name = c.errno?.name ?? "";
  if (!ERRNO.has(name)) {
    cx.report("ABI018", file, c.errno?.span ?? c.span, {
      message: `unknown errno name ${name}.${didYouMean(name, ERRNO.keys())}`,
      hint: "use a Linux errno name from asm-generic/errno-base.h or errno.h (EINVAL, EFAULT, ENOTTY, …)",
    });
    return undefined;
  }
  return { errno: name, ...(c.text ? { text: c.text.value } : {}), ...(c.doc ? { doc: c.doc.text } : {}) };
}
