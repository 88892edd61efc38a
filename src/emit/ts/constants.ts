/**
 * Constants and enums/flags. 64-bit policy: a value is a `bigint` when its declared type is
 * 64-bit (or long/ptr) or when it does not fit a double exactly (|v| > 2^53 - 1); otherwise a
 * `number`.
 */
import type { ConstModel, EnumModel } from "../../model/model.js";
import type { FamilyContext } from "./context.js";
import { declDoc, jsdoc } from "./docs.js";
import { propKey, typeIdent } from "./names.js";
import { isBigScalar, knownMask, lit, realMembers } from "./scalar.js";
import { render } from "./templates.js";

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

function needsBig(v: bigint, typedBig: boolean): boolean {
  return typedBig || v > MAX_SAFE || v < -MAX_SAFE;
}

function charComment(v: bigint): string {
  const c = Number(v);
  return c >= 0x20 && c < 0x7f ? ` (the character ${JSON.stringify(String.fromCharCode(c)).replace(/^"|"$/g, "'")})` : "";
}

export function constDecl(ctx: FamilyContext, c: ConstModel): string {
  ctx.names.claim(c.name, `const ${c.name}`);
  const big = needsBig(c.value, c.type !== undefined && isBigScalar(c.type));
  const doc = declDoc(c.doc, c.loc, c.isChar ? [`A character constant${charComment(c.value)}.`] : []);
  return `${doc}export const ${c.name} = ${lit(c.value, big)};\n`;
}

export function enumDecl(ctx: FamilyContext, e: EnumModel): string {
  const name = ctx.names.claim(typeIdent(e.name), `${e.flavor} ${e.name}`);
  const big = isBigScalar(e.base);
  const flags = e.flavor === "flags";
  const members = realMembers(e).map((m) => ({
    doc: jsdoc([m.doc]),
    key: propKey(m.name),
    value: lit(flags ? (m.mask ?? m.value) : m.value, big),
  }));
  const constants = e.members.map((m) => {
    ctx.names.claim(m.name, `member ${m.name} of ${e.name}`);
    const notes = [
      m.doc,
      m.sentinel ? "A count or limit marker, not a valid value." : undefined,
      flags && e.bitIndex && !m.sentinel ? `A bit number: the mask is \`${name}.${m.name}\`.` : undefined,
    ];
    return `${jsdoc(notes)}export const ${m.name} = ${lit(m.value, big)};`;
  });
  const ops = flags ? ctx.names.claim(`${name}Ops`, `helpers of flags ${e.name}`) : "";
  return render("enum", {
    doc: declDoc(e.doc, e.loc, [flags ? `Flags (masks; stored as \`${e.base.name}\`).` : `Enum values (stored as \`${e.base.name}\`).`]),
    name,
    members,
    typeDoc: jsdoc([flags ? `One flag of {@link ${name}} (a mask).` : `A value of {@link ${name}}.`]),
    ops,
    opsDoc: jsdoc([`has/set/clear over {@link ${name}} masks; \`known\` is every bit a member names.`]),
    known: lit(knownMask(e), big),
    constants,
  });
}

/** `const values$X = new Set([…])` for the enums whose membership checks need a table. */
export function enumTables(ctx: FamilyContext): string[] {
  return [...ctx.enumSets].map(([name, { enum: e, big }]) => {
    const values = [...new Set(realMembers(e).map((m) => m.value))];
    return `const ${name}: ReadonlySet<${big ? "bigint" : "number"}> = new Set([${values.map((v) => lit(v, big)).join(", ")}]);`;
  });
}
