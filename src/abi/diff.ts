/**
 * The diff engine: compare two ABI locks and classify every difference (kinds.ts). Identity:
 *
 * - ioctls by name, then by (magic, nr) slot — a vanished name whose slot a new name holds is a
 *   rename (same number: source break only), not a removal plus an addition;
 * - records and enums by name, then by shape (same layout / same values, a superset for enums)
 *   paired with the new name that shares the most trailing words (gh_fn_desc → gunyah_fn_desc);
 * - constants by name, then by value and trailing words; enum members by name, then by value;
 * - fields by path (layout-diff.ts); fd kinds, messages and commands by name within a family.
 *
 * Only targets both locks cover are compared.
 */
import type { AbiLock, LockedEnum, LockedFamily, LockedIoctl, LockedType } from "./lock-model.js";
import { makeChange, type Change, type Emit } from "./change.js";
import { changedTargets, describeGroups, pairRenames, perTargetChanges, sameOn } from "./compare.js";
import { diffLayout, renamedType, type LayoutContext } from "./layout-diff.js";
import { compareRanges, showRange } from "./range.js";
import { IOC_MACRO } from "../targets/ioctl-macros.js";

interface Named<T> {
  readonly family: string;
  readonly name: string;
  readonly v: T;
}

type Section = "constants" | "enums" | "records" | "ioctls";

function collect<S extends Section>(lock: AbiLock, section: S): Map<string, Named<LockedFamily[S][string]>> {
  const out = new Map<string, Named<LockedFamily[S][string]>>();
  for (const [family, f] of Object.entries(lock.families)) {
    for (const [name, v] of Object.entries(f[section])) out.set(name, { family, name, v: v as LockedFamily[S][string] });
  }
  return out;
}

/** Pairs by name, then renames among the rest; returns old name → new name plus the leftovers. */
function match<T>(
  olds: Map<string, Named<T>>,
  news: Map<string, Named<T>>,
  same: (o: Named<T>, n: Named<T>) => boolean,
  minScore = 1,
) {
  const pairs = new Map<string, { o: Named<T>; n: Named<T>; renamed: boolean }>();
  for (const [name, o] of olds) {
    const n = news.get(name);
    if (n) pairs.set(name, { o, n, renamed: false });
  }
  const lostNames = [...olds.keys()].filter((k) => !news.has(k));
  const gainedNames = [...news.keys()].filter((k) => !olds.has(k));
  const renames = pairRenames(lostNames, gainedNames, (o, n) => same(olds.get(o)!, news.get(n)!), minScore);
  for (const [o, n] of renames) pairs.set(o, { o: olds.get(o)!, n: news.get(n)!, renamed: true });
  const paired = new Set(renames.values());
  return {
    pairs: [...pairs.values()],
    removed: lostNames.filter((k) => !renames.has(k)).map((k) => olds.get(k)!),
    added: gainedNames.filter((k) => !paired.has(k)).map((k) => news.get(k)!),
  };
}

function sameShape(a: LockedType, b: LockedType, targets: readonly string[]): boolean {
  if (a.storage !== b.storage || !sameOn(a.size, b.size, targets) || !sameOn(a.align, b.align, targets)) return false;
  if (a.fields.length !== b.fields.length) return false;
  return a.fields.every((f, i) => {
    const g = b.fields[i]!;
    return f.path === g.path && f.storage === g.storage && f.role === g.role && sameOn(f.offset, g.offset, targets) && sameOn(f.size, g.size, targets);
  });
}

/**
 * Shape close enough to call a renamed record the same record (its changes are then reported
 * field by field): same kind, and at least half of the old fields still at the same paths,
 * offsets and storage.
 */
function similarShape(a: LockedType, b: LockedType, targets: readonly string[]): boolean {
  if (sameShape(a, b, targets)) return true;
  if (a.storage !== b.storage || a.fields.length === 0) return false;
  const news = new Map(b.fields.map((f) => [f.path, f]));
  const kept = a.fields.filter((f) => {
    const g = news.get(f.path);
    return g !== undefined && g.storage === f.storage && sameOn(f.offset, g.offset, targets);
  }).length;
  return kept * 2 >= a.fields.length;
}

