/**
 * The conflict report: every spec ioctl against the other spec ioctls, the kernel's ioctl
 * registry, the commands the VFS intercepts and (with a scan) the installed headers.
 *
 * Problems are found by the check rules themselves (run here through a recording context), so
 * the report and `abigen specs/` can never disagree; the report adds what the rules do not
 * say because it is fine — an ioctl that IS the installed one, a range that is the family's own
 * registry allocation — and the per-family picture (ranges, rows, free slots) the formatters need.
 */
import { Diagnostics, type Diagnostic, type Related } from "../diagnostics/diagnostic.js";
import type { Code } from "../diagnostics/codes.js";
import { makeContext, type CheckContext, type Rule } from "../checks/rule.js";
import { RULES } from "../checks/index.js";
import { declsOf, type DeclCommon, type IoctlModel, type Program } from "../model/model.js";
import { ioctlNumber } from "../layout/ioctl-numbers.js";
import { hex32 } from "../targets/ioctl-encoding.js";
import type { Target } from "../targets/targets.js";
import { registry as defaultRegistry, type FreeSlot, type Registry, type RegistryRow } from "../registry/registry.js";
import type { ScanResult } from "../scan/scan.js";
import type { Loc } from "../syntax/source.js";
import { groupTargets } from "../checks/target-groups.js";
import { familyLines, type FamilyLine } from "../registry/family-lines.js";
import { occupancy, suggestFree } from "./free-ranges.js";
import { installedClashes } from "./installed-clashes.js";
import { reachText, vfsClashes } from "./vfs-clashes.js";
import { installedRules } from "./installed-checks.js";
import { rangeLabel, rowLabel, typeLabel } from "./labels.js";
import { NO_SCAN_CACHED, sourcesUsed, type SourcesUsed } from "./sources.js";

export type FindingSeverity = "error" | "warning" | "info";
export type SourceKind = "spec" | "registry" | "vfs" | "installed";

export interface Finding {
  readonly severity: FindingSeverity;
  /** The diagnostic code; undefined for info findings (they are not problems). */
  readonly code?: Code;
  readonly source: SourceKind;
  readonly family: string;
  readonly ioctl?: string;
  readonly message: string;
  /** How to fix it (the diagnostic's hint). */
  readonly fix?: string;
  readonly loc?: Loc;
  readonly related: readonly Related[];
  /** The `@allow` reason, for an acknowledged warning. */
  readonly suppressed?: string;
  /** The (type, nr) slots it is about, for the map. */
  readonly slots: readonly { readonly type: number; readonly nr: number }[];
}

export interface FamilyRange {
  readonly type: number;
  readonly nrs: readonly number[];
  readonly ownRows: readonly RegistryRow[];
  readonly claim?: { readonly nrFirst: number; readonly nrLast: number };
  /** Registry rows of other headers the claim overlaps. */
  readonly overlaps: readonly RegistryRow[];
  /** Other spec families whose claims overlap this one. */
  readonly overlapsFamilies: readonly string[];
  /** Free slots as wide as the claim (only when the claim overlaps something). */
  readonly free: readonly FreeSlot[];
}

export interface FamilySummary {
  readonly name: string;
  readonly header: string;
  readonly file: string;
  readonly loc: Loc;
  readonly ranges: readonly FamilyRange[];
}

export interface IoctlSummary {
  readonly name: string;
  readonly family: string;
  readonly type: number;
  readonly nr: number;
  readonly loc: Loc;
  /** The number per target, targets with the same number grouped. */
  readonly numbers: readonly { readonly number: number; readonly targets: readonly string[] }[];
}

export interface ConflictReport {
  readonly targets: readonly Target[];
  readonly sources: SourcesUsed;
  readonly families: readonly FamilySummary[];
  readonly ioctls: readonly IoctlSummary[];
  /** By family (program order), then severity, then location. */
  readonly findings: readonly Finding[];
  readonly registry: Registry;
  readonly scan?: ScanResult;
}

