/**
 * A module directory's `control` file. Each write is one command, "<cmd> <file>"
 * (protocol modfs_control in specs/modfs.abi); the write returns its count whatever the command
 * did — the RFC's driver drops per-command errors on the floor, so a writer never learns that
 * `map` found the file mapped already. The mock records every command with its outcome instead
 * (CommandRecord) so tests and tools can see what the driver would have lost. Reading gives
 * "todo", the RFC's placeholder.
 */
import { errno, isErrno } from "../../../generated/ts/runtime/errors.js";
import { MockDevice, type MockFd, type MockProcess } from "../../../generated/ts/runtime/mock-fd.js";
import { type OpenFiles, readText } from "./module-file.js";

/** PATH_MAX: the longest command a write may carry (the spec's `@max_len(4096)`). */
export const CONTROL_MAX_LEN = 4096;

/** The commands the RFC's control file knows; anything else is ignored. */
export const CONTROL_COMMANDS = ["map", "unmap", "init", "exit"] as const;
export type ControlCommand = (typeof CONTROL_COMMANDS)[number];

/** One write to a control file, and what it did (the driver itself reports nothing of it). */
export interface CommandRecord {
  /** The module directory. */
  readonly dir: string;
  /** The write's bytes as text. */
  readonly line: string;
  /** The command, when it is one the control file knows. */
  readonly command?: ControlCommand;
  readonly file?: string;
  /** The errno the command failed with inside the driver; undefined when it succeeded or was ignored. */
  readonly errno?: string;
  /** An unknown command: ignored, as the RFC does. */
  readonly ignored: boolean;
}

/** What a control file needs from its file system: running a parsed command. */
export interface CommandRunner {
  runCommand(dir: string, command: ControlCommand, file: string): void;
  recordCommand(record: CommandRecord): void;
}

/**
 * Splits a write into command and file. One trailing newline is dropped (`echo map m > control`
 * works); the rest must be exactly "<cmd> <file>".
 */
export function parseCommand(line: string): { command: string; file: string | undefined } {
  const text = line.endsWith("\n") ? line.slice(0, -1) : line;
  const space = text.indexOf(" ");
  if (space < 0) return { command: text, file: undefined };
  return { command: text.slice(0, space), file: text.slice(space + 1) };
}

function isCommand(s: string): s is ControlCommand {
  return (CONTROL_COMMANDS as readonly string[]).includes(s);
}

export class ControlFile extends MockDevice {
  readonly dir: string;
  readonly #open: OpenFiles;
  readonly #runner: CommandRunner;

  constructor(dir: string, open: OpenFiles, runner: CommandRunner, process: MockProcess) {
    super("modfs", process);
    this.dir = dir;
    this.#open = open;
    this.#runner = runner;
  }

  override read(file: MockFd, buf: Uint8Array): number {
    const f = this.#open.get(file);
    if (!f.mode.read) throw errno("EBADF");
    return readText("todo", f, buf);
  }

  override write(file: MockFd, data: Uint8Array): number {
    const f = this.#open.get(file);
    if (!f.mode.write) throw errno("EBADF");
    const line = new TextDecoder().decode(data);
    const count = data.length;
    if (count > CONTROL_MAX_LEN) {
      this.#runner.recordCommand({ dir: this.dir, line, errno: "ENAMETOOLONG", ignored: false });
      return count;
    }
    const { command, file: name } = parseCommand(line);
    if (!isCommand(command)) {
      this.#runner.recordCommand({ dir: this.dir, line, ignored: true });
      return count;
    }
    let failed: string | undefined;
    if (name === undefined || name === "" || name.includes("/")) failed = "EINVAL";
    else {
      try {
        this.#runner.runCommand(this.dir, command, name);
      } catch (e) {
        if (!isErrno(e)) throw e;
        failed = e.code;
      }
    }
    this.#runner.recordCommand({ dir: this.dir, line, command, ...(name === undefined ? {} : { file: name }), ...(failed === undefined ? {} : { errno: failed }), ignored: false });
    return count;
  }
}