function enumValuesCovered(a: LockedEnum, b: LockedEnum): boolean {
  if (a.flavor !== b.flavor || a.base !== b.base || Boolean(a.bitIndex) !== Boolean(b.bitIndex)) return false;
  const vals = new Set(b.members.filter((m) => !m.sentinel).map((m) => m.value));
  return a.members.filter((m) => !m.sentinel).every((m) => vals.has(m.value));
}

function magicText(m: number): string {
  return m >= 0x20 && m < 0x7f && m !== 0x27 && m !== 0x5c ? `'${String.fromCharCode(m)}'` : `0x${m.toString(16)}`;
}

function ioctlSig(io: LockedIoctl, targets: readonly string[]): string {
  const t = targets[0];
  const num = t === undefined ? "" : `, ${io.numbers[t]} on ${t}`;
  const enc = io.legacy ? `legacy ${io.dir}` : `${IOC_MACRO[io.dir]}(${magicText(io.magic)}, 0x${io.nr.toString(16)}${io.arg ? `, ${io.arg.type}` : ""})`;
  return `${enc}${num}`;
}

/** Record names a layout mentions: its own type and every nested field type. */
function typeNames(t: LockedType | null, out: Set<string>): void {
  if (!t) return;
  const base = (s: string) => s.replace(/\[.*$/, "");
  out.add(base(t.type));
  for (const f of t.fields) out.add(base(f.type));
}

/** Records reachable from an ioctl, a message or an mmap: their changes are reported there, with the ioctl named. */
function coveredRecords(lock: AbiLock): Set<string> {
  const out = new Set<string>();
  for (const f of Object.values(lock.families)) {
    for (const io of Object.values(f.ioctls)) typeNames(io.arg, out);
    for (const m of Object.values(f.messages)) { typeNames(m.request, out); typeNames(m.reply, out); }
    for (const d of Object.values(f.fds)) typeNames(d.mmap, out);
  }
  return out;
}

export function diffLocks(a: AbiLock, b: AbiLock): Change[] {
  const changes: Change[] = [];
  const emit: Emit = (c) => changes.push(makeChange(c));
  const targets = b.targets.filter((t) => a.targets.includes(t));
  const anyFamily = Object.keys(b.families)[0] ?? Object.keys(a.families)[0] ?? "";

  // Targets
  const gainedT = b.targets.filter((t) => !a.targets.includes(t));
  const lostT = a.targets.filter((t) => !b.targets.includes(t));
  if (gainedT.length) emit({ kind: "target-added", family: anyFamily, subject: "targets", targets: gainedT, message: `the old side has no layouts for ${gainedT.join(", ")}; nothing there was compared` });
  if (lostT.length) emit({ kind: "target-not-compared", family: anyFamily, subject: "targets", targets: lostT, message: `the new side was not built for ${lostT.join(", ")}; those targets were not compared` });

  // Families
  for (const [name, f] of Object.entries(b.families)) {
    const old = a.families[name];
    if (!old) emit({ kind: "family-added", family: name, subject: `family ${name}`, message: `new family ${name} (${f.header})` });
    else if (old.header !== f.header) emit({ kind: "family-header-changed", family: name, subject: `family ${name}`, message: `family ${name} moved from <${old.header}> to <${f.header}>: every #include of it breaks` });
  }
  for (const [name, f] of Object.entries(a.families)) {
    if (!b.families[name]) emit({ kind: "family-removed", family: name, subject: `family ${name}`, message: `family ${name} (${f.header}) was removed with everything in it` });
  }

  // Enums first: their renames and grown flags sets inform the layout comparisons.
  const enums = match(collect(a, "enums"), collect(b, "enums"), (o, n) => enumValuesCovered(o.v, n.v), 0.5);
  const records = match(collect(a, "records"), collect(b, "records"), (o, n) => similarShape(o.v, n.v, targets), 0.5);
  const renames = new Map<string, string>();
  for (const p of [...enums.pairs, ...records.pairs]) if (p.renamed) renames.set(p.o.name, p.n.name);
  const flagsGrown = new Set<string>();
  for (const { o, n, renamed } of enums.pairs) diffEnum(o, n, renamed, emit, flagsGrown);
  for (const e of enums.added) emit({ kind: "enum-added", family: e.family, subject: `${e.v.flavor} ${e.name}`, message: `new ${e.v.flavor} ${e.name} (${e.v.members.length} member(s))` });
  for (const e of enums.removed) emit({ kind: "enum-removed", family: e.family, subject: `${e.v.flavor} ${e.name}`, message: `${e.v.flavor} ${e.name} was removed (members ${e.v.members.map((m) => m.name).join(", ")}); source using it breaks` });
  const ctx: LayoutContext = { targets, renames, flagsGrown };

  // Constants
  const consts = match(collect(a, "constants"), collect(b, "constants"), (o, n) => o.v.value === n.v.value);
  for (const { o, n, renamed } of consts.pairs) {
    const subject = `const ${n.name}`;
    if (renamed) emit({ kind: "const-renamed", family: n.family, subject, message: `const ${o.name} is now ${n.name} (value ${n.v.value} unchanged): source using ${o.name} breaks` });
    if (o.v.value !== n.v.value) emit({ kind: "const-value-changed", family: n.family, subject, message: `const ${n.name} changed value: ${o.v.value} → ${n.v.value}; binaries built with the old value keep using it` });
  }
  for (const c of consts.added) emit({ kind: "const-added", family: c.family, subject: `const ${c.name}`, message: `new const ${c.name} = ${c.v.value}` });
  for (const c of consts.removed) emit({ kind: "const-removed", family: c.family, subject: `const ${c.name}`, message: `const ${c.name} (= ${c.v.value}) was removed; source using it breaks` });

  // Ioctls
  const slot = (io: LockedIoctl) => `${io.legacy ? "legacy" : ""}${io.magic}:${io.nr}`;
  const ioctls = match(collect(a, "ioctls"), collect(b, "ioctls"), (o, n) => slot(o.v) === slot(n.v), 0);
  for (const p of ioctls.pairs) diffIoctl(p.o, p.n, p.renamed, ctx, emit);
  for (const io of ioctls.added) emit({ kind: "ioctl-added", family: io.family, subject: `ioctl ${io.name}`, message: `new ioctl ${io.name} = ${ioctlSig(io.v, targets)}` });
  for (const io of ioctls.removed) emit({ kind: "ioctl-removed", family: io.family, subject: `ioctl ${io.name}`, message: `ioctl ${io.name} = ${ioctlSig(io.v, targets)} was removed: programs that call it now fail (ENOTTY), and the slot must not be reused for something else` });

  // Records not reached from an ioctl, message or mmap (those are compared there, naming the ioctl).
  const coveredOld = coveredRecords(a);
  const coveredNew = coveredRecords(b);
  for (const { o, n, renamed } of records.pairs) {
    const subject = `${n.v.storage} ${n.name}`;
    if (renamed) {
      const same = sameShape(o.v, n.v, targets);
      emit({ kind: "record-renamed", family: n.family, subject, message: `${o.v.storage} ${o.name} is now ${n.v.storage} ${n.name}${same ? " with the same layout: binaries are unaffected, source using the old name breaks" : ": source using the old name breaks (its layout changes are listed separately)"}` });
    }
    if (coveredOld.has(o.name) || coveredNew.has(n.name)) continue;
    diffLayout(o.v, n.v, { family: n.family, subject, what: `${n.v.storage} ${n.name}`, sizeKind: "record-resized" }, ctx, emit);
  }
  for (const r of records.added) emit({ kind: "record-added", family: r.family, subject: `${r.v.storage} ${r.name}`, message: `new ${r.v.storage} ${r.name}` });
  for (const r of records.removed) emit({ kind: "record-removed", family: r.family, subject: `${r.v.storage} ${r.name}`, message: `${r.v.storage} ${r.name} was removed from the header; source using it breaks` });

  // Per-family things: fd kinds, messages, commands.
  for (const [fam, nf] of Object.entries(b.families)) {
    const of = a.families[fam];
    if (of) diffFamilyLocal(fam, of, nf, ctx, emit);
  }
  return changes;
}

function diffEnum(o: Named<LockedEnum>, n: Named<LockedEnum>, renamed: boolean, emit: Emit, flagsGrown: Set<string>): void {
  const subject = `${n.v.flavor} ${n.name}`;
  const base = { family: n.family, subject };
  if (renamed) emit({ ...base, kind: "enum-renamed", message: `${o.v.flavor} ${o.name} is now ${n.name}: binaries are unaffected, source using the old type name breaks` });
  if (o.v.base !== n.v.base) emit({ ...base, kind: "enum-base-changed", message: `${subject} is stored as ${n.v.base} instead of ${o.v.base}` });
  const olds = new Map(o.v.members.map((m) => [m.name, { family: o.family, name: m.name, v: m }]));
  const news = new Map(n.v.members.map((m) => [m.name, { family: n.family, name: m.name, v: m }]));
  const m = match(olds, news, (x, y) => x.v.value === y.v.value && !x.v.sentinel && !y.v.sentinel, 0);
  for (const p of m.pairs) {
    if (p.renamed) emit({ ...base, path: p.n.name, kind: "enum-member-renamed", message: `${subject}: ${p.o.name} is now ${p.n.name} (value ${p.n.v.value} unchanged): source using ${p.o.name} breaks` });
    if (p.o.v.value !== p.n.v.value) {
      if (p.o.v.sentinel && p.n.v.sentinel) emit({ ...base, path: p.n.name, kind: "enum-sentinel-moved", message: `${subject}: the count ${p.n.name} moved ${p.o.v.value} → ${p.n.v.value} with the members` });
      else emit({ ...base, path: p.n.name, kind: "enum-value-changed", message: `${subject}: ${p.n.name} changed value ${hexish(p.o.v.value)} → ${hexish(p.n.v.value)}; binaries built with the old value now ask for something else` });
    }
  }
  for (const x of m.added) {
    emit({ ...base, path: x.name, kind: "enum-member-added", message: `${subject}: new member ${x.name} = ${hexish(x.v.value)}` });
    if (n.v.flavor === "flags" && !x.v.sentinel) flagsGrown.add(n.name);
  }
  for (const x of m.removed) emit({ ...base, path: x.name, kind: "enum-member-removed", message: `${subject}: member ${x.name} (= ${hexish(x.v.value)}) was removed` });
}

function hexish(v: string): string {
  const b = BigInt(v);
  return b >= 16n ? `0x${b.toString(16)}` : v;
}

function diffIoctl(o: Named<LockedIoctl>, n: Named<LockedIoctl>, renamed: boolean, ctx: LayoutContext, emit: Emit): void {
  const { targets } = ctx;
  const subject = `ioctl ${n.name}`;
  const base = { family: n.family, subject };
  const a = o.v;
  const b = n.v;
  let numberExplained = false;
  if (renamed) {
    const same = targets.every((t) => a.numbers[t] === b.numbers[t]);
    emit({ ...base, kind: "ioctl-renamed", message: `ioctl ${o.name} is now ${n.name} in the same slot (${magicText(b.magic)}, 0x${b.nr.toString(16)})${same ? `, same number (${ioctlSig(b, targets)})` : ""}: ${same ? "binaries are unaffected; " : ""}source using ${o.name} breaks` });
  }
  if (a.dir !== b.dir) {
    numberExplained = true;
    emit({ ...base, kind: "ioctl-direction-changed", message: `ioctl ${n.name}: direction ${a.dir} → ${b.dir} (${ioctlSig(a, targets)} → ${ioctlSig(b, targets)}); the number changes and the kernel copies the argument the other way` });
  }
  if (a.magic !== b.magic || a.nr !== b.nr) {
    numberExplained = true;
    emit({ ...base, kind: "ioctl-renumbered", message: `ioctl ${n.name} moved from (${magicText(a.magic)}, 0x${a.nr.toString(16)}) to (${magicText(b.magic)}, 0x${b.nr.toString(16)}): ${ioctlSig(a, targets)} → ${ioctlSig(b, targets)}; old binaries call a number that no longer exists` });
  }
  const what = (t: LockedType) => `ioctl ${n.name}: argument ${t.storage === "struct" || t.storage === "union" ? `${t.storage} ${t.type}` : t.type}`;
  if (a.arg === null || b.arg === null) {
    if (a.arg !== b.arg) {
      numberExplained = true;
      emit({ ...base, kind: "ioctl-arg-changed", message: `ioctl ${n.name}: argument ${a.arg?.type ?? "none"} → ${b.arg?.type ?? "none"}` });
    }
  } else {
    const renamedArg = renamedType(a.arg.type, ctx.renames) === b.arg.type;
    const related = a.arg.type === b.arg.type || renamedArg || sameShape(a.arg, b.arg, targets);
    if (!related) {
      const sizes = perTargetChanges(a.arg.size, b.arg.size, targets);
      if (sizes.length) numberExplained = true;
      emit({ ...base, kind: "ioctl-arg-changed", targets: sizes.length ? changedTargets(sizes) : undefined, message: `ioctl ${n.name}: argument ${a.arg.type} → ${b.arg.type}, an unrelated type${sizes.length ? `; size ${describeGroups(sizes, targets)} bytes, so the number changes` : ""}` });
    } else {
      const isRecord = b.arg.storage === "struct" || b.arg.storage === "union";
      if (a.arg.type !== b.arg.type && !renamedArg && isRecord) {
        emit({ ...base, kind: "ioctl-arg-renamed", message: `ioctl ${n.name}: argument type ${a.arg.type} is now ${b.arg.type} with the same layout: source using the old name breaks` });
      }
      // A size change changes the number; say it once, as the size change.
      const noting: Emit = (c) => {
        if (c.kind === "ioctl-size-changed") numberExplained = true;
        emit(c);
      };
      diffLayout(a.arg, b.arg, { family: n.family, subject, what: what(b.arg), sizeKind: "ioctl-size-changed" }, ctx, noting);
    }
  }
  if (!numberExplained) {
    const diffs = targets.filter((t) => a.numbers[t] !== b.numbers[t]);
    if (diffs.length) emit({ ...base, kind: "ioctl-number-changed", targets: diffs, message: `ioctl ${n.name}: number ${diffs.map((t) => `${a.numbers[t]} → ${b.numbers[t]} on ${t}`).join(", ")}` });
  }
  if (a.on !== b.on) emit({ ...base, kind: "ioctl-fd-changed", message: `ioctl ${n.name} is issued on ${b.on ?? "(unspecified)"} instead of ${a.on ?? "(unspecified)"}` });
  if (a.returns !== b.returns) emit({ ...base, kind: "ioctl-returns-changed", message: `ioctl ${n.name} returns ${b.returns} instead of ${a.returns}` });
  if (a.value?.type !== b.value?.type) {
    emit({ ...base, kind: "ioctl-value-changed", message: `ioctl ${n.name}: by-value argument ${a.value?.type ?? "none"} → ${b.value?.type ?? "none"}` });
  } else if (a.value && b.value) {
    const rc = compareRanges(a.value.range, b.value.range);
    if (rc === "narrowed") emit({ ...base, kind: "range-narrowed", path: "value", message: `ioctl ${n.name}: by-value argument range ${showRange(a.value.range)} → ${showRange(b.value.range)} rejects values that were valid` });
    else if (rc === "widened") emit({ ...base, kind: "range-widened", path: "value", message: `ioctl ${n.name}: by-value argument range ${showRange(a.value.range)} → ${showRange(b.value.range)} accepts more values` });
  }
  const lost = a.errors.filter((e) => !b.errors.includes(e));
  const gained = b.errors.filter((e) => !a.errors.includes(e));
  if (lost.length || gained.length) {
    emit({ ...base, kind: "ioctl-errors-changed", message: `ioctl ${n.name}: documented errors ${[...gained.map((e) => `+${e}`), ...lost.map((e) => `-${e}`)].join(" ")}` });
  }
}

function diffFamilyLocal(fam: string, a: LockedFamily, b: LockedFamily, ctx: LayoutContext, emit: Emit): void {
  const { targets } = ctx;
  for (const [name, d] of Object.entries(b.fds)) {
    const od = a.fds[name];
    const subject = `fd ${name}`;
    if (!od) { emit({ kind: "fd-added", family: fam, subject, message: `new fd kind ${name}${d.path ? ` (${d.path})` : ""}` }); continue; }
    if (od.path !== d.path) emit({ kind: "fd-path-changed", family: fam, subject, message: `fd ${name}: device path ${od.path ?? "none"} → ${d.path ?? "none"}` });
    if (od.mmap === null || d.mmap === null) {
      if (od.mmap !== d.mmap) emit({ kind: "fd-mmap-changed", family: fam, subject, message: `fd ${name}: mmap gives ${d.mmap?.type ?? "nothing"} instead of ${od.mmap?.type ?? "nothing"}` });
    } else if (renamedType(od.mmap.type, ctx.renames) !== d.mmap.type && od.mmap.type !== d.mmap.type && !sameShape(od.mmap, d.mmap, targets)) {
      emit({ kind: "fd-mmap-changed", family: fam, subject, message: `fd ${name}: mmap gives ${d.mmap.type} instead of ${od.mmap.type}` });
    } else {
      diffLayout(od.mmap, d.mmap, { family: fam, subject, what: `fd ${name}: mmap area (struct ${d.mmap.type})`, sizeKind: "record-resized" }, ctx, emit);
    }
  }
  for (const [name, od] of Object.entries(a.fds)) {
    if (!b.fds[name]) emit({ kind: "fd-removed", family: fam, subject: `fd ${name}`, message: `fd kind ${name}${od.path ? ` (${od.path})` : ""} was removed` });
  }
  for (const [name, m] of Object.entries(b.messages)) {
    const om = a.messages[name];
    const subject = `message ${name}`;
    if (!om) { emit({ kind: "message-added", family: fam, subject, message: `new ${m.transport} message ${name}: ${m.request.type}${m.reply ? ` -> ${m.reply.type}` : ""}` }); continue; }
    const sides: [string, LockedType | null, LockedType | null][] = [["request", om.request, m.request], ["reply", om.reply, m.reply]];
    for (const [side, x, y] of sides) {
      if (x === null || y === null) {
        if (x !== y) emit({ kind: "message-changed", family: fam, subject, message: `message ${name}: ${side} ${x?.type ?? "none"} → ${y?.type ?? "none"}` });
      } else if (renamedType(x.type, ctx.renames) !== y.type && x.type !== y.type && !sameShape(x, y, targets)) {
        emit({ kind: "message-changed", family: fam, subject, message: `message ${name}: ${side} ${x.type} → ${y.type}, an unrelated type` });
      } else {
        diffLayout(x, y, { family: fam, subject, what: `message ${name}: ${side} ${y.storage} ${y.type}`, sizeKind: "record-resized" }, ctx, emit);
      }
    }
  }
  for (const name of Object.keys(a.messages)) {
    if (!b.messages[name]) emit({ kind: "message-removed", family: fam, subject: `message ${name}`, message: `message ${name} was removed: the other side still sends it` });
  }
  for (const [name, c] of Object.entries(b.commands)) {
    const oc = a.commands[name];
    const subject = `command ${name}`;
    if (!oc) emit({ kind: "message-added", family: fam, subject, message: `new command ${name}(${c.params.join(", ")})` });
    else if (oc.params.join(",") !== c.params.join(",")) emit({ kind: "message-changed", family: fam, subject, message: `command ${name}: parameters (${oc.params.join(", ")}) → (${c.params.join(", ")})` });
  }
  for (const name of Object.keys(a.commands)) {
    if (!b.commands[name]) emit({ kind: "message-removed", family: fam, subject: `command ${name}`, message: `command ${name} was removed: writers of "${name.split(".").pop()} …" now fail` });
  }
}