/** Which source each conflict code compares against. */
export const CONFLICT_SOURCES: Readonly<Partial<Record<Code, SourceKind>>> = {
  ABI054: "spec", ABI055: "spec", ABI101: "spec",
  ABI100: "registry",
  ABI102: "vfs", ABI103: "vfs",
  ABI104: "installed", ABI105: "installed", ABI106: "installed",
};

export interface ReportOptions {
  /** Installed-header scan; without one the installed headers are not compared. */
  readonly scan?: ScanResult;
  /** Why there is no scan (shown in the sources line). */
  readonly whyNoScan?: string;
  readonly registry?: Registry;
}

/** The rules that report conflicts: the spec-vs-spec ones, registry, VFS, and installed (with a scan). */
function conflictRules(scan: ScanResult | undefined): Rule[] {
  const pipeline = RULES.filter((r) => r.codes.some((c) => CONFLICT_SOURCES[c] !== undefined));
  return scan ? [...pipeline, ...installedRules(scan)] : pipeline;
}

/** Run rules, remembering the declaration each diagnostic was reported on. */
function runRecording(program: Program, targets: readonly Target[], rules: readonly Rule[]): { diag: Diagnostic; decl?: DeclCommon }[] {
  const diags = new Diagnostics();
  const inner = makeContext(program, targets, diags);
  const decls: (DeclCommon | undefined)[] = [];
  const ctx: CheckContext = {
    ...inner,
    report(code, decl, d) {
      inner.report(code, decl, d);
      decls.push(decl);
    },
  };
  for (const rule of rules) rule.check(ctx);
  return diags.list.map((diag, i) => ({ diag, decl: decls[i] }));
}

export function buildReport(program: Program, targets: readonly Target[], opts: ReportOptions = {}): ConflictReport {
  const reg = opts.registry ?? defaultRegistry();
  const lines = familyLines(program, reg);
  const ranges = lines.map((l) => l.range);
  const occ = occupancy(ranges, opts.scan);
  const allIoctls = program.families.flatMap((f) => declsOf(f, "ioctl"));
  const ioctlByDecl = new Map<DeclCommon, IoctlModel>(allIoctls.map((io) => [io, io]));

  const findings: Finding[] = [];
  for (const { diag, decl } of runRecording(program, targets, conflictRules(opts.scan))) {
    const io = decl && ioctlByDecl.get(decl);
    findings.push({
      severity: diag.severity === "note" ? "info" : diag.severity,
      code: diag.code,
      source: CONFLICT_SOURCES[diag.code] ?? "spec",
      family: decl?.family ?? "",
      ioctl: io?.name,
      message: diag.message,
      fix: diag.hint,
      loc: diag.loc,
      related: diag.related ?? [],
      suppressed: diag.suppressed,
      slots: io ? [{ type: io.magic, nr: io.nr }] : [],
    });
  }
  findings.push(...registryInfos(lines));
  if (opts.scan) findings.push(...installedInfos(program, opts.scan));
  findings.push(...vfsInfos(allIoctls, targets));

  const familyOrder = new Map(program.families.map((f, i) => [f.name, i]));
  const sevOrder: Record<FindingSeverity, number> = { error: 0, warning: 1, info: 2 };
  findings.sort((a, b) =>
    (familyOrder.get(a.family) ?? 0) - (familyOrder.get(b.family) ?? 0) ||
    sevOrder[a.severity] - sevOrder[b.severity] ||
    compareLocs(a.loc, b.loc) ||
    (a.code ?? "").localeCompare(b.code ?? ""));

  const families: FamilySummary[] = program.families.map((f) => ({
    name: f.name, header: f.header, file: f.file, loc: f.loc,
    ranges: lines.filter((l) => l.range.family === f).map(({ range: r, overlaps, overlapsFamilies, conflict }): FamilyRange => ({
      type: r.type, nrs: r.ioctls.map((io) => io.nr), ownRows: r.ownRows, claim: r.claim,
      overlaps, overlapsFamilies, free: conflict ? suggestFree(r, reg, occ) : [],
    })),
  }));

  const ioctls: IoctlSummary[] = allIoctls.map((io) => ({
    name: io.name, family: io.family, type: io.magic, nr: io.nr, loc: io.loc,
    numbers: groupTargets(targets, (t) => ioctlNumber(io, t)).map((g) => ({ number: g.value, targets: g.targets.map((t) => t.name) })),
  }));

  return {
    targets, families, ioctls, findings, registry: reg, scan: opts.scan,
    sources: sourcesUsed(program.families.length, allIoctls.length, reg, opts.scan, opts.whyNoScan ?? NO_SCAN_CACHED),
  };
}

