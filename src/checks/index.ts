/**
 * The check rules, in the order they run (and so the order their diagnostics are reported in
 * when two land on one spot). Layout rules first, then ioctl numbering. New rules are appended.
 */
import type { Rule } from "./rule.js";
import { implicitPadding } from "./rules/implicit-padding.js";
import { layoutDiffers } from "./rules/layout-differs.js";
import { unalignedU64 } from "./rules/unaligned-u64.js";
import { ioctlNrRange } from "./rules/ioctl-nr-range.js";
import { ioctlTypeByte } from "./rules/ioctl-type-byte.js";
import { ioctlSizeEncodable } from "./rules/ioctl-size-encodable.js";
import { ioWithArgument } from "./rules/io-with-argument.js";
import { ioctlSlotDuplicate } from "./rules/ioctl-slot-duplicate.js";
import { ioctlNumberEqual } from "./rules/ioctl-number-equal.js";
import { archDependentArg } from "./rules/arch-dependent-arg.js";
import { registryRangeOverlap } from "./rules/registry-range-overlap.js";
import { registrySpecOverlap } from "./rules/registry-spec-overlap.js";
import { vfsNumberEqual } from "./rules/vfs-number-equal.js";
import { vfsSlotShared } from "./rules/vfs-slot-shared.js";

export const RULES: readonly Rule[] = [
  implicitPadding,
  layoutDiffers,
  unalignedU64,
  ioctlNrRange,
  ioctlTypeByte,
  ioctlSizeEncodable,
  ioWithArgument,
  ioctlSlotDuplicate,
  ioctlNumberEqual,
  archDependentArg,
  // Conflicts with the world outside the specs; the installed-header rules need a scan and run
  // from src/conflicts/installed-checks.ts instead.
  registryRangeOverlap,
  registrySpecOverlap,
  vfsNumberEqual,
  vfsSlotShared,
];
