// `npm run demo`: the main job on a fresh machine. Builds a scratch repository with example tasks and
// runs them with the real engine as a dry run (`claude-tasks run '*' --dry-run --diff`), printing the
// report. Command tasks need no credentials; a Claude Code task joins when ANTHROPIC_API_KEY is set.
// `npm run demo -- --keep` keeps the scratch repository to look around in.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";

const keep = process.argv.includes("--keep");
const cli = resolve("dist/cli.js");
const repo = mkdtempSync(join(tmpdir(), "claude-tasks-demo-"));
const gitEnv = {
  ...process.env,
  GIT_CONFIG_NOSYSTEM: "1",
  GIT_CONFIG_GLOBAL: join(repo, ".git-demo-config"),
};
const git = (...args: string[]) => spawnSync("git", args, { cwd: repo, env: gitEnv, stdio: "ignore" });
const write = (path: string, text: string) => {
  mkdirSync(dirname(join(repo, path)), { recursive: true });
  writeFileSync(join(repo, path), text);
};

write("README.md", "# Demo\n\nThis is teh demo project. It has a tpyo or two.\n");
write("src/greet.js", "export function greet(name) {\n  return 'Hello, ' + name\n}\n");
write(".github/workflows/ci.yml", "on: push\njobs: {}\n");
write(
  ".github/claude-tasks/_defaults.yml",
  "# Merged under every task in this folder.\nlimits: { max_files: 10, max_lines: 200 }\nretry: { attempts: 1 }\n",
);
write(
  ".github/claude-tasks/fix-typos.yml",
  `description: A command task - fix known typos in Markdown (like a lint --fix)
run: "sed -i -e 's/teh/the/g' -e 's/tpyo/typo/g' README.md"
schedule: "@weekly"
paths: { allow: ["**/*.md"] }
pr: { title: "docs: fix typos" }
`,
);
write(
  ".github/claude-tasks/semicolons.yml",
  `description: A command task that depends on fix-typos
run: "sed -i -e 's/name$/name;/' src/greet.js"
needs: [fix-typos]
paths: { allow: ["src/**"] }
`,
);
write(
  ".github/claude-tasks/touch-workflows.yml",
  `description: A task that tries to change a workflow - the guard refuses it
run: "echo '# changed' >> .github/workflows/ci.yml"
`,
);
const withClaude = Boolean(process.env.ANTHROPIC_API_KEY || process.env.CLAUDE_CODE_OAUTH_TOKEN);
if (withClaude) {
  write(
    ".github/claude-tasks/docs-example.yml",
    `description: A Claude Code task - document greet()
prompt: |
  Add a one-paragraph "Usage" section to README.md that shows how to call greet() from src/greet.js.
  Change nothing else.
agent: { max_turns: 8, max_budget_usd: 0.5, timeout: 5m, allowed_tools: [Read, Edit] }
paths: { allow: ["README.md"] }
`,
  );
}
git("init", "-q", "-b", "main");
git("add", "-A");
git("-c", "user.name=Demo", "-c", "user.email=demo@example.com", "commit", "-q", "-m", "demo project");

console.log(`Scratch repository: ${repo}`);
console.log(
  withClaude
    ? "ANTHROPIC_API_KEY is set: the Claude Code task runs too.\n"
    : "No ANTHROPIC_API_KEY: running the command tasks only.\n",
);
const show = (args: string[]) => {
  console.log(`$ claude-tasks ${args.map((a) => (a === "*" ? "'*'" : a)).join(" ")}`);
  return spawnSync(process.execPath, [cli, ...args], { cwd: repo, env: gitEnv, stdio: "inherit" }).status;
};
show(["list"]);
console.log();
const code = show(["run", "*", "--dry-run", "--diff"]);

// The run is a success when every task ended as designed: touch-workflows refused, the others done.
const runs = join(repo, ".git/claude-tasks/runs");
const report = JSON.parse(readFileSync(join(runs, readdirSync(runs).sort().pop()!, "report.json"), "utf8"));
const status = Object.fromEntries(
  report.results.map((r: { task: string; status: string }) => [r.task, r.status]),
);
const expected: Record<string, string> = {
  "fix-typos": "success",
  semicolons: "success",
  "touch-workflows": "refused",
};
const ok = Object.entries(expected).every(([t, s]) => status[t] === s) && (code === 0 || code === 1);
const clean =
  spawnSync("git", ["status", "--porcelain"], { cwd: repo, env: gitEnv, encoding: "utf8" }).stdout === "";
const branches = spawnSync("git", ["branch", "--list", "claude-tasks/*"], {
  cwd: repo,
  env: gitEnv,
  encoding: "utf8",
}).stdout;
console.log(
  `\nAfter the dry run: working tree ${clean ? "clean" : "DIRTY"}, task branches: ${branches.trim() || "none"}.`,
);
console.log(`Backups: .git/claude-tasks/backups/ · run log: .git/claude-tasks/runs.jsonl`);
console.log(
  ok && clean && !branches.trim()
    ? "Demo finished as designed (touch-workflows is refused on purpose)."
    : "Demo did NOT end as designed.",
);
if (!keep) rmSync(repo, { recursive: true, force: true });
process.exitCode = ok && clean && !branches.trim() ? 0 : 1;
