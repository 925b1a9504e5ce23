// Times the pure schedule + graph + plan functions on n synthetic tasks (no YAML, no I/O).
// `node scripts/bench-plan.ts [n]` prints one JSON line; `benchPlan(n)` returns the same numbers.
import { fileURLToPath } from "node:url";
import type { Locate } from "../src/engine/errors.ts";
import { buildPlan, graphProblems, type RunCondition, toMatrix } from "../src/engine/plan/index.ts";
import { dueTasks, type MissedPolicy, scheduleProblems } from "../src/engine/schedule/index.ts";

export interface BenchResult {
  n: number;
  /** Milliseconds per phase, and in total. */
  scheduleProblemsMs: number;
  graphProblemsMs: number;
  dueTasksMs: number;
  buildPlanMs: number;
  totalMs: number;
  problems: number;
  due: number;
  groups: number;
  matrixJobs: number;
}

const ZONES = [
  "UTC",
  "Europe/Berlin",
  "America/New_York",
  "Asia/Kolkata",
  "Australia/Sydney",
  "America/Sao_Paulo",
];
const SCHEDULES: readonly (readonly string[])[] = [
  ["0 6 * * 1-5"],
  ["*/15 * * * *"],
  ["every 30m"],
  ["@daily"],
  ["0 9 * * 1", "30 17 * * 5"],
  ["@workdays"],
  ["every 7h"],
  ["30 2 * * *"],
];
const MISSED: readonly MissedPolicy[] = ["once", "skip", "all"];

/** n task-like objects: mixed schedules and zones; needs in chains of 10 plus some cross links (a DAG). */
export function syntheticTasks(n: number) {
  return Array.from({ length: n }, (_, i) => {
    const needs = i % 10 === 0 ? [] : [`t${i - 1}`];
    if (i % 7 === 0 && i >= 30) needs.push(`t${i - 25}`);
    return {
      name: `t${i}`,
      schedule: SCHEDULES[i % SCHEDULES.length]!,
      timezone: ZONES[i % ZONES.length]!,
      missed: MISSED[i % MISSED.length]!,
      enabled: i % 50 !== 49,
      needs,
      if: "success" as RunCondition,
    };
  });
}

export function benchPlan(n: number): BenchResult {
  const tasks = syntheticTasks(n);
  const locate: Locate = (task) => ({ file: `.github/claude-tasks/${task}.yml`, line: 1, col: 1 });
  const now = new Date("2026-11-20T06:00:00Z");
  const since = new Date("2026-11-19T06:00:00Z");

  const t0 = performance.now();
  const problems = scheduleProblems(tasks, locate);
  const t1 = performance.now();
  problems.push(...graphProblems(tasks, locate));
  const t2 = performance.now();
  const due = dueTasks(tasks, { since, now });
  const t3 = performance.now();
  const plan = buildPlan({ tasks, selected: due, now, since });
  const matrix = toMatrix(plan);
  const t4 = performance.now();

  return {
    n,
    scheduleProblemsMs: t1 - t0,
    graphProblemsMs: t2 - t1,
    dueTasksMs: t3 - t2,
    buildPlanMs: t4 - t3,
    totalMs: t4 - t0,
    problems: problems.length,
    due: due.length,
    groups: plan.groups.length,
    matrixJobs: matrix.include.length,
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(JSON.stringify(benchPlan(Number(process.argv[2] ?? 10_000))));
}
