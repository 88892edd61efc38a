import { CODES, type Code, type Severity } from "./codes.js";
import { formatLoc, type Loc } from "../syntax/source.js";

/** A related location shown under a diagnostic ("first declared here"). */
export interface Related {
  readonly message: string;
  readonly loc: Loc;
}

/** One problem in a spec: stable code, location, message and a hint that says how to fix it. */
export interface Diagnostic {
  readonly code: Code;
  readonly severity: Severity;
  readonly message: string;
  readonly hint?: string;
  readonly loc?: Loc;
  readonly related?: readonly Related[];
  /** Set when an `@allow(CODE, "reason")` on an enclosing declaration covers this warning. */
  readonly suppressed?: string;
}

export interface DiagnosticInput {
  message: string;
  hint?: string;
  loc?: Loc;
  related?: Related[];
  /** Overrides the code's default severity (rarely needed). */
  severity?: Severity;
}

/**
 * Collects diagnostics for one compilation. Phases report through it; the pipeline asks
 * `hasErrors()` between phases and stops before a phase that would only cascade.
 */
export class Diagnostics {
  readonly list: Diagnostic[] = [];

  report(code: Code, d: DiagnosticInput): Diagnostic {
    const diag: Diagnostic = { code, severity: d.severity ?? CODES[code].severity, ...d };
    this.list.push(diag);
    return diag;
  }

  hasErrors(): boolean {
    return this.list.some((d) => d.severity === "error" && !d.suppressed);
  }

  /** Stable order: by file, then offset, then code. */
  sorted(): Diagnostic[] {
    return [...this.list].sort(compareDiagnostics);
  }
}

export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  const fa = a.loc?.source.name ?? "";
  const fb = b.loc?.source.name ?? "";
  if (fa !== fb) return fa < fb ? -1 : 1;
  const oa = a.loc?.start ?? -1;
  const ob = b.loc?.start ?? -1;
  if (oa !== ob) return oa - ob;
  return a.code < b.code ? -1 : a.code > b.code ? 1 : 0;
}

/** "specs/x.abi:3:5: error ABI060: message" — the first line of a rendered diagnostic. */
export function headline(d: Diagnostic): string {
  const where = d.loc ? `${formatLoc(d.loc)}: ` : "";
  return `${where}${d.severity} ${d.code}: ${d.message}`;
}
