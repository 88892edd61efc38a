/**
 * The checked model: what every spec means once names are resolved, constants evaluated and
 * attributes validated. Layout (per target) is computed from it by src/layout; emitters read
 * the model plus layouts and never look at syntax again.
 *
 * Every declaration keeps `loc` (for diagnostics and `@generated` back-references) and `doc`.
 */
import type { Loc } from "../syntax/source.js";
import type { Expr, IoctlDir } from "../syntax/ast.js";

// ---------------------------------------------------------------------------------------------
// Scalars

export type ScalarName =
  | "u8" | "u16" | "u32" | "u64" | "s8" | "s16" | "s32" | "s64"
  | "le16" | "le32" | "le64" | "be16" | "be32" | "be64"
  | "aligned_u64" | "aligned_s64" | "aligned_le64" | "aligned_be64"
  | "char" | "int" | "uint" | "long" | "ulong" | "ptr";

export interface Scalar {
  readonly name: ScalarName;
  /** Fixed size in bytes, or the target's long/pointer size. */
  readonly size: 1 | 2 | 4 | 8 | "long" | "ptr";
  readonly signed: boolean;
  /** "native" follows the target; le/be types are fixed (virtio's __le32). */
  readonly endian: "native" | "little" | "big";
  /** Forced alignment (`__aligned_u64`: 8 on every target); otherwise the target's ABI rule. */
  readonly forcedAlign?: 8;
  /** int/long/ptr: legal but deliberately arch-dependent (warned about in ioctl arguments). */
  readonly archDependent: boolean;
  /** char: an element of a string (char[N]); otherwise behaves like s8/u8. */
  readonly isChar: boolean;
  /** The C spelling in a uapi header. */
  readonly cType: string;
}

// ---------------------------------------------------------------------------------------------
// Types

export type Type = ScalarType | EnumType | ArrayType | RecordType;

export interface ScalarType {
  readonly kind: "scalar";
  readonly scalar: Scalar;
  /** Set when written through a type alias (kept for C emission and docs). */
  readonly alias?: string;
}

/** A field whose type is an enum or flags: stored as the enum's base scalar. */
export interface EnumType {
  readonly kind: "enum";
  readonly decl: EnumModel;
}

export interface ArrayType {
  readonly kind: "array";
  readonly element: Type;
  /** null: flexible array member (`T[]`), size 0 in the struct. */
  readonly length: number | null;
  /** The length as written (`UVIRTIO_MAX_RULES`), for emitters that print C. */
  readonly lengthExpr?: Expr;
}

export interface RecordType {
  readonly kind: "record";
  readonly decl: RecordModel;
}

// ---------------------------------------------------------------------------------------------
// Declarations

export interface DeclCommon {
  readonly name: string;
  readonly family: string;
  readonly doc?: string;
  readonly loc: Loc;
  /** Warnings acknowledged with `@allow(CODE, "reason")`. */
  readonly allow: ReadonlyMap<string, string>;
}

export interface ConstModel extends DeclCommon {
  readonly kind: "const";
  readonly value: bigint;
  /** Declared type, if any (range-checked); char constants remember that they were chars. */
  readonly type?: Scalar;
  readonly isChar: boolean;
  /** The expression as written (`UIO_MSI_BASE + 1`), for emitters that print C. */
  readonly expr?: Expr;
}

export interface EnumMemberModel {
  readonly name: string;
  /** The value of the C constant: for bit-index flags, the index; otherwise the value. */
  readonly value: bigint;
  /** For flags: the mask this member stands for (1 << index for bit-index flags). */
  readonly mask?: bigint;
  /** A count/limit marker (C's `FOO_MAX` last member): not a valid value. */
  readonly sentinel: boolean;
  /** The value as written, when it was written. */
  readonly expr?: Expr;
  readonly doc?: string;
  readonly loc: Loc;
}

export interface EnumModel extends DeclCommon {
  readonly kind: "enum";
  readonly flavor: "enum" | "flags";
  /** `@bit_index` flags: member values are bit numbers; masks are 1 << value. */
  readonly bitIndex: boolean;
  readonly base: Scalar;
  readonly members: readonly EnumMemberModel[];
}

export interface PtrAnnotation {
  /** Field (a sibling) that holds the byte length of the pointed-to buffer. */
  readonly lenField?: string;
  /** What it points to, when known. */
  readonly target?: Type;
}

