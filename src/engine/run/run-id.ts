import { randomBytes } from "node:crypto";

/** `20261120-060000-a1b2`: sortable, readable, unique enough for one repository. */
export function newRunId(now: Date = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
  return `${stamp}-${randomBytes(2).toString("hex")}`;
}
