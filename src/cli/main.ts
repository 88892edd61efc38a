/**
 * The `abigen` command line.
 *
 *   abigen <specs…> [--check] [--out DIR] [--target a,b] [--format text|json] [--deny-warnings]
 *   abigen fmt <files…> [--write | --check]
 *   abigen explain <CODE>        abigen targets
 *
 * Exit status: 0 clean, 1 errors (or stale outputs with --check, or warnings with
 * --deny-warnings), 2 usage errors.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { compileSpecs, UsageError } from "../compiler.js";
import { renderText, summarize, toJson } from "../diagnostics/render.js";
import { emitChunks } from "../emit/index.js";
import { syncOutputs } from "../emit/output.js";
import { fmtCommand } from "./fmt.js";
import { scanCommand } from "../scan/scan.js";
import { decodeCommand } from "../registry/decode.js";
import { lockCommand, diffCommand } from "../abi/commands.js";
import { conflictsCommand, conflictChecksForBuild } from "../conflicts/command.js";
import { compareDiagnostics } from "../diagnostics/diagnostic.js";
import { checkAgainstLock, findLockFile, type LockCheck } from "../abi/check.js";
import { CODES, isCode } from "../diagnostics/codes.js";
import { TARGETS } from "../targets/targets.js";

export interface Io {
  out(s: string): void;
  err(s: string): void;
}

const stdio: Io = {
  out: (s) => process.stdout.write(s + "\n"),
  err: (s) => process.stderr.write(s + "\n"),
};

const USAGE = `usage:
  abigen <spec files or dirs…> [options]   check specs and write generated/
      --check              write nothing; exit 1 if generated/ is stale
      --out DIR            output directory (default: generated)
      --target a,b,…       only these targets (default: all; see \`abigen targets\`)
      --format text|json   how to print diagnostics (default: text)
      --deny-warnings      exit 1 on warnings too
      --scan               compare with the installed headers (scans them if no cached scan)
      --allow-breaking R   accept breaking changes against abi.lock, for the reason R
  abigen fmt <files…> [--write | --check]   print specs in canonical form
  abigen conflicts <specs…> [--format text|json|sarif|rst|svg|html] [--scan] [--deny-warnings]
                           ioctl-number conflicts against the specs, ioctl-number.rst, the VFS
                           and the installed headers
  abigen lock [specs…] [--out abi.lock] [--target a,b] [--check]
                           record the released ABI (numbers and layouts per target) in abi.lock
  abigen diff [specs…|new.lock] [--against abi.lock|<specs>|<git-ref>] [--format text|json]
              [--allow-breaking "<reason>"]
                           classify every change against a released ABI: compatible or breaking
  abigen scan [dir] [--list | --failures | --json] [--no-cache]
                           evaluate every ioctl macro of the installed headers with the C compiler
  abigen decode <number> [--target t | --all-targets] [--scan]
                           split a number into dir/type/nr/size and name what uses it
  abigen explain <CODE>    what a diagnostic code means
  abigen targets           list the target ABIs`;

export async function main(argv: string[], io: Io = stdio): Promise<number> {
  try {
    const [cmd, ...rest] = argv;
    switch (cmd) {
      case undefined:
      case "-h":
      case "--help":
      case "help":
        io.out(USAGE);
        return cmd === undefined ? 2 : 0;
      case "fmt":
        return await fmtCommand(rest, io);
      case "scan":
        return await scanCommand(rest, io);
      case "decode":
        return await decodeCommand(rest, io);
      case "conflicts":
        return await conflictsCommand(rest, io);
      case "lock":
        return await lockCommand(rest, io);
      case "diff":
        return await diffCommand(rest, io);
      case "explain":
        return explain(rest, io);
      case "targets":
        for (const t of TARGETS) {
          io.out(`${t.name.padEnd(9)} ${t.endian.padEnd(6)} long=${t.sizes.long} ptr=${t.sizes.ptr} u64-align=${t.align.i64} ioctl=${t.ioctl.name} cc=${t.cc}`);
        }
        return 0;
      default:
        return await checkCommand(argv, io);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`abigen: ${e.message}`);
      return 2;
    }
    throw e;
  }
}

function explain(args: string[], io: Io): number {
  const code = args[0]?.toUpperCase();
  if (!code || !isCode(code)) throw new UsageError(`explain: give a diagnostic code (${Object.keys(CODES)[0]}…)`);
  const info = CODES[code];
  io.out(`${code} (${info.severity}, ${info.phase}): ${info.title}`);
  return 0;
}

function parseOrUsage<T extends Parameters<typeof parseArgs>[0]>(config: T) {
  try {
    return parseArgs(config);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

async function checkCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseOrUsage({
    args: argv,
    allowPositionals: true,
    options: {
      check: { type: "boolean", default: false },
      out: { type: "string", default: "generated" },
      target: { type: "string" },
      format: { type: "string", default: "text" },
      "deny-warnings": { type: "boolean", default: false },
      "allow-breaking": { type: "string" },
      scan: { type: "boolean", default: false },
    },
  });
  if (positionals.length === 0) throw new UsageError("give the spec files or directories to check (e.g. abigen specs/)");
  const format = values.format as string;
  if (format !== "text" && format !== "json") throw new UsageError(`--format must be text or json, not ${format}`);
  const targets = values.target === undefined ? undefined : String(values.target).split(",").map((s) => s.trim()).filter(Boolean);

  const result = compileSpecs(positionals, { targets });
  // The installed-header conflict checks need a scan of /usr/include: run when one is cached (or --scan).
  const conflicts = result.program && !result.hasErrors
    ? await conflictChecksForBuild(result.program, result.targets, { scan: values.scan === true })
    : undefined;
  const diagnostics = [...result.diagnostics, ...(conflicts?.diagnostics ?? [])].sort(compareDiagnostics);
  const active = diagnostics.filter((d) => d.suppressed === undefined);
  const hasErrors = active.some((d) => d.severity === "error");
  let failed = hasErrors || (values["deny-warnings"] === true && active.some((d) => d.severity === "warning"));

  // Outputs and the ABI lock only make sense for a program without errors.
  let stale: { changed: string[]; extra: string[] } | undefined;
  let lock: LockCheck | undefined;
  if (result.program && !hasErrors) {
    // Family by family: each chunk is written (or compared) and dropped before the next.
    const outDir = values.out as string;
    const previous = (path: string): string | undefined => {
      try {
        return readFileSync(join(outDir, path), "utf8");
      } catch {
        return undefined; // not written yet
      }
    };
    stale = await syncOutputs(outDir, emitChunks(result.program, result.targets, { previous }), values.check === true);
    if (values.check && stale.changed.length + stale.extra.length > 0) failed = true;
    const lockPath = findLockFile(positionals);
    if (lockPath) {
      lock = checkAgainstLock(result.program, result.targets, lockPath, values["allow-breaking"] as string | undefined);
      if (lock.failed) failed = true;
    }
  }

  if (format === "json") {
    io.out(JSON.stringify({
      ok: !failed,
      diagnostics: diagnostics.map(toJson),
      ...(stale ? { [values.check ? "stale" : "written"]: stale } : {}),
      ...(lock ? { abi: { lock: lock.lockPath, breaking: lock.breaking, changes: lock.changes } } : {}),
    }, null, 2));
  } else {
    for (const d of active) io.err(renderText(d) + "\n");
    if (stale) {
      const n = stale.changed.length + stale.extra.length;
      if (values.check && n > 0) {
        io.err(`abigen: ${values.out} is stale (run \`abigen ${positionals.join(" ")}\` and commit the result):`);
        for (const p of stale.changed) io.err(`  changed: ${p}`);
        for (const p of stale.extra) io.err(`  no longer generated: ${p}`);
      } else if (!values.check && n > 0) {
        io.err(`abigen: wrote ${stale.changed.length} file(s), removed ${stale.extra.length} in ${values.out}`);
      }
    }
    for (const l of lock?.lines ?? []) io.err(l);
    if (conflicts) io.err(`abigen: ${conflicts.sources}`);
    io.err(`abigen: ${result.files.length} spec file(s), ${result.targets.length} target(s): ${summarize(diagnostics)}`);
  }
  return failed ? 1 : 0;
}
