/**
 * Evaluate macros with the C compiler. One translation unit per header: the header, then one
 * `const unsigned int abigen_v_NAME = (unsigned int)(NAME);` line per macro, compiled to
 * assembly, values read from the `.long` after each label. Diagnostics come back as JSON
 * with macro expansion tracking off, so an error inside a macro is reported on the line that
 * uses it: that tells which macro failed, it is dropped and the rest compiled again. Errors
 * only inside the header mean the header does not compile alone. Failed macros are retried
 * once after a prelude of common system headers.
 */
import { spawn } from "node:child_process";
import type { Candidate } from "./candidates.js";

export const PRELUDE = ["stddef.h", "stdint.h", "stdbool.h", "sys/types.h", "sys/time.h", "sys/socket.h", "sys/ioctl.h", "linux/types.h"];

export type FailureReason =
  | "header does not compile"
  | "incomplete type"
  | "undeclared name"
  | "not a constant expression"
  | "not defined when the header is included"
  | "other error";

export interface MacroFailure {
  readonly name: string;
  readonly header: string;
  readonly reason: FailureReason;
  readonly message: string;
}

export interface HeaderOutcome {
  readonly header: string;
  readonly values: { name: string; kind: Candidate["kind"]; value: number }[];
  readonly failures: MacroFailure[];
  /** The header compiled only after the prelude (it does not include what it uses). */
  readonly neededPrelude: boolean;
  /** How many macros got a value only after the prelude. */
  readonly macrosNeedingPrelude: number;
  /** The first error when the header compiled neither alone nor with the prelude. */
  readonly headerError?: string;
  readonly compiles: number;
}

interface GccDiagnostic {
  kind: string;
  message: string;
  locations?: { caret?: { file?: string; line?: number } }[];
  children?: GccDiagnostic[];
}

export interface CompileResult {
  readonly ok: boolean;
  readonly asm: string;
  readonly errors: { message: string; lines: number[] }[];
}

export function runCompiler(cc: string, args: readonly string[], source: string): Promise<CompileResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cc, [
      "-std=gnu11", "-O0", "-S", "-o", "-", "-w", "-fdiagnostics-format=json", "-ftrack-macro-expansion=0",
      ...args, "-x", "c", "-",
    ]);
    let out = "";
    let err = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (out += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (err += d));
    child.on("error", reject);
    child.on("close", (code) => {
      const errors: CompileResult["errors"] = [];
      for (const line of err.split("\n")) {
        if (!line.startsWith("[")) continue;
        let diags: GccDiagnostic[];
        try {
          diags = JSON.parse(line) as GccDiagnostic[];
        } catch {
          continue;
        }
        for (const d of diags) {
          if (d.kind !== "error" && d.kind !== "fatal error") continue;
          const lines = [d, ...(d.children ?? [])].flatMap((x) => x.locations ?? [])
            .flatMap((l) => (l.caret?.file === "<stdin>" && l.caret.line !== undefined ? [l.caret.line] : []));
          errors.push({ message: d.message, lines });
        }
      }
      if (code !== 0 && errors.length === 0) errors.push({ message: err.trim().split("\n")[0] ?? `${cc} exited with ${code}`, lines: [] });
      resolve({ ok: code === 0, asm: out, errors });
    });
    child.stdin.end(source);
  });
}

function classify(message: string): FailureReason {
  if (/incomplete type/.test(message)) return "incomplete type";
  if (/undeclared|unknown type name|expected expression/.test(message)) return "undeclared name";
  if (/not constant|not an integer constant|constant expression/.test(message)) return "not a constant expression";
  return "other error";
}

const label = (name: string) => `abigen_v_${name}`;

