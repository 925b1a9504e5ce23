// Child process of the benchmark: generates N task files, then times parse + validate + schedule +
// graph + plan exactly as `claude-tasks plan` does, and prints one JSON line with time and peak RSS.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildPlan } from "../../src/engine/plan/index.ts";
import { assertValid, loadProject } from "../../src/engine/project.ts";
import { dueTasks } from "../../src/engine/schedule/index.ts";

const n = Number(process.argv[2] ?? 100);
const root = mkdtempSync(join(tmpdir(), "ct-bench-plan-"));
const dir = join(root, ".github", "claude-tasks");
mkdirSync(dir, { recursive: true });
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
  const needs = i % 10 === 0 || i < 1 ? "" : `needs: [t${i - 1}]\n`;
  const body =
    i % 3 === 0
      ? `run: "npm run lint -- --fix"\n`
      : `prompt: |\n  Task ${i}: keep the docs in sync.\nagent:\n  max_turns: ${5 + (i % 20)}\n  timeout: 20m\n  allowed_tools: [Read, Edit]\n`;
  writeFileSync(
    join(dir, `t${i}.yml`),
    `description: generated task ${i}\n${body}schedule: ${schedules[i % schedules.length]}\ntimezone: ${zones[i % zones.length]}\nmissed: once\n${needs}paths:\n  allow: ["docs/**", "README.md"]\nlimits: { max_files: 20, max_lines: 500 }\n`,
  );
}

const t0 = performance.now();
const project = assertValid(await loadProject({ cwd: root }));
const now = new Date("2026-11-20T06:00:00Z");
const due = dueTasks(project.tasks, { since: new Date("2026-11-19T06:00:00Z"), now });
const plan = buildPlan({
  tasks: project.tasks,
  selected: due.map((d) => ({ name: d.name, fireTimes: d.fireTimes, reason: d.reason })),
  now,
});
const ms = performance.now() - t0;
rmSync(root, { recursive: true, force: true });
const peakMb = process.resourceUsage().maxRSS / 1024;
console.log(JSON.stringify({ n, ms, peakMb, due: plan.tasks.length, groups: plan.groups.length }));
