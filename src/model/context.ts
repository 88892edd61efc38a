/**
 * State shared by the phases of model building: the reporter, the namespace, the family each
 * file declares, and memoised lazy resolution with cycle detection.
 *
 * Declarations are resolved on demand (a struct when a field names it, a constant when an
 * expression uses it), each exactly once. A reference to a declaration that is still being
 * resolved is a cycle: a type containing itself by value, or a constant defined through itself
 * (ABI013). Resolution then continues with the reference treated as an error, so every
 * declaration still gets a model and the build never loops.
 */
import type { FileNode } from "../syntax/ast.js";
import type { Span } from "../syntax/source.js";
import type { Code } from "../diagnostics/codes.js";
import type { DiagnosticInput } from "../diagnostics/diagnostic.js";
import type { Scalar, Type } from "./model.js";
import { SCALARS } from "./scalars.js";
import { Reporter } from "./reporter.js";
import { SymbolTable } from "./resolve.js";

/** Where something is written: the file, the declaration around it, and its warning allowances. */
export interface Site {
  readonly file: FileNode;
  readonly family: string;
  /** Name path for anonymous records written here ("uvirtio_block.rules"). */
  readonly owner: string;
  readonly allow: ReadonlyMap<string, string>;
}

/** A reference to a declaration, where a cycle is reported. */
export interface Ref {
  readonly file: FileNode;
  readonly span: Span;
}

/** Marks a node whose computation is under way (a reference to it closes a cycle). */
const ACTIVE: unique symbol = Symbol("active");

interface Frame {
  readonly node: object;
  readonly name: string;
  readonly what: "type" | "constant";
}

export class BuildContext {
  readonly symbols: SymbolTable;
  readonly familyOf = new Map<FileNode, string>();
  /** Work that must wait until every declaration is resolved (pointer targets may be recursive). */
  readonly deferred: (() => void)[] = [];
  /** Per node: ACTIVE while it is being computed, then its result (one map, one entry per node). */
  private readonly results = new Map<object, unknown>();
  private readonly stack: Frame[] = [];
  private readonly tables = new Map<string, Map<unknown, unknown>>();

  constructor(readonly rep: Reporter) {
    this.symbols = new SymbolTable(rep);
  }

  /** A per-build side table (facts about AST nodes that are not results of memo()). */
  table<K, V>(name: string): Map<K, V> {
    let t = this.tables.get(name);
    if (!t) this.tables.set(name, (t = new Map()));
    return t as Map<K, V>;
  }

  report(code: Code, file: FileNode, span: Span, d: Omit<DiagnosticInput, "loc">): void {
    this.rep.report(code, file, span, d);
  }

  /** A warning, suppressed (kept, with its reason) when the enclosing declaration allows it. */
  warn(code: Code, site: Site, span: Span, d: Omit<DiagnosticInput, "loc">): void {
    const diag = this.rep.diags.report(code, { ...d, loc: this.rep.loc(site.file, span) });
    const reason = site.allow.get(code);
    if (reason !== undefined && diag.severity === "warning") Object.assign(diag, { suppressed: reason });
  }

  /**
   * The result of `compute` for `node`, computed once. Returns undefined (after ABI013 at `ref`)
   * when `node` is already being computed further up: the reference closes a cycle.
   */
  memo<T>(node: object, name: string, what: Frame["what"], ref: Ref | undefined, compute: () => T): T | undefined {
    const known = this.results.get(node);
    if (known === ACTIVE) {
      if (ref) this.reportCycle(node, name, ref);
      return undefined;
    }
    if (known !== undefined || this.results.has(node)) return known as T | undefined;
    this.results.set(node, ACTIVE);
    this.stack.push({ node, name, what });
    let result: T | undefined;
    try {
      result = compute();
    } finally {
      this.stack.pop();
      // Done, also when compute threw (as before: the node is never computed twice).
      this.results.set(node, result);
    }
    return result;
  }

  private reportCycle(node: object, name: string, ref: Ref): void {
    const start = this.stack.findIndex((f) => f.node === node);
    const frames = this.stack.slice(start);
    const path = [...frames.map((f) => f.name), name].join(" → ");
    const allTypes = frames.every((f) => f.what === "type");
    this.report("ABI013", ref.file, ref.span, allTypes
      ? {
          message: `recursive type: ${name} contains itself by value (${path})`,
          hint: "a type cannot contain itself; refer to it through a pointer (`u64 @ptr(to = T)`) or break the cycle",
        }
      : {
          message: `${name} is defined in terms of itself (${path})`,
          hint: "break the cycle: give one of these a value that does not depend on the others",
        });
  }
}

/** Stands in for a type that could not be resolved (already reported), so building can go on. */
export const ERROR_TYPE: Type = { kind: "scalar", scalar: SCALARS.get("u8")! };

/** The scalar an integer-valued type is stored as (enums: their base), or undefined. */
export function integerScalar(t: Type): Scalar | undefined {
  if (t.kind === "enum") return t.decl.base;
  if (t.kind === "scalar" && t.scalar.name !== "ptr") return t.scalar;
  return undefined;
}

/** Values a scalar can hold on every target (long and ptr: the 4-byte range). */
export function portableRange(sc: Scalar): { min: bigint; max: bigint } {
  const bytes = typeof sc.size === "number" ? sc.size : 4;
  const bits = BigInt(bytes * 8);
  return sc.signed
    ? { min: -(1n << (bits - 1n)), max: (1n << (bits - 1n)) - 1n }
    : { min: 0n, max: (1n << bits) - 1n };
}

export function fmtRange(r: { min: bigint; max: bigint }): string {
  return `${r.min}…${r.max}`;
}

/** Hex for values people think of in hex (masks, numbers); decimal for small ones. */
export function fmtValue(v: bigint): string {
  return v >= 0n && v > 255n ? `0x${v.toString(16)}` : String(v);
}
