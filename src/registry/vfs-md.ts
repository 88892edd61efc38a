/**
 * Reads the command tables of vfs-intercepted-ioctls.md (Markdown pipe tables) into
 * VfsCommand records. Only the mechanical table cells are parsed here; the per-arch
 * overrides described in the note's prose are supplied by the generator.
 */
import type { IoctlDir } from "../syntax/ast.js";
import type { PrintedValue, ReachesDriver, VfsCommand, VfsDefinition } from "./vfs-data.js";

interface MdTable {
  readonly header: string[];
  readonly rows: { cells: string[]; line: number }[];
}

function cellsOf(line: string): string[] {
  return line.trim().replace(/^\|/, "").replace(/\|$/, "").split("|").map((c) => c.trim());
}

export function mdTables(text: string): MdTable[] {
  const lines = text.split("\n");
  const tables: MdTable[] = [];
  for (let i = 0; i + 1 < lines.length; i++) {
    if (!lines[i]!.startsWith("|") || !/^\|(\s*-+\s*\|)+\s*$/.test(lines[i + 1]!)) continue;
    const table: MdTable = { header: cellsOf(lines[i]!), rows: [] };
    let j = i + 2;
    for (; j < lines.length && lines[j]!.startsWith("|"); j++) table.rows.push({ cells: cellsOf(lines[j]!), line: j + 1 });
    tables.push(table);
    i = j;
  }
  return tables;
}

const DIRS: Record<string, IoctlDir> = { _IO: "none", _IOR: "read", _IOW: "write", _IOWR: "readwrite" };

/** `_IOWR('X', 119, int)`, `_IO(0x00, 2)` or a bare `0x5451`; undefined for anything else. */
export function parseDefinition(code: string): VfsDefinition | undefined {
  const lit = /^(0x[0-9A-Fa-f]+|\d+)$/.exec(code.trim());
  if (lit) return { kind: "literal", value: Number(lit[1]) };
  const m = /^(_IOWR|_IOW|_IOR|_IO)\(\s*('.'|0x[0-9A-Fa-f]+|\d+)\s*,\s*(0x[0-9A-Fa-f]+|\d+)\s*(?:,\s*([^)]+?))?\s*\)$/.exec(code.trim());
  if (!m) return undefined;
  const type = m[2]!.startsWith("'") ? m[2]!.charCodeAt(1) : Number(m[2]);
  return { kind: "ioc", dir: DIRS[m[1]!]!, type, nr: Number(m[3]), ctype: m[4] ?? null };
}

/** `0x80086601 (LP64) / 0x80046601 (ILP32)` → two values; `see note` or empty → none. */
export function parsePrinted(cell: string): PrintedValue[] {
  return cell.split("/").flatMap((part) => {
    const m = /^\s*(0x[0-9A-Fa-f]+)\s*(?:\(([^)]*)\))?\s*$/.exec(part);
    if (!m) return [];
    return [m[2] ? { value: Number(m[1]), qualifier: m[2] } : { value: Number(m[1]) }];
  });
}

function reaches(cell: string): ReachesDriver {
  if (/^never/i.test(cell)) return "never";
  if (/^YES for non-regular/i.test(cell)) return "non-regular";
  if (/^YES, if/i.test(cell)) return "conditional";
  throw new Error(`unknown "Reaches driver?" cell: ${cell}`);
}

export interface MdCommands {
  readonly commands: VfsCommand[];
  /** Rows that could not be made into a command, with the reason (e.g. a range of numbers). */
  readonly skipped: { line: number; name: string; reason: string }[];
}

/**
 * The two command tables: the do_vfs_ioctl() switch (all fds) and the regular-file-only one.
 * A Definition cell's first backquoted code span is the definition.
 */
export function parseVfsMarkdown(text: string): MdCommands {
  const tables = mdTables(text).filter((t) => t.header[0] === "Command" && t.header[1] === "Definition");
  if (tables.length !== 2) throw new Error(`expected 2 command tables, found ${tables.length}`);
  const commands: VfsCommand[] = [];
  const skipped: MdCommands["skipped"] = [];
  tables.forEach((t, ti) => {
    const col = (name: string) => {
      const i = t.header.indexOf(name);
      if (i < 0) throw new Error(`table ${ti + 1} has no column ${name}`);
      return i;
    };
    const scope = ti === 0 ? "all" : "regular";
    for (const { cells, line } of t.rows) {
      const name = cells[0]!;
      const text = cells[col("Definition")]!;
      const code = /`([^`]+)`/.exec(text)?.[1];
      const definition = code === undefined ? undefined : parseDefinition(code);
      if (!/^[A-Z0-9_]+$/.test(name) || !definition) {
        skipped.push({ line, name, reason: `definition ${JSON.stringify(text)} is not one command` });
        continue;
      }
      const printed = {
        generic: parsePrinted(cells[col("Generic value")]!),
        dir3: parsePrinted(cells[col("ppc/mips/sparc/alpha")]!),
        parisc: parsePrinted(cells[col("parisc")]!),
      };
      if (scope === "all") {
        const r = cells[col("Reaches driver?")]!;
        commands.push({
          name, scope, text, definition, archOverrides: [], printed,
          handledBy: cells[col("Where handled")]!, appliesTo: cells[col("Applies to")]!,
          reachesDriver: reaches(r), reachesDriverText: r,
        });
      } else {
        commands.push({
          name, scope, text, definition, archOverrides: [], printed,
          handledBy: cells[col("Action")]!, appliesTo: "regular, non-anonymous files",
          reachesDriver: "non-regular",
          reachesDriverText: "YES for non-regular files (file_ioctl() runs only for regular files)",
        });
      }
    }
  });
  return { commands, skipped };
}
