/**
 * allRecords(ctx.program) once per check run: three layout rules walk every record, and finding
 * them (every type of every declaration) is as much work as some of the checks.
 */
import { allRecords, type RecordSite } from "../layout/records.js";
import type { CheckContext } from "./rule.js";

const cache = new WeakMap<CheckContext, readonly RecordSite[]>();

export function recordSites(ctx: CheckContext): readonly RecordSite[] {
  let sites = cache.get(ctx);
  if (!sites) cache.set(ctx, (sites = allRecords(ctx.program)));
  return sites;
}
