/**
 * What the agent (or a fork's script) writes stays inert on its way out, with `dist/action.js` run as the
 * runner runs it: a fork's script that dumps the environment into a file gets nothing of it into any
 * request GitHub receives (the reply says what ran, that it was a dry run, and where a credential was
 * found); file names and agent text carrying workflow commands, newlines, backticks, mentions, closing
 * keywords and HTML do not start a command in the log, a structure in the step summary or the pull
 * request, or a line in the commit message.
 */
import { randomBytes } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { secretForms } from "../../src/engine/report/publishable.ts";
import { commentPayload, type E2E, results, startE2E, TOKEN } from "../action/harness.ts";
import { startModelServer } from "../support/model-server.ts";
import { reliabilityCase } from "./support/cases.ts";

const TASKS = ".github/claude-tasks";
const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
/** A GitHub-token-shaped value, generated (no real-looking token is written in this file). */
const fakeToken = () => ["gh", "p_", ...Array.from(randomBytes(36), (b) => ALNUM[b % ALNUM.length])].join("");

/** A branch with one commit on top of main, pushed to the origin under `ref`. */
async function pushBranch(e2e: E2E, branch: string, files: Record<string, string>, ref: string) {
  const clone = await e2e.repo.clone();
  await e2e.repo.gitIn(clone, "checkout", "-q", "-b", branch);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(clone, path)), { recursive: true });
    writeFileSync(join(clone, path), content);
  }
  await e2e.repo.gitIn(clone, "add", "-A");
  await e2e.repo.gitIn(clone, "commit", "-q", "-m", `work on ${branch}`);
  await e2e.repo.gitIn(clone, "push", "-q", "origin", `HEAD:${ref}`);
  return e2e.repo.gitIn(clone, "rev-parse", "HEAD");
}

/** Every body, title and query GitHub received, as one string. */
/** The secrets the Action itself masks (`::add-mask::`): the token, its git header form, the model key. */
const MASKED = [TOKEN, Buffer.from(`x-access-token:${TOKEN}`).toString("base64"), "sk-ant-e2e-dummy"];

const sentToGitHub = (e2e: E2E) => JSON.stringify(e2e.fake.calls.map((c) => [c.path, c.body]));

/**
 * The lines of the step's stdout the runner would execute as workflow commands that @actions/core did
 * not write: `::` opening a line (after blanks) must be one of core's commands with its data escaped,
 * `##[` may appear only inside such a command.
 */
function foreignCommands(stdout: string, secrets: readonly string[]): string[] {
  return stdout.split(/\r?\n/).filter((line) => {
    const t = line.trimStart();
    if (!t.startsWith("::")) return line.includes("##[");
    const m = /^::(debug|warning|error|notice|add-mask|group|endgroup)( [^:]*)?::(.*)$/.exec(t);
    if (!m) return true;
    if (m[1] === "add-mask") return !secrets.includes(m[3]!);
    return /title=claude-tasks::INJECTED/.test(t) && !t.startsWith("::debug::");
  });
}

