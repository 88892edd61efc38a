/** `--format json`: the whole report as data (numbers as 0x strings and integers both). */
import { hex32 } from "../targets/ioctl-encoding.js";
import type { Loc } from "../syntax/source.js";
import type { RegistryRow, FreeSlot } from "../registry/registry.js";
import { counts, type ConflictReport } from "./report.js";
import { typeLabel } from "./labels.js";

function where(loc: Loc | undefined) {
  if (!loc) return undefined;
  const { line, column } = loc.source.position(loc.start);
  return { file: loc.source.name, line, column };
}

const row = (r: RegistryRow) => ({ code: r.code, seq: r.seq, include: r.include, comment: r.comment, conflict: r.conflict, line: r.line });
const slot = (s: FreeSlot) => ({ type: s.type, typeLabel: typeLabel(s.type), nrFirst: s.nrFirst, nrLast: s.nrLast, typeUnused: s.typeUnused });

export function toJsonReport(report: ConflictReport): unknown {
  return {
    tool: "abigen conflicts",
    version: 1,
    targets: report.targets.map((t) => t.name),
    sources: report.sources,
    summary: counts(report.findings),
    families: report.families.map((f) => ({
      name: f.name, header: f.header, file: f.file,
      ranges: f.ranges.map((r) => ({
        type: r.type, typeLabel: typeLabel(r.type), nrs: r.nrs,
        ownRows: r.ownRows.map(row), claim: r.claim ?? null,
        overlaps: r.overlaps.map(row), overlapsFamilies: r.overlapsFamilies, free: r.free.map(slot),
      })),
    })),
    ioctls: report.ioctls.map((io) => ({
      name: io.name, family: io.family, type: io.type, nr: io.nr, location: where(io.loc),
      numbers: io.numbers.map((n) => ({ number: n.number, hex: hex32(n.number), targets: n.targets })),
    })),
    findings: report.findings.map((f) => ({
      severity: f.severity, code: f.code ?? null, source: f.source, family: f.family, ioctl: f.ioctl ?? null,
      message: f.message, fix: f.fix ?? null, location: where(f.loc) ?? null,
      related: f.related.map((r) => ({ message: r.message, location: where(r.loc) })),
      suppressed: f.suppressed ?? null, slots: f.slots,
    })),
  };
}

export function formatJson(report: ConflictReport): string {
  return JSON.stringify(toJsonReport(report), null, 1);
}
