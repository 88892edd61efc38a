/**
 * The syntax tree of one `.abi` file, as the parser builds it from chevrotain's CST.
 *
 * It mirrors the source faithfully (nothing resolved, nothing evaluated) so that the formatter
 * can print it back and the checker can point at any piece of it. Every node has a `span`
 * (character offsets into its file). Comments are attached to nodes for the formatter:
 * `///` doc comments become `doc`, other comments `leading` (lines before the node) or
 * `trailing` (the rest of the node's last line).
 */
import type { Source, Span } from "./source.js";

export interface Comment {
  /** Raw text including the `//` or `/*` markers. */
  readonly text: string;
  readonly span: Span;
  /** True for `/* … *\/` comments. */
  readonly block: boolean;
}

/** Comment slots shared by every node the formatter prints on its own line. */
export interface Commented {
  leading: Comment[];
  trailing?: Comment;
}

/** A doc comment: the joined text of consecutive `///` lines, markers and one space stripped. */
export interface Doc {
  readonly text: string;
  readonly span: Span;
}

export interface Ident {
  readonly kind: "Ident";
  readonly name: string;
  readonly span: Span;
}

export interface StringLit {
  readonly kind: "String";
  /** Unescaped value. */
  readonly value: string;
  /** Source text including quotes (the formatter prints this). */
  readonly raw: string;
  readonly span: Span;
}

// ---------------------------------------------------------------------------------------------
// Expressions (constant expressions, evaluated with 64-bit overflow checks)

export type Expr = IntLit | CharLit | NameExpr | UnaryExpr | BinaryExpr | ParenExpr | SizeofExpr;

export interface IntLit {
  readonly kind: "Int";
  readonly value: bigint;
  /** Source text ("0x4e", "1024", "0b101"), kept so the formatter prints what the user wrote. */
  readonly raw: string;
  readonly span: Span;
}

/** 'G' — a one-byte character constant (the usual ioctl magic type). */
export interface CharLit {
  readonly kind: "Char";
  readonly value: bigint;
  readonly raw: string;
  readonly span: Span;
}

export interface NameExpr {
  readonly kind: "Name";
  readonly name: Ident;
  readonly span: Span;
}

export type UnaryOp = "-" | "~" | "!" | "+";
export interface UnaryExpr {
  readonly kind: "Unary";
  readonly op: UnaryOp;
  readonly operand: Expr;
  readonly span: Span;
}

export type BinaryOp = "*" | "/" | "%" | "+" | "-" | "<<" | ">>" | "&" | "^" | "|";
export interface BinaryExpr {
  readonly kind: "Binary";
  readonly op: BinaryOp;
  readonly left: Expr;
  readonly right: Expr;
  readonly span: Span;
}

export interface ParenExpr {
  readonly kind: "Paren";
  readonly inner: Expr;
  readonly span: Span;
}

/** sizeof(T) / alignof(T): allowed only where the answer is the same on every target. */
export interface SizeofExpr {
  readonly kind: "Sizeof";
  readonly op: "sizeof" | "alignof";
  readonly type: TypeExpr;
  readonly span: Span;
}

// ---------------------------------------------------------------------------------------------
// Attributes: `@name`, `@name(arg, key = arg)` after the thing they modify

export interface Attribute {
  readonly kind: "Attribute";
  readonly name: Ident;
  readonly args: AttrArg[];
  /** Whether parentheses were written (`@fd` vs `@fd()`), for faithful printing. */
  readonly parens: boolean;
  readonly span: Span;
}

export interface AttrArg {
  readonly kind: "AttrArg";
  /** `key = value` form; undefined for positional args. */
  readonly key?: Ident;
  readonly value: Expr | StringLit;
  readonly span: Span;
}

// ---------------------------------------------------------------------------------------------
// Types

export type TypeExpr = NamedType | ArrayType | InlineRecord;

/** A builtin scalar (u32, le16, int, …) or a declared struct/union/enum/flags/type alias. */
export interface NamedType {
  readonly kind: "NamedType";
  readonly name: Ident;
  readonly span: Span;
}

/** `T[N]`; `T[]` is a flexible array member (length undefined). */
export interface ArrayType {
  readonly kind: "ArrayType";
  readonly element: TypeExpr;
  readonly length?: Expr;
  readonly span: Span;
}

/** An anonymous `struct { … }` or `union { … }` written in place of a type. */
export interface InlineRecord {
  readonly kind: "InlineRecord";
  readonly record: "struct" | "union";
  readonly attrs: Attribute[];
  readonly fields: Field[];
  /** Comments after the last field, before `}`. */
  readonly danglingComments: Comment[];
  readonly span: Span;
}

/**
 * `name: T @attrs;` — or, with no name, an anonymous member (`union { … };`) whose fields are
 * accessed as if they were the enclosing record's (C11 anonymous struct/union).
 */
export interface Field extends Commented {
  readonly kind: "Field";
  readonly name?: Ident;
  readonly type: TypeExpr;
  readonly attrs: Attribute[];
  readonly doc?: Doc;
  readonly span: Span;
}

// ---------------------------------------------------------------------------------------------
// Declarations

export interface FileNode {
  readonly kind: "File";
  readonly source: Source;
  readonly imports: ImportDecl[];
  readonly family?: FamilyDecl;
  readonly decls: Decl[];
  /** Comments after the last declaration. */
  readonly danglingComments: Comment[];
  readonly span: Span;
}

/** `import "virtio_gpu.abi";` — path relative to the importing file. */
export interface ImportDecl extends Commented {
  readonly kind: "Import";
  readonly path: StringLit;
  readonly span: Span;
}

