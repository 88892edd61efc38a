/**
 * Every ioctl of the program with its request number on each checked target, computed once and
 * shared by the ioctl rules (ABI054, ABI055 index it by slot and by number instead of comparing
 * every pair of ioctls on every target).
 */
import type { IoctlModel, Program } from "../model/model.js";
import type { Target } from "../targets/targets.js";
import { ioctlNumber } from "../layout/ioctl-numbers.js";
import { allIoctls } from "./ioctls.js";

export interface IoctlNumberTable {
  /** allIoctls(program): family and declaration order. */
  readonly ioctls: readonly IoctlModel[];
  /** numbers[i][k]: the number of ioctls[i] on targets[k]. */
  readonly numbers: readonly (readonly number[])[];
}

// Keyed by program and then by the targets array itself: one compile checks one program with one
// list of targets, so the table is computed once per build and dropped with the program.
const cache = new WeakMap<Program, WeakMap<readonly Target[], IoctlNumberTable>>();

export function ioctlNumberTable(program: Program, targets: readonly Target[]): IoctlNumberTable {
  let perProgram = cache.get(program);
  if (!perProgram) cache.set(program, (perProgram = new WeakMap()));
  let table = perProgram.get(targets);
  if (!table) {
    const ioctls = allIoctls(program);
    table = { ioctls, numbers: ioctls.map((io) => targets.map((t) => ioctlNumber(io, t))) };
    perProgram.set(targets, table);
  }
  return table;
}
