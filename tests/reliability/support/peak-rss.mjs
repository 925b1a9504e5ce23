// Preloaded (`node --import`) into a CLI under test: at exit, writes the process's peak resident set
// size (VmHWM, in kB) to $CT_PEAK_RSS_FILE. Changes nothing else; not inherited by child processes.
import { readFileSync, writeFileSync } from "node:fs";

const file = process.env.CT_PEAK_RSS_FILE;
if (file) {
  delete process.env.CT_PEAK_RSS_FILE;
  process.on("exit", () => {
    const m = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync("/proc/self/status", "utf8"));
    if (m) writeFileSync(file, m[1]);
  });
}
