/**
 * The installed-header rules (ABI104–ABI106) need a scan of the installed headers, which the
 * pipeline does not have: a full scan takes seconds and depends on the machine. They run
 * here, over a compiled program, when the caller has a scan — `abigen conflicts` always tries,
 * `abigen specs/` only with a cached scan or `--scan`.
 */
import { Diagnostics, type Diagnostic } from "../diagnostics/diagnostic.js";
import { makeContext, type Rule } from "../checks/rule.js";
import type { Program } from "../model/model.js";
import type { Target } from "../targets/targets.js";
import type { ScanResult } from "../scan/scan.js";
import { installedNumberEqual } from "../checks/rules/installed-number-equal.js";
import { installedSlotShared } from "../checks/rules/installed-slot-shared.js";
import { installedDefinitionDiffers } from "../checks/rules/installed-definition-differs.js";

export function installedRules(scan: ScanResult): Rule[] {
  return [installedNumberEqual(scan), installedSlotShared(scan), installedDefinitionDiffers(scan)];
}

/** The installed-header diagnostics of a program (with @allow applied), sorted. */
export function installedDiagnostics(program: Program, targets: readonly Target[], scan: ScanResult): Diagnostic[] {
  const diags = new Diagnostics();
  const ctx = makeContext(program, targets, diags);
  for (const rule of installedRules(scan)) rule.check(ctx);
  return diags.sorted();
}
