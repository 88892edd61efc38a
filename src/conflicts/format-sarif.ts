/**
 * `--format sarif`: SARIF 2.1.0 for code-scanning UIs. One result per finding that is a
 * problem (info findings are not), located at the spec line; acknowledged warnings carry an
 * in-source suppression with the @allow reason.
 */
import { CODES, type Code } from "../diagnostics/codes.js";
import type { Loc } from "../syntax/source.js";
import type { ConflictReport, Finding } from "./report.js";

const SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";

function region(loc: Loc) {
  const start = loc.source.position(loc.start);
  const end = loc.source.position(Math.max(loc.start, loc.end));
  return { startLine: start.line, startColumn: start.column, endLine: end.line, endColumn: end.column };
}

function location(loc: Loc, message?: string) {
  return {
    physicalLocation: {
      // Paths relative to where abigen ran, with forward slashes, as SARIF URIs are.
      artifactLocation: { uri: encodeURI(loc.source.name.replace(/\\/g, "/")) },
      region: region(loc),
    },
    ...(message ? { message: { text: message } } : {}),
  };
}

const level = (f: Finding) => (f.severity === "error" ? "error" : "warning");

export function toSarif(report: ConflictReport): unknown {
  const problems = report.findings.filter((f): f is Finding & { code: Code } => f.code !== undefined && f.severity !== "info");
  const ruleIds = [...new Set(problems.map((f) => f.code))].sort();
  return {
    $schema: SCHEMA,
    version: "2.1.0",
    runs: [{
      tool: {
        driver: {
          name: "abigen",
          rules: ruleIds.map((id) => ({
            id,
            name: id,
            shortDescription: { text: CODES[id].title },
            defaultConfiguration: { level: CODES[id].severity === "error" ? "error" : "warning" },
          })),
        },
      },
      results: problems.map((f) => ({
        ruleId: f.code,
        ruleIndex: ruleIds.indexOf(f.code),
        level: level(f),
        message: { text: f.fix ? `${f.message}\nFix: ${f.fix}` : f.message },
        locations: f.loc ? [location(f.loc)] : [],
        ...(f.related.length > 0 ? { relatedLocations: f.related.map((r, i) => ({ id: i + 1, ...location(r.loc, r.message) })) } : {}),
        ...(f.suppressed !== undefined ? { suppressions: [{ kind: "inSource", justification: f.suppressed }] } : {}),
        properties: { source: f.source, family: f.family, ...(f.ioctl ? { ioctl: f.ioctl } : {}) },
      })),
    }],
  };
}

export function formatSarif(report: ConflictReport): string {
  return JSON.stringify(toSarif(report), null, 1);
}
