/** Reporting a diagnostic at a span of a spec file (every checker phase goes through this). */
import type { Code } from "../diagnostics/codes.js";
import type { Diagnostics, DiagnosticInput } from "../diagnostics/diagnostic.js";
import type { FileNode } from "../syntax/ast.js";
import { locOf, type Loc, type Span } from "../syntax/source.js";

export class Reporter {
  constructor(readonly diags: Diagnostics) {}

  loc(file: FileNode, span: Span): Loc {
    return locOf(file.source, span);
  }

  report(code: Code, file: FileNode, span: Span, d: Omit<DiagnosticInput, "loc">): void {
    this.diags.report(code, { ...d, loc: locOf(file.source, span) });
  }
}