export interface FieldModel {
  /** Undefined for an anonymous member (its record's fields are promoted). */
  readonly name?: string;
  readonly type: Type;
  /** "padding": explicit padding, must be zero, no meaning. "reserved": must be zero now, may gain meaning behind a flag later. */
  readonly role: "data" | "padding" | "reserved";
  readonly ptr?: PtrAnnotation;
  /** The field holds a file descriptor; `none` is the value meaning "no fd" (uio_msi: -1). */
  readonly fd?: { readonly none?: bigint; readonly kind?: string };
  /** Inclusive value range declared in the spec. */
  readonly range?: { readonly min?: bigint; readonly max?: bigint };
  /** The field holds bits of these flags / values of this enum (stored as the field's own type). */
  readonly values?: EnumModel;
  /** char[N] holding a NUL-terminated (or NUL-padded) string. */
  readonly isString: boolean;
  readonly doc?: string;
  readonly loc: Loc;
}

export interface RecordModel extends DeclCommon {
  readonly kind: "record";
  readonly record: "struct" | "union";
  /** Anonymous inline records get a synthetic name (`uvirtio_expect.expects`) and this flag. */
  readonly anonymous: boolean;
  readonly fields: readonly FieldModel[];
  readonly packed: boolean;
  readonly aligned?: number;
}

export interface AliasModel extends DeclCommon {
  readonly kind: "alias";
  readonly type: Type;
}

export interface FdKindModel extends DeclCommon {
  readonly kind: "fd";
  /** Device path to open, for fds that are opened rather than returned by an ioctl. */
  readonly path?: string;
  /** `@mmap(T)`: mmap of this fd at offset 0 gives a T (kvm_run, gh_vcpu_run). */
  readonly mmap?: RecordModel;
}

export interface ErrorDoc {
  readonly errno: string;
  /** When the error happens (the clause's string). */
  readonly text?: string;
  /** A `///` doc comment on the clause, for the longer story. */
  readonly doc?: string;
}

export type Returns =
  | { readonly what: "zero" }
  | { readonly what: "count" }
  | { readonly what: "value" }
  | { readonly what: "fd"; readonly fd: FdKindModel };

export interface IoctlModel extends DeclCommon {
  readonly kind: "ioctl";
  readonly dir: IoctlDir;
  /** Magic type byte and nr (for legacy numbers: decoded from the generic number). */
  readonly magic: number;
  readonly nr: number;
  /** Magic and nr as written (`GH_IOCTL_TYPE`, `UIO_MSI_BASE + 1`), for emitters that print C. */
  readonly magicExpr?: Expr;
  readonly nrExpr?: Expr;
  /** The type the number's size field describes (pointed to by arg). */
  readonly arg?: Type;
  /** An argument passed by value in the arg register (_IO ioctls such as KVM_CREATE_VM). */
  readonly value?: {
    readonly type: Scalar;
    readonly range?: { readonly min?: bigint; readonly max?: bigint };
    readonly doc?: string;
  };
  readonly on?: FdKindModel;
  readonly returns: Returns;
  readonly errors: readonly ErrorDoc[];
  /** Irregular numbers: the number per target, written in the spec (not computed by _IOC). */
  readonly legacy?: { readonly number: number; readonly overrides: ReadonlyMap<string, number> };
}

export interface MessageModel {
  readonly name: string;
  readonly request: Type;
  readonly reply?: Type;
  readonly errors: readonly ErrorDoc[];
  readonly doc?: string;
  readonly loc: Loc;
}

export interface CommandModel {
  readonly name: string;
  readonly params: readonly string[];
  readonly errors: readonly ErrorDoc[];
  readonly doc?: string;
  readonly loc: Loc;
}

export interface ProtocolModel extends DeclCommon {
  readonly kind: "protocol";
  readonly transport: "pipe" | "socket" | "text";
  readonly messages: readonly MessageModel[];
  readonly commands: readonly CommandModel[];
  /** Text protocols: longest line accepted (`@max_len(4096)`). */
  readonly maxLen?: number;
}

export type DeclModel =
  | ConstModel | EnumModel | RecordModel | AliasModel | FdKindModel | IoctlModel | ProtocolModel;

export interface FamilyModel {
  readonly name: string;
  /** uapi header path, e.g. "linux/uvirtio.h". */
  readonly header: string;
  readonly license: string;
  readonly doc?: string;
  readonly file: string;
  readonly loc: Loc;
  /** Families whose declarations this one uses (from imports). */
  readonly imports: readonly string[];
  /** All declarations in source order, anonymous records excluded. */
  readonly decls: readonly DeclModel[];
}

export interface Program {
  /** In a stable order: by spec file path. */
  readonly families: readonly FamilyModel[];
}

/** Helpers to pick declarations of one kind out of a family, in source order. */
export function declsOf<K extends DeclModel["kind"]>(f: FamilyModel, kind: K): Extract<DeclModel, { kind: K }>[] {
  return f.decls.filter((d): d is Extract<DeclModel, { kind: K }> => d.kind === kind);
}
