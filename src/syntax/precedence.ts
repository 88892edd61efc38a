/**
 * Binding strength of the binary operators (C precedence; higher binds tighter): the parser
 * climbs by it and the printer parenthesizes by it, so the two must read the same table.
 */
import type { BinaryOp } from "./ast.js";

export const PRECEDENCE: Readonly<Record<BinaryOp, number>> = {
  "|": 1,
  "^": 2,
  "&": 3,
  "<<": 4,
  ">>": 4,
  "+": 5,
  "-": 5,
  "*": 6,
  "/": 6,
  "%": 6,
};
