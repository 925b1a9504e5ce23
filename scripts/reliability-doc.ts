// `npm run reliability:doc`: turns the case records of the last `npm run test:reliability`
// (.tmp/reliability/cases/*.json, written by tests/reliability/support/cases.ts) into docs/reliability.md.
// Every measured value in the table comes from that run. `--stdout` prints the Markdown instead.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { join } from "node:path";

interface CaseRecord {
  id: string;
  category: "fault" | "bad-input" | "security" | "load";
  title: string;
  expected: string;
  measured: [string, string][];
  state: string;
  durationMs: number;
  error?: string;
}

const DIR = ".tmp/reliability/cases";
const SECTIONS: { category: CaseRecord["category"]; heading: string; intro: string }[] = [
  {
    category: "fault",
    heading: "Faults survived",
    intro:
      "Each fault must end the run with a clear status, keep the work in a backup, leave the state " +
      "consistent (no worktree, lock, half-written file or agent process left behind), and a rerun " +
      "must complete normally.",
  },
  {
    category: "bad-input",
    heading: "Bad input tried",
    intro:
      "Each bad input must end in exit code 2 (or, for the Action, an ignored event or a one-line " +
      "error), with a one-line reason per problem, no stack trace, and nothing changed.",
  },
  { category: "security", heading: "Security properties", intro: "Each property is one test." },
  { category: "load", heading: "Load held", intro: "" },
];

if (!existsSync(DIR)) {
  console.error(`no case records in ${DIR}: run \`npm run test:reliability\` first`);
  process.exit(1);
}
const records = readdirSync(DIR)
  .filter((f) => f.endsWith(".json"))
  .map((f) => JSON.parse(readFileSync(join(DIR, f), "utf8")) as CaseRecord)
  .sort((a, b) => a.id.localeCompare(b.id, "en", { numeric: true }));

const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
const icon = (state: string) => (state === "pass" ? "✅" : state === "skip" ? "➖" : "❌");
const measured = (r: CaseRecord) => {
  const parts = r.measured.map(([k, v]) => `${k}: ${v}`);
  if (r.state === "fail" && r.error) parts.push(`**failed:** ${r.error}`);
  return parts.length > 0 ? parts.join("; ") : "–";
};

const lines: string[] = [];
const counts = SECTIONS.map((s) => {
  const rows = records.filter((r) => r.category === s.category);
  return { ...s, rows, passed: rows.filter((r) => r.state === "pass").length };
});
const total = records.length;
const passed = records.filter((r) => r.state === "pass").length;
const commit = (() => {
  try {
    const head = execFileSync("git", ["rev-parse", "--short", "HEAD"], { encoding: "utf8" }).trim();
    const dirty = execFileSync("git", ["status", "--porcelain", "--", "src", "tests", "scripts"], {
      encoding: "utf8",
    });
    return dirty.trim() ? `${head} with local changes` : head;
  } catch {
    return "unknown";
  }
})();
const machine = `${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
const seconds = records.reduce((n, r) => n + r.durationMs, 0) / 1000;

lines.push(
  "# Reliability",
  "",
  "How claude-tasks behaves when things go wrong: agents that crash, hang or flood their output, APIs " +
    "that fail or throttle, runs killed mid-way, a full disk, hostile input, and secrets that must not " +
    "leak. Every row below is a test of `npm run test:reliability` (`tests/reliability/`); the " +
    "*measured* column is what that test observed, written by the run itself and turned into this page " +
    "by `npm run reliability:doc`.",
  "",
  `Last run: ${new Date().toISOString().slice(0, 10)}, commit ${commit}, ${machine}; ` +
    `${passed} of ${total} cases passed (${seconds.toFixed(0)} s of test time).`,
  "",
  "| category | cases | passed |",
  "|---|---|---|",
  ...counts.map((c) => `| ${c.heading} | ${c.rows.length} | ${c.passed} |`),
  "",
  "Fuzzing uses a fixed seed; `CLAUDE_TASKS_FUZZ_RUNS=100000 npm run test:reliability` runs each " +
    "property 100,000 times (`npm run bench` runs 20 times the default). " +
    "To reproduce one case: `npx vitest run --config vitest.reliability.config.ts -t F-01`.",
);
for (const c of counts) {
  if (c.rows.length === 0) continue;
  lines.push("", `## ${c.heading}`, "");
  if (c.intro) lines.push(c.intro, "");
  lines.push("| id | case | expected | measured | |", "|---|---|---|---|---|");
  for (const r of c.rows) {
    lines.push(
      `| ${r.id} | ${cell(r.title)} | ${cell(r.expected)} | ${cell(measured(r))} | ${icon(r.state)} |`,
    );
  }
}
const text = `${lines.join("\n")}\n`;
if (process.argv.includes("--stdout")) process.stdout.write(text);
else {
  writeFileSync("docs/reliability.md", text);
  console.log(`docs/reliability.md: ${total} cases, ${passed} passed`);
}
