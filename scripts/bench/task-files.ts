// The generated task files of the planning benchmarks: cron, intervals, macros, five time zones,
// chains of `needs`, Claude and command tasks.
import { writeFileSync } from "node:fs";
import { join } from "node:path";

export function writeTaskFiles(dir: string, n: number): void {
  const zones = ["UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata", "Australia/Sydney"];
  const schedules = [
    '"0 6 * * 1-5"',
    '"*/15 * * * *"',
    '"every 30m"',
    '"@daily"',
    '["0 9 * * 1", "30 17 * * 5"]',
    '"@workdays"',
  ];
  for (let i = 0; i < n; i++) {
    const needs = i % 10 === 0 ? "" : `needs: [t${i - 1}]\n`;
    const body =
      i % 3 === 0
        ? `run: "npm run lint -- --fix"\n`
        : `prompt: |\n  Task ${i}: keep the docs in sync.\nagent:\n  max_turns: ${5 + (i % 20)}\n  timeout: 20m\n  allowed_tools: [Read, Edit]\n`;
    writeFileSync(
      join(dir, `t${i}.yml`),
      `description: generated task ${i}\n${body}schedule: ${schedules[i % schedules.length]}\ntimezone: ${zones[i % zones.length]}\nmissed: once\n${needs}paths:\n  allow: ["docs/**", "README.md"]\nlimits: { max_files: 20, max_lines: 500 }\n`,
    );
  }
}
