/**
 * Every diagnostic abigen can report, with a stable code.
 *
 * Codes never change meaning once released: tests, docs, `@allow(...)` attributes and users' CI
 * logs refer to them. New checks get new codes. The `phase` says which pipeline stage reports it.
 */
export type Severity = "error" | "warning" | "note";

export interface CodeInfo {
  readonly severity: Severity;
  readonly phase: "syntax" | "resolve" | "const" | "type" | "layout" | "ioctl" | "protocol" | "lint";
  /** One line: what the rule is about (shown by `abigen explain` and in docs/diagnostics.md). */
  readonly title: string;
}

export const CODES = {
  // syntax
  ABI001: { severity: "error", phase: "syntax", title: "unexpected character or unterminated token" },
  ABI002: { severity: "error", phase: "syntax", title: "syntax error" },
  // names and files
  ABI010: { severity: "error", phase: "resolve", title: "unknown name" },
  ABI011: { severity: "error", phase: "resolve", title: "duplicate name" },
  ABI012: { severity: "error", phase: "resolve", title: "name refers to the wrong kind of declaration" },
  ABI013: { severity: "error", phase: "resolve", title: "recursive type" },
  ABI014: { severity: "error", phase: "resolve", title: "import not found" },
  ABI015: { severity: "error", phase: "resolve", title: "missing or repeated family declaration" },
  ABI016: { severity: "error", phase: "resolve", title: "unknown or misplaced attribute, or bad attribute arguments" },
  ABI017: { severity: "error", phase: "resolve", title: "unknown target name" },
  ABI018: { severity: "error", phase: "resolve", title: "unknown errno name" },
  // constant expressions
  ABI020: { severity: "error", phase: "const", title: "constant overflow" },
  ABI021: { severity: "error", phase: "const", title: "division by zero" },
  ABI022: { severity: "error", phase: "const", title: "shift count out of range" },
  ABI023: { severity: "error", phase: "const", title: "sizeof of a type whose size differs between targets" },
  // types
  ABI030: { severity: "error", phase: "type", title: "array length is zero or negative" },
  ABI031: { severity: "error", phase: "type", title: "array or type too large" },
  ABI032: { severity: "error", phase: "type", title: "flexible array member not last in a struct" },
  ABI033: { severity: "error", phase: "type", title: "invalid packed/aligned attribute" },
  ABI034: { severity: "error", phase: "type", title: "padding or reserved field is not an integer or integer array" },
  // enums and flags
  ABI040: { severity: "error", phase: "const", title: "enum or flag value out of range of its underlying type" },
  ABI041: { severity: "error", phase: "const", title: "flag bit index out of range" },
  ABI042: { severity: "warning", phase: "const", title: "two enum members share a value" },
  ABI043: { severity: "error", phase: "type", title: "enum or flags underlying type is not a fixed-size integer" },
  // ioctls
  ABI050: { severity: "error", phase: "ioctl", title: "ioctl nr out of range 0..255" },
  ABI051: { severity: "error", phase: "ioctl", title: "ioctl type is not one byte" },
  ABI052: { severity: "error", phase: "ioctl", title: "argument size not encodable in the ioctl size field" },
  ABI053: { severity: "warning", phase: "ioctl", title: "_IO ioctl that takes an argument" },
  ABI054: { severity: "error", phase: "ioctl", title: "two ioctls share a (type, nr) slot" },
  ABI055: { severity: "error", phase: "ioctl", title: "two ioctls have the same encoded number" },
  ABI056: { severity: "warning", phase: "ioctl", title: "arch-dependent type in an ioctl argument" },
  ABI057: { severity: "error", phase: "ioctl", title: "ioctl direction and argument disagree" },
  // layout
  ABI060: { severity: "error", phase: "layout", title: "implicit padding" },
  ABI061: { severity: "warning", phase: "layout", title: "layout differs between targets" },
  ABI062: { severity: "warning", phase: "layout", title: "64-bit integer not 8-byte aligned on some target" },
  // semantic annotations
  ABI070: { severity: "error", phase: "type", title: "bad @ptr annotation" },
  ABI071: { severity: "error", phase: "type", title: "bad @range annotation" },
  ABI072: { severity: "error", phase: "type", title: "bad @fd annotation" },
  ABI073: { severity: "error", phase: "type", title: "bad @flags/@enum annotation" },
  // protocols
  ABI080: { severity: "error", phase: "protocol", title: "bad protocol message or command" },
  // suppression
  ABI090: { severity: "error", phase: "lint", title: "bad @allow: unknown code, not a warning, or no reason" },
  // conflicts with the world outside the specs (src/checks/rules/registry-*, vfs-*, installed-*; docs/conflicts.md)
  ABI100: { severity: "warning", phase: "ioctl", title: "ioctl range overlaps ioctl-number.rst rows of another header" },
  ABI101: { severity: "warning", phase: "ioctl", title: "unregistered ioctl ranges of two spec families overlap" },
  ABI102: { severity: "error", phase: "ioctl", title: "ioctl number equals a command the VFS handles before the driver" },
  ABI103: { severity: "warning", phase: "ioctl", title: "ioctl shares its (type, nr) slot with a command the VFS handles" },
  ABI104: { severity: "warning", phase: "ioctl", title: "ioctl number equals an installed-header ioctl of another name" },
  ABI105: { severity: "warning", phase: "ioctl", title: "ioctl shares its (type, nr) slot with an installed-header ioctl" },
  ABI106: { severity: "error", phase: "ioctl", title: "ioctl number differs from the installed family header's definition" },
} as const satisfies Record<string, CodeInfo>;

export type Code = keyof typeof CODES;

export function isCode(s: string): s is Code {
  return Object.prototype.hasOwnProperty.call(CODES, s);
}
