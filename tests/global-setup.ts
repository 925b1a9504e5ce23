// Builds dist/ once before the suite, so tests that spawn the CLI or the Action run the current code.
import { execFileSync } from "node:child_process";

export default function setup(): void {
  execFileSync(process.execPath, ["scripts/build.ts"], { stdio: "inherit" });
}
