/**
 * Which headers a scan reads. For the system include directory these are the kernel's uapi
 * directories (what linux-libc-dev installs, plus sound/drm/scsi/… that other packages add)
 * and the multiarch `asm/`; for any other directory, every header under it.
 */
import { execFileSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";

export const KERNEL_SUBDIRS = ["linux", "asm-generic", "asm", "sound", "drm", "misc", "mtd", "rdma", "xen", "scsi", "video"];

export interface HeaderFile {
  /** The name to #include (`linux/kvm.h`, `asm/ioctls.h`). */
  readonly name: string;
  readonly path: string;
  readonly size: number;
  readonly mtimeMs: number;
}

function walk(dir: string, out: string[]): void {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else if (e.name.endsWith(".h") && (e.isFile() || e.isSymbolicLink())) out.push(p);
  }
}

/** `x86_64-linux-gnu` for the host gcc, where the arch's `asm/` lives under /usr/include. */
export function multiarch(cc: string): string | undefined {
  try {
    return execFileSync(cc, ["-print-multiarch"], { encoding: "utf8" }).trim() || undefined;
  } catch {
    return undefined;
  }
}

/** Include roots: [directory to search, subdirectory to walk] pairs. */
export function headerRoots(dir: string, cc: string): [root: string, sub: string][] {
  if (dir.replace(/\/+$/, "") !== "/usr/include") return [[dir, "."]];
  const arch = multiarch(cc);
  return KERNEL_SUBDIRS.flatMap((sub): [string, string][] => {
    const roots: [string, string][] = [[dir, sub]];
    if (arch) roots.push([join(dir, arch), sub]);
    return roots;
  });
}

export function listHeaders(dir: string, cc: string): HeaderFile[] {
  const files: HeaderFile[] = [];
  const seen = new Set<string>();
  for (const [root, sub] of headerRoots(dir, cc)) {
    const paths: string[] = [];
    walk(join(root, sub), paths);
    for (const path of paths) {
      const name = relative(root, path);
      if (seen.has(name)) continue; // the first root wins, as with -I order
      seen.add(name);
      const st = statSync(path);
      files.push({ name, path, size: st.size, mtimeMs: st.mtimeMs });
    }
  }
  return files.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
