/**
 * The kinds of ABI change, each with a fixed classification. `impact` says what a breaking
 * change breaks: "binary" — programs already built against the old ABI misbehave (a number, an
 * offset, a size or a value changed); "source" — built programs keep working, but their source no
 * longer compiles against the new header (a name changed or vanished). Both fail the check:
 * a uapi header is compiled by its users, so a rename breaks them as surely as a move does.
 * docs/abi-stability.md gives the reasoning for each kind.
 */
export type Severity = "compatible" | "breaking";
export type Impact = "none" | "source" | "binary";

export interface KindInfo {
  readonly severity: Severity;
  readonly impact: Impact;
  readonly title: string;
}

const ok = (title: string): KindInfo => ({ severity: "compatible", impact: "none", title });
const src = (title: string): KindInfo => ({ severity: "breaking", impact: "source", title });
const bin = (title: string): KindInfo => ({ severity: "breaking", impact: "binary", title });

export const KINDS = {
  // Families
  "family-added": ok("a new family"),
  "family-removed": bin("a family was removed"),
  "family-header-changed": src("a family's uapi header path changed"),
  // Ioctls
  "ioctl-added": ok("a new ioctl"),
  "ioctl-removed": bin("an ioctl was removed"),
  "ioctl-renamed": src("an ioctl was renamed; its number is unchanged"),
  "ioctl-renumbered": bin("an ioctl's type or nr changed"),
  "ioctl-direction-changed": bin("an ioctl's direction changed"),
  "ioctl-size-changed": bin("an ioctl argument's size changed, and with it the number"),
  "ioctl-number-changed": bin("an ioctl's number changed on some targets"),
  "ioctl-arg-changed": bin("an ioctl's argument type changed to an unrelated type"),
  "ioctl-arg-renamed": src("an ioctl's argument type was renamed; its layout is unchanged"),
  "ioctl-fd-changed": bin("an ioctl is now issued on another kind of fd"),
  "ioctl-returns-changed": bin("what an ioctl returns changed"),
  "ioctl-value-changed": bin("an ioctl's by-value argument changed type"),
  "ioctl-errors-changed": ok("an ioctl's documented errors changed"),
  // Layout of records (ioctl arguments, messages, mmap areas, other records)
  "record-added": ok("a new struct or union"),
  "record-removed": src("a struct or union was removed from the header"),
  "record-renamed": src("a struct or union was renamed; its layout is unchanged"),
  "record-resized": bin("a record's size changed"),
  "record-realigned": bin("a record's alignment changed"),
  "record-kind-changed": bin("a struct became a union or the reverse"),
  "field-moved": bin("a field's offset changed"),
  "field-resized": bin("a field's size changed"),
  "field-retyped": bin("a field stores a different type (signedness, byte order, shape)"),
  "field-type-renamed": ok("a field's type is spelled differently but stores the same"),
  "field-renamed": src("a field was renamed; offset, size, type and meaning are unchanged"),
  "field-renamed-new-meaning": bin("a field was renamed and its meaning changed"),
  "field-removed": bin("a field was removed"),
  "field-appended": bin("a field was added beyond the record's old end"),
  "field-inserted": bin("a field was added over bytes that had a meaning"),
  "union-arm-added": ok("a new union arm that fits the union's old size"),
  "union-grown": bin("a new union arm grows the union"),
  "reserved-given-meaning": bin("reserved or padding bytes were given a meaning without a flag saying so"),
  "reserved-given-meaning-flagged": ok("reserved bytes were given a meaning, announced by a new flag"),
  "field-meaning-removed": bin("a field lost its meaning (it is now padding or reserved)"),
  "field-annotation-changed": bin("what a field holds changed (pointer length, fd, string)"),
  "values-narrowed": bin("a field now holds the values of an enum or flags set where any value was allowed"),
  "values-widened": ok("a field no longer restricts its values to an enum or flags set"),
  "values-changed": bin("a field holds the values of a different enum or flags set"),
  "range-narrowed": bin("a value range was narrowed"),
  "range-widened": ok("a value range was widened"),
  // Enums, flags and constants
  "enum-added": ok("a new enum or flags set"),
  "enum-removed": src("an enum or flags set was removed"),
  "enum-renamed": src("an enum or flags set was renamed; its values are unchanged"),
  "enum-base-changed": bin("an enum's storage type changed"),
  "enum-member-added": ok("a new enum or flags member"),
  "enum-member-removed": bin("an enum or flags member was removed"),
  "enum-member-renamed": src("an enum or flags member was renamed; its value is unchanged"),
  "enum-value-changed": bin("an enum or flags member's value changed"),
  "enum-sentinel-moved": ok("a count/limit marker's value changed with its members"),
  "const-added": ok("a new constant"),
  "const-removed": src("a constant was removed"),
  "const-renamed": src("a constant was renamed; its value is unchanged"),
  "const-value-changed": bin("a constant's value changed"),
  // File descriptors and protocols
  "fd-added": ok("a new fd kind"),
  "fd-removed": bin("an fd kind was removed"),
  "fd-path-changed": bin("the device path of an fd kind changed"),
  "fd-mmap-changed": bin("what mmap of an fd gives changed"),
  "message-added": ok("a new protocol message or command"),
  "message-removed": bin("a protocol message or command was removed"),
  "message-changed": bin("a message's request or reply type changed, or a command's parameters"),
  "target-added": ok("a target the old side did not cover (nothing to compare it with)"),
  "target-not-compared": ok("a target the new side was not built for (not compared)"),
} as const satisfies Record<string, KindInfo>;

export type Kind = keyof typeof KINDS;

export function isKind(s: string): s is Kind {
  return Object.hasOwn(KINDS, s);
}