function compareLocs(a: Loc | undefined, b: Loc | undefined): number {
  const fa = a?.source.name ?? "";
  const fb = b?.source.name ?? "";
  if (fa !== fb) return fa < fb ? -1 : 1;
  return (a?.start ?? -1) - (b?.start ?? -1);
}

/** Ranges that are fine: the family's own registry rows, or a free range not yet registered. */
function registryInfos(lines: readonly FamilyLine[]): Finding[] {
  const out: Finding[] = [];
  for (const { range: r, overlaps } of lines) {
    const slots = r.ioctls.map((io) => ({ type: r.type, nr: io.nr }));
    if (r.ownRows.length > 0) {
      const n = r.ioctls.length - r.uncovered.length;
      out.push({
        severity: "info", source: "registry", family: r.family.name, related: [], slots, loc: r.family.loc,
        message: `${n} ioctl${n === 1 ? "" : "s"} of type ${typeLabel(r.type)} lie in the family's own ` +
          `ioctl-number.rst rows: ${r.ownRows.map(rowLabel).join("; ")}`,
      });
    }
    if (r.claim && overlaps.length === 0) {
      out.push({
        severity: "info", source: "registry", family: r.family.name, related: [], slots, loc: r.uncovered[0]!.loc,
        message: `${rangeLabel(r.type, r.claim.nrFirst, r.claim.nrLast)} is free in ioctl-number.rst but not registered`,
        fix: "add the row `abigen conflicts --format rst` prints to Documentation/userspace-api/ioctl/ioctl-number.rst",
      });
    }
  }
  return out;
}

/** Spec ioctls that are a VFS command themselves (same name): described, not conflicting. */
function vfsInfos(ioctls: readonly IoctlModel[], targets: readonly Target[]): Finding[] {
  return vfsClashes(ioctls, targets).filter((c) => c.describes).map((c) => ({
    severity: "info" as const, source: "vfs" as const, family: c.ioctl.family, ioctl: c.ioctl.name,
    loc: c.ioctl.loc, related: [], slots: [{ type: c.ioctl.magic, nr: c.ioctl.nr }],
    message: `\`${c.ioctl.name}\` is the VFS command of that name — ${reachText(c.command)}`,
  }));
}

/** Spec ioctls that are the installed ones (same name, same number): described, not conflicting. */
function installedInfos(program: Program, scan: ScanResult): Finding[] {
  return installedClashes(program, scan).filter((c) => c.matches.length > 0).map((c) => ({
    severity: "info" as const, source: "installed" as const, family: c.family.name, ioctl: c.ioctl.name,
    loc: c.ioctl.loc, related: [], slots: [{ type: c.ioctl.magic, nr: c.ioctl.nr }],
    message: `\`${c.ioctl.name}\` matches installed ${[...new Set(c.matches.map((e) => e.header))].join(", ")} (${hex32(c.number)} on ${c.target.name})`,
  }));
}

export function counts(findings: readonly Finding[]): { errors: number; warnings: number; infos: number; suppressed: number } {
  const live = findings.filter((f) => f.suppressed === undefined);
  return {
    errors: live.filter((f) => f.severity === "error").length,
    warnings: live.filter((f) => f.severity === "warning").length,
    infos: live.filter((f) => f.severity === "info").length,
    suppressed: findings.length - live.length,
  };
}