describe("a fork's script cannot publish the secrets it reads", () => {
  it("S-40 `/claude-tasks run format` on a fork's PR whose script dumps the environment: no credential in any request", async () => {
    const c = reliabilityCase(
      "S-40",
      "security",
      "a maintainer comments `/claude-tasks run format` (task `run: sh scripts/format.sh`) on a fork's pull request whose `scripts/format.sh` writes the environment into a file, plainly, base64-encoded and reversed; the step's env holds a GitHub-token-shaped value under an innocent name",
      "the script ran (its marker is in the change); no request to GitHub holds the token or its reversed/base64 forms; the reply says a dry run of `format` ran on the fork's commit, and where a credential was found, never what; the summary holds none of it either",
    );
    const secret = fakeToken();
    await using e2e = await startE2E({
      [`${TASKS}/format.yml`]: "run: sh scripts/format.sh\n",
      "scripts/format.sh": "echo formatted > FORMATTED.txt\n",
    });
    e2e.fake.addCollaborator("alice", "write");
    const pr = e2e.fake.seedPull({ head: "patch-1", forkOwner: "eve", author: "eve", title: "Typos" });
    const head = await pushBranch(
      e2e,
      "patch-1",
      {
        "scripts/format.sh": [
          "echo ran > FORMAT_RAN.txt",
          "env > env-dump.txt",
          "env | base64 -w0 | rev > env-dump.b64r",
          "env | rev > env-dump.rev",
          "",
        ].join("\n"),
      },
      `refs/pull/${pr.number}/head`,
    );
    const comment = e2e.fake.seedComment(pr.number, "/claude-tasks run format", "alice");
    const r = await e2e.run({
      event: "issue_comment",
      payload: commentPayload({
        issue: pr.number,
        commentId: comment.id,
        body: comment.body,
        login: "alice",
        pr: true,
      }),
      env: { DEPLOY_HOOK: secret },
    });
    const [res] = results(r.outputs);
    const sent = sentToGitHub(e2e);
    const reply =
      [...e2e.fake.state.comments.values()].find((x) => x.user === e2e.fake.state.viewer)?.body ?? "";
    const forms = [...secretForms(secret), ...secretForms(TOKEN)];
    c.note("status", res?.status);
    c.note("files changed", res?.filesChanged);
    c.note("credential forms found in requests", forms.filter((f) => sent.includes(f)).length);
    c.note("reply", reply.split("\n").find((l) => l.includes("dry run")) ?? "");
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
    expect(res).toMatchObject({ task: "format" });
    expect(res.filesChanged).toBeGreaterThanOrEqual(1); // the fork's script ran
    for (const form of forms) {
      expect(sent.includes(form), `a form of a secret reached GitHub: ${form.slice(0, 6)}…`).toBe(false);
      expect(r.summary.includes(form)).toBe(false);
    }
    expect(reply).toContain(
      `this was a dry run: \`format\` ran on the fork's code at \`${head.slice(0, 12)}\`, and nothing was pushed.`,
    );
    if (res.status === "refused") {
      expect(reply).not.toMatch(/```diff/);
      expect(reply).toMatch(/env-dump\.txt.* line \d+ adds what looks like a GitHub token/);
      expect(reply).toContain("holds what looks like a credential");
    }
    expect(await e2e.repo.gitIn(e2e.repo.origin!, "branch", "--list", "patch-1")).toBe("");
  });
});

const HOSTILE_TEXT = [
  "Done.",
  "::error title=claude-tasks::INJECTED",
  "  ::add-mask::claude-tasks",
  "see ##[add-mask]claude-tasks",
  "Fixes #1, closes acme/widgets#2",
  "cc @org/security-team",
  "</details>",
  "<!-- hidden -->",
  '<img src="https://t.example/p.gif">',
  "````",
  "| a | b |",
].join("\n");

describe("untrusted text in the log, the summary, the pull request and the commit", () => {
  it("S-41 a refused file name and command output carrying workflow commands: no command reaches the log", async () => {
    const c = reliabilityCase(
      "S-41",
      "security",
      "a `run:` task (`paths.allow: [src/**]`) creates `docs/a⏎::warning title=claude-tasks::INJECTED⏎::add-mask::claude-tasks⏎b.md` and prints `::error` / `::add-mask` / `##[add-mask]` lines, mentions, closing keywords and HTML",
      "refused; no line of the step's stdout is a workflow command core did not write; the summary shows the name on one line in a code span and the output inert",
    );
    await using e2e = await startE2E({
      [`${TASKS}/names.yml`]: [
        "run: |",
        "  mkdir -p docs",
        `  printf x > "$(printf 'docs/a\\n::warning title=claude-tasks::INJECTED\\n::add-mask::claude-tasks\\nb.md')"`,
        "  cat hostile.txt",
        "paths:",
        "  allow: [src/**]",
        "",
      ].join("\n"),
      "hostile.txt": `${HOSTILE_TEXT}\n`,
    });
    const r = await e2e.run({
      event: "workflow_dispatch",
      payload: { inputs: {} },
      inputs: { tasks: "names" },
    });
    const [res] = results(r.outputs);
    const foreign = foreignCommands(r.stdout, MASKED);
    c.note("status", res?.status);
    c.note("foreign command lines in stdout", foreign.length);
    expect(res).toMatchObject({ task: "names", status: "refused" });
    expect(res.message).toContain("INJECTED"); // the name reached the message: the attack ran
    expect(foreign).toEqual([]);
    // the command's output is shown in a fence it cannot close; outside it, no line comes from the name
    const fenced = /\n(`{5,})text\n[\s\S]*?\n\1\n/.exec(r.summary);
    expect(fenced?.[0]).toContain("::error title=claude-tasks::INJECTED");
    const outside = r.summary.replace(fenced![0], "\n").split("\n");
    expect(outside.filter((l) => /^\s*::|^b\.md|INJECTED$/.test(l))).toEqual([]);
    expect(r.summary).toContain(
      "`docs/a\\n::warning title=claude-tasks::INJECTED\\n::add-mask::claude-tasks\\nb.md`",
    );
    expect(r.summary).not.toMatch(/@org\/security-team|Fixes #1|acme\/widgets#2/);
  });

  it("S-42 the agent's summary and file names in the PR body, the step summary and the commit message", async () => {
    const c = reliabilityCase(
      "S-42",
      "security",
      "Claude Code writes ``docs/tick`|<b>@bob Fixes #3.md`` and answers with `::error` lines, `Fixes #1`, `@org/security-team`, `</details>`, `<!-- -->`, a tracking `<img>` and a four-backtick fence; the task opens its pull request",
      "the PR body and the summary hold the answer only inside a fence it cannot close, with mentions and closing keywords inert; the file name is one code span; the commit message says what ran and holds none of the answer",
    );
    const server = await startModelServer((req) => {
      const context = JSON.stringify([req.body.system, req.body.messages]);
      const cwd = /[Ww]orking directory: ([^\s"\\]+)/.exec(context)?.[1];
      if (req.index === 0 && cwd)
        return {
          tool: "Write",
          input: { file_path: `${cwd}/docs/tick\`|<b>@bob Fixes #3.md`, content: "x\n" },
        };
      return { text: HOSTILE_TEXT };
    });
    try {
      await using e2e = await startE2E({
        [`${TASKS}/docs.yml`]: "prompt: Write the docs.\nagent:\n  allowed_tools: [Write]\n",
      });
      const r = await e2e.run({
        event: "workflow_dispatch",
        payload: { inputs: {} },
        inputs: { tasks: "docs", "anthropic-api-key": "sk-ant-e2e-dummy" },
        env: { ANTHROPIC_BASE_URL: server.url, CLAUDE_CODE_MAX_RETRIES: "0" },
      });
      const [res] = results(r.outputs);
      const created = e2e.fake.calls.find((x) => x.operation === "pulls/create");
      const body = String((created?.body as { body?: string } | undefined)?.body ?? "");
      c.note("status", res?.status);
      c.note("foreign command lines in stdout", foreignCommands(r.stdout, MASKED).length);
      expect(res, r.stdout).toMatchObject({ task: "docs", status: "success", prAction: "created" });
      expect(foreignCommands(r.stdout, MASKED)).toEqual([]);
      for (const [where, text] of [
        ["PR body", body],
        ["summary", r.summary],
      ] as const) {
        // the answer sits in one fence longer than its own ```` run, which it cannot close
        const fenced = /\n(`{5,})text\n([\s\S]*?)\n\1\n/.exec(text);
        expect(fenced, where).not.toBeNull();
        expect(fenced![2]).toContain("</details>");
        const outside = text.replace(fenced![0], "\n");
        expect(outside, where).not.toMatch(
          /<\/details>\s*<\/details>|<!--(?! claude-tasks:pr )|<img|::error/,
        );
        expect(text, where).not.toMatch(/@org\/security-team|@bob|Fixes #[13]|acme\/widgets#2/);
        expect(text, where).toContain("＠org/security-team");
        expect(text, where).toContain("``docs/tick`\\|<b>＠bob Fixes ＃3.md``");
      }
      const message = await e2e.repo.gitIn(e2e.repo.origin!, "log", "-1", "--format=%B", res.commit);
      c.note("commit message", message.split("\n").slice(0, 3).join(" ⏎ "));
      expect(message).toContain("Made by claude-tasks: the task docs (Claude Code).");
      for (const line of HOSTILE_TEXT.split("\n")) expect(message).not.toContain(line.trim());
      expect(message).not.toMatch(/Done\.|#1|@org/);
    } finally {
      await server.close();
    }
  });
});
