/**
 * A check rule: one stable diagnostic code (sometimes a few closely related ones), one file
 * under src/checks/rules/, run over the checked model after it is built. Rules report through
 * the context, which applies `@allow(CODE, "reason")` suppression.
 */
import type { Code } from "../diagnostics/codes.js";
import type { Diagnostics, DiagnosticInput } from "../diagnostics/diagnostic.js";
import type { DeclCommon, Program } from "../model/model.js";
import type { Target } from "../targets/targets.js";

export interface CheckContext {
  readonly program: Program;
  /** The targets being checked (all by default, or `--target`). */
  readonly targets: readonly Target[];
  /** Report a problem found in `decl` (or in something inside it). */
  report(code: Code, decl: DeclCommon | undefined, d: DiagnosticInput): void;
}

export interface Rule {
  /** The codes this rule can report (documentation and the fixture coverage test use it). */
  readonly codes: readonly Code[];
  readonly name: string;
  check(ctx: CheckContext): void;
}

export function makeContext(program: Program, targets: readonly Target[], diags: Diagnostics): CheckContext {
  return {
    program,
    targets,
    report(code, decl, d) {
      const reason = decl?.allow.get(code);
      const diag = diags.report(code, d);
      if (reason !== undefined && diag.severity === "warning") Object.assign(diag, { suppressed: reason });
    },
  };
}
