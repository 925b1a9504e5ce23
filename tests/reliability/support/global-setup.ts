// Before the reliability suite: forget the case records of an earlier run (see cases.ts).
import { rmSync } from "node:fs";
import { CASES_DIR } from "./cases.ts";

export default function setup(): void {
  rmSync(CASES_DIR, { recursive: true, force: true });
}