/** Source for one header: optional prelude, the header, one guarded line per macro. */
function unit(header: string, names: readonly string[], prelude: boolean): { source: string; lineOf: Map<number, string> } {
  const lines = [...(prelude ? PRELUDE.map((h) => `#include <${h}>`) : []), "#include <linux/ioctl.h>", `#include <${header}>`];
  const lineOf = new Map<number, string>();
  for (const n of names) {
    lines.push(`#ifdef ${n}`);
    lines.push(`const unsigned int ${label(n)} = (unsigned int)(${n});`);
    lineOf.set(lines.length, n);
    lines.push("#endif");
  }
  return { source: lines.join("\n") + "\n", lineOf };
}

function readValues(asm: string): Map<string, number> {
  const values = new Map<string, number>();
  for (const m of asm.matchAll(/^abigen_v_(\w+):\s*\n\s*\.(?:long|int|4byte|word)\s+(-?\w+)/gm)) {
    values.set(m[1]!, Number(BigInt.asUintN(32, BigInt(m[2]!))));
  }
  return values;
}

interface Pass {
  readonly values: Map<string, number>;
  readonly failures: MacroFailure[];
  readonly headerError?: string;
  readonly compiles: number;
}

/** Compile until every remaining macro has a value: each round drops the macros that failed. */
async function pass(cc: string, args: readonly string[], header: string, all: readonly string[], prelude: boolean): Promise<Pass> {
  const failures: MacroFailure[] = [];
  let names = [...all];
  for (let compiles = 1; ; compiles++) {
    const { source, lineOf } = unit(header, names, prelude);
    const r = await runCompiler(cc, args, source);
    if (r.ok) {
      const found = readValues(r.asm);
      const values = new Map<string, number>();
      for (const name of names) {
        const v = found.get(name);
        if (v !== undefined) values.set(name, v);
        else failures.push({ name, header, reason: "not defined when the header is included", message: "#ifdef is false: the definition is conditional (e.g. __KERNEL__ or another arch)" });
      }
      return { values, failures, compiles };
    }
    // An error on no macro line is the header's own: it does not compile (alone).
    const headerErrors = r.errors.filter((e) => !e.lines.some((l) => lineOf.has(l)));
    if (headerErrors.length > 0) {
      const message = headerErrors[0]!.message;
      return { values: new Map(), failures: all.map((name) => ({ name, header, reason: "header does not compile" as const, message })), headerError: message, compiles };
    }
    const bad = new Map<string, string>();
    for (const e of r.errors) for (const l of e.lines) {
      const n = lineOf.get(l);
      if (n !== undefined && !bad.has(n)) bad.set(n, e.message);
    }
    for (const [name, message] of bad) failures.push({ name, header, reason: classify(message), message });
    names = names.filter((n) => !bad.has(n));
  }
}

/**
 * The header alone first (after <linux/ioctl.h>, which ioctl headers expect their user to have
 * included). Whatever fails is tried once more after the prelude of common system headers;
 * what still fails is reported with the error it had alone.
 */
export async function evaluateHeader(
  cc: string, args: readonly string[], header: string, candidates: readonly Candidate[],
): Promise<HeaderOutcome> {
  const kinds = new Map(candidates.map((c) => [c.name, c.kind]));
  const alone = await pass(cc, args, header, candidates.map((c) => c.name), false);
  const retry = alone.failures.filter((f) => f.reason !== "not defined when the header is included");
  let compiles = alone.compiles;
  const values = new Map(alone.values);
  let failures = alone.failures;
  let preludeHelped = 0;
  if (retry.length > 0) {
    const again = await pass(cc, args, header, retry.map((f) => f.name), true);
    compiles += again.compiles;
    if (again.headerError === undefined) {
      for (const [n, v] of again.values) values.set(n, v);
      preludeHelped = again.values.size;
      failures = failures.filter((f) => !again.values.has(f.name));
    }
  }
  return {
    header,
    values: candidates.flatMap((c) => (values.has(c.name) ? [{ name: c.name, kind: kinds.get(c.name)!, value: values.get(c.name)! }] : [])),
    failures,
    neededPrelude: preludeHelped > 0,
    macrosNeedingPrelude: preludeHelped,
    ...(alone.headerError !== undefined && preludeHelped === 0 ? { headerError: alone.headerError } : {}),
    compiles,
  };
}