/** `family uvirtio = "linux/uvirtio.h" @license("…");` — one per file, before declarations. */
export interface FamilyDecl extends Commented {
  readonly kind: "Family";
  readonly name: Ident;
  readonly header: StringLit;
  readonly attrs: Attribute[];
  readonly doc?: Doc;
  readonly span: Span;
}

export type Decl =
  | ConstDecl
  | EnumDecl
  | RecordDecl
  | TypeAliasDecl
  | FdDecl
  | IoctlDecl
  | ProtocolDecl;

interface DeclBase extends Commented {
  readonly name: Ident;
  readonly attrs: Attribute[];
  readonly doc?: Doc;
  readonly span: Span;
}

/** `const NAME = expr;` or `const NAME: u32 = expr;` (the type range-checks the value). */
export interface ConstDecl extends DeclBase {
  readonly kind: "Const";
  readonly type?: TypeExpr;
  readonly value: Expr;
}

/** `enum NAME: u32 { A = 1, B, }` and `flags NAME: u32 { READ = 1 << 0, … }`. */
export interface EnumDecl extends DeclBase {
  readonly kind: "Enum";
  readonly flavor: "enum" | "flags";
  /** Underlying type; defaults to u32 (the C enum's storage on every Linux target). */
  readonly base?: TypeExpr;
  readonly members: EnumMember[];
  readonly danglingComments: Comment[];
}

export interface EnumMember extends Commented {
  readonly kind: "EnumMember";
  readonly name: Ident;
  /** Omitted: previous value + 1 (enum), or next free bit (flags). */
  readonly value?: Expr;
  readonly attrs: Attribute[];
  readonly doc?: Doc;
  readonly span: Span;
}

/** `struct NAME @attrs { fields }` / `union NAME { … }`. */
export interface RecordDecl extends DeclBase {
  readonly kind: "Record";
  readonly record: "struct" | "union";
  readonly fields: Field[];
  readonly danglingComments: Comment[];
}

/** `type NAME = T;` */
export interface TypeAliasDecl extends DeclBase {
  readonly kind: "TypeAlias";
  readonly type: TypeExpr;
}

/** `fd NAME;` or `fd NAME = "/dev/path";` — a kind of file descriptor ioctls are issued on. */
export interface FdDecl extends DeclBase {
  readonly kind: "Fd";
  readonly path?: StringLit;
}

export type IoctlDir = "none" | "read" | "write" | "readwrite";

/**
 * `ioctl NAME = write(TYPE, NR, ARG) @attrs { clauses }` (or `;` with no clauses), and for
 * irregular numbers `ioctl NAME = legacy(NUMBER, DIR[, ARG]) { … }`.
 */
export interface IoctlDecl extends DeclBase {
  readonly kind: "Ioctl";
  readonly dir: IoctlDir;
  /** Encoded form: the magic type and nr. Absent for legacy. */
  readonly magic?: Expr;
  readonly nr?: Expr;
  /** Legacy form: the full number on targets without an override. */
  readonly number?: Expr;
  /** The argument type the number encodes (the pointed-to struct or scalar). */
  readonly arg?: TypeExpr;
  readonly clauses: Clause[];
  readonly danglingComments: Comment[];
}

export type Clause = OnClause | ReturnsClause | ValueClause | ErrorClause | NumberClause;

/** `on vm;` — the fd kind this ioctl is issued on. */
export interface OnClause extends Commented {
  readonly kind: "On";
  readonly fd: Ident;
  readonly doc?: Doc;
  readonly span: Span;
}

/** `returns zero;` `returns count;` `returns value;` `returns fd vcpu;` */
export interface ReturnsClause extends Commented {
  readonly kind: "Returns";
  readonly what: "zero" | "count" | "value" | "fd";
  readonly fd?: Ident;
  readonly doc?: Doc;
  readonly span: Span;
}

/** `value u32 @range(0, 0);` — the argument is passed by value, not as a pointer. */
export interface ValueClause extends Commented {
  readonly kind: "Value";
  readonly type: TypeExpr;
  readonly attrs: Attribute[];
  readonly doc?: Doc;
  readonly span: Span;
}

/** `error EINVAL "arg is not 0";` */
export interface ErrorClause extends Commented {
  readonly kind: "Error";
  readonly errno: Ident;
  readonly text?: StringLit;
  readonly doc?: Doc;
  readonly span: Span;
}

/** `number[powerpc, mips] = 0x40087468;` — per-target override of a legacy number. */
export interface NumberClause extends Commented {
  readonly kind: "Number";
  readonly targets: Ident[];
  readonly value: Expr;
  readonly doc?: Doc;
  readonly span: Span;
}

/**
 * Non-ioctl interfaces. `protocol NAME = pipe { message M = Req -> Reply; }` for fixed-size
 * request/reply structs over a pipe or socket; `protocol NAME = text { command map(file); }`
 * for text commands written to a control file.
 */
export interface ProtocolDecl extends DeclBase {
  readonly kind: "Protocol";
  readonly transport: "pipe" | "socket" | "text";
  readonly items: ProtocolItem[];
  readonly danglingComments: Comment[];
}

export type ProtocolItem = MessageItem | CommandItem;

export interface MessageItem extends Commented {
  readonly kind: "Message";
  readonly name: Ident;
  readonly request: TypeExpr;
  readonly reply?: TypeExpr;
  readonly attrs: Attribute[];
  readonly clauses: Clause[];
  readonly danglingComments: Comment[];
  readonly doc?: Doc;
  readonly span: Span;
}

/** `command map(file);` — written as the line "map <file>". */
export interface CommandItem extends Commented {
  readonly kind: "Command";
  readonly name: Ident;
  readonly params: Ident[];
  readonly attrs: Attribute[];
  readonly clauses: Clause[];
  readonly danglingComments: Comment[];
  readonly doc?: Doc;
  readonly span: Span;
}
