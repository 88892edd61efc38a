/** User-mode driver management: see manager.ts. */
export { UmdManager, type UmdLink, type UmdManagerOptions, type UmdStats } from "./manager.js";
export { UmdChannel, type ExecSpec } from "./channel.js";
export { UmdError, isUmdError, type UmdFailure } from "./errors.js";
export { bpfilterPostStart, sampleCheck, samplePostStart } from "./drivers.js";
export type { ExitStatus } from "./process.js";
