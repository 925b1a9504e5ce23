/**
 * Malformed and hostile input for the Action (the committed dist/action.js, run as the runner does):
 * event files that are empty, not JSON or of the wrong shape, payload fields of the wrong type, and
 * hostile comment commands from a writer. Each must end as an ignored event or a one-line error or
 * reply — never "failed unexpectedly", never a stack trace — with nothing pushed and nothing run.
 */
import { writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ActionResult, commentPayload, type E2E, startE2E } from "../action/harness.ts";
import { newId, nodeId, now } from "../support/github-fake/model.ts";
import { firstLine, reliabilityCase } from "./support/cases.ts";

const TASKS = ".github/claude-tasks";
let e2e: E2E;
let head: string;
let issue: number;
const scratch = await mkdtemp(join(tmpdir(), "ct-rel-events-"));

beforeAll(async () => {
  e2e = await startE2E({
    [`${TASKS}/stamp.yml`]: 'watch: ["docs/**"]\nrun: "echo stamped > STAMP.txt"\n',
  });
  head = await e2e.repo.head();
  e2e.fake.addCollaborator("alice", "write");
  const s = e2e.fake.state;
  const id = newId(s);
  issue = s.nextNumber++;
  s.issues.set(issue, {
    number: issue,
    id,
    nodeId: nodeId("I", id),
    title: "An issue",
    body: null,
    state: "open",
    user: "acme",
    labels: [],
    assignees: [],
    createdAt: now(),
    updatedAt: now(),
    closedAt: null,
    pull: null,
  });
});
afterAll(async () => {
  await e2e?.[Symbol.asyncDispose]();
  await rm(scratch, { recursive: true, force: true });
});

/** The runner's log without masking and debug lines. */
const visible = (r: ActionResult) =>
  r.stdout.split("\n").filter((l) => l && !l.startsWith("::add-mask::") && !l.startsWith("::debug::"));

/** Runs the Action with `text` as the event file. */
async function runEvent(event: string, text: string): Promise<ActionResult> {
  const path = join(scratch, `event-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(path, text);
  return e2e.run({ event, env: { GITHUB_EVENT_PATH: path } });
}

/** An ignored event (exit 0, "nothing to do: …") or a failure with one `::error::` line; never a crash. */
function outcome(r: ActionResult): string {
  const lines = visible(r);
  const error = lines.filter((l) => l.startsWith("::error::"));
  if (r.code === 0) return firstLine(lines.join(" · "), 130);
  return firstLine(error[0]?.replace(/%0A/g, " "), 130);
}

function expectHandled(r: ActionResult, branches: Record<string, string>, writes: number) {
  const lines = visible(r);
  if (r.code === 0) expect(lines.some((l) => /^nothing to do: |^no task to run$/.test(l))).toBe(true);
  else {
    expect(r.code).toBe(1);
    expect(lines.filter((l) => l.startsWith("::error::"))).toHaveLength(1);
  }
  expect(r.stdout).not.toContain("failed unexpectedly");
  expect(r.stdout + r.stderr).not.toMatch(/\n\s+at .+[:(]\d+/);
  expect(r.stderr).toBe("");
  expect(e2e.originBranches()).toEqual(branches);
  expect(e2e.fake.callCount({ writes: true })).toBe(writes);
  expect(r.outputs.results ?? "[]").toBe("[]");
}

const sha = () => head;
const PAYLOADS: [id: string, what: string, event: string, text: () => string][] = [
  ["B-P01", "an empty event file", "workflow_dispatch", () => ""],
  ["B-P02", "an event file that is not JSON", "workflow_dispatch", () => "{{{ not json"],
  ["B-P03", "a JSON array as the payload", "issue_comment", () => "[1, 2, 3]"],
  ["B-P04", "`null` as the payload of a push", "push", () => "null"],
  [
    "B-P05",
    "a comment event without comment, author or issue",
    "issue_comment",
    () => '{"action":"created"}',
  ],
  [
    "B-P06",
    "a comment whose body is a number",
    "issue_comment",
    () =>
      JSON.stringify({
        action: "created",
        comment: { id: 1, body: 42, user: { login: "alice" } },
        issue: { number: 1 },
      }),
  ],
  [
    "B-P07",
    "a comment whose author login is a number",
    "issue_comment",
    () =>
      JSON.stringify({
        action: "created",
        comment: { id: 1, body: "/claude-tasks run stamp", user: { login: 7 } },
        issue: { number: 1 },
      }),
  ],
  [
    "B-P08",
    "a comment whose issue number is a string",
    "issue_comment",
    () =>
      JSON.stringify({
        action: "created",
        comment: { id: 1, body: "/claude-tasks run stamp", user: { login: "alice" } },
        issue: { number: "1" },
      }),
  ],
  ["B-P09", "a push whose ref is a number", "push", () => JSON.stringify({ ref: 123 })],
  [
    "B-P10",
    "a push whose commits are a string",
    "push",
    () => JSON.stringify({ ref: "refs/heads/main", before: sha(), after: sha(), commits: "lots" }),
  ],
  [
    "B-P11",
    "a push listing files that are not strings",
    "push",
    () =>
      JSON.stringify({
        ref: "refs/heads/main",
        before: sha(),
        after: sha(),
        commits: [{ id: sha(), modified: [1, null, { path: "docs/a.md" }] }],
      }),
  ],
  [
    "B-P12",
    "a push whose `before` is a git option (`--output=…`)",
    "push",
    () =>
      JSON.stringify({
        ref: "refs/heads/main",
        before: `--output=${join(scratch, "pwned")}`,
        after: sha(),
        commits: [{ id: sha() }],
      }),
  ],
  [
    "B-P13",
    "a forced push whose `after` is a revision expression (`HEAD~1`)",
    "push",
    () => JSON.stringify({ ref: "refs/heads/main", before: sha(), after: "HEAD~1", forced: true }),
  ],
  [
    "B-P14",
    "a push whose old tip no longer exists (force push, unknown `before`)",
    "push",
    () => JSON.stringify({ ref: "refs/heads/main", before: "1".repeat(40), after: sha(), forced: true }),
  ],
  [
    "B-P15",
    "a push whose pushed commit does not exist",
    "push",
    () => JSON.stringify({ ref: "refs/heads/main", before: sha(), after: "2".repeat(40), forced: true }),
  ],
  [
    "B-P16",
    "a push whose sender, pusher and head commit have the wrong types",
    "push",
    () =>
      JSON.stringify({
        ref: "refs/heads/main",
        sender: { login: 5 },
        pusher: { name: [] },
        head_commit: { message: 7, committer: { email: 3 } },
      }),
  ],
  ["B-P17", "a schedule event whose `schedule` is a number", "schedule", () => '{"schedule": 5}'],
  [
    "B-P18",
    "an event nobody routes (`pull_request_target`) without `tasks`",
    "pull_request_target",
    () => "{}",
  ],
  ["B-P19", "200,000 nested arrays", "issue_comment", () => `${"[".repeat(200_000)}${"]".repeat(200_000)}`],
  [
    "B-P20",
    "a 5 MB comment event",
    "issue_comment",
    () =>
      JSON.stringify({
        action: "created",
        comment: { id: 1, body: "x".repeat(5 << 20), user: { login: "alice" } },
        issue: { number: 1 },
      }),
  ],
];

describe("malformed and hostile event payloads", () => {
  it.each(PAYLOADS)("%s %s", async (id, what, event, text) => {
    const c = reliabilityCase(
      id,
      "bad-input",
      `Action, \`${event}\`: ${what}`,
      'ignored, nothing to run, or one `::error::` line (never "failed unexpectedly"); no stack; nothing pushed, written or run',
    );
    const branches = e2e.originBranches();
    const writes = e2e.fake.callCount({ writes: true });
    const r = await runEvent(event, text());
    c.note("exit", r.code);
    c.note("says", outcome(r));
    expectHandled(r, branches, writes);
  });
});

const COMMENTS: [id: string, what: string, body: () => string, reply: RegExp | null][] = [
  [
    "B-M01",
    "a flag for the branch",
    () => "/claude-tasks run stamp --branch=main",
    /unknown option `--branch=main`/,
  ],
  [
    "B-M02",
    "a `../` path as the task",
    () => "/claude-tasks run ../../etc/passwd",
    /`\.\.\/\.\.\/etc\/passwd` is not a task name/,
  ],
  [
    "B-M03",
    "a ref name with `..`",
    () => "/claude-tasks run main..evil",
    /`main\.\.evil` is not a task name/,
  ],
  ["B-M04", "a ref name with `@{`", () => "/claude-tasks run stamp@{1}", /`stamp@\{1\}` is not a task name/],
  [
    "B-M05",
    "control characters (an ANSI escape)",
    () => "/claude-tasks run \u001b[31mstamp",
    /is not a task name/,
  ],
  [
    "B-M06",
    "a shell substitution as the task",
    () => "/claude-tasks run $(id)",
    /`\$\(id\)` is not a task name/,
  ],
  [
    "B-M07",
    "a flag for Claude Code in an ad-hoc request",
    () => "/claude-tasks --dangerously-skip-permissions fix it",
    /unknown option `--dangerously-skip-permissions`/,
  ],
  ["B-M08", "a 1 MB body", () => `/claude-tasks ${"please ".repeat(150_000)}`, /too long/],
  [
    "B-M09",
    "the command hidden in an HTML comment",
    () => "Looks good! <!-- /claude-tasks run stamp -->",
    null,
  ],
  [
    "B-M10",
    "a backtick breaking out of the reply's code span",
    () => "/claude-tasks run `rm -rf`",
    /is not a task name|unknown option/,
  ],
];

describe("hostile comment commands (from a writer)", () => {
  it.each(COMMENTS)("%s %s", async (id, what, body, reply) => {
    const c = reliabilityCase(
      id,
      "bad-input",
      `comment: ${what}`,
      reply
        ? "a ⚠️ reply with the reason (echoing at most 40 characters, no backticks); nothing run or pushed"
        : "ignored without a single API call",
    );
    const branches = e2e.originBranches();
    const comment = e2e.fake.seedComment(issue, body(), "alice");
    const before = [...e2e.fake.state.comments.values()].filter(
      (x) => x.user === e2e.fake.state.viewer,
    ).length;
    const writes = e2e.fake.callCount({ writes: true });
    const calls = e2e.fake.callCount();
    const r = await e2e.run({
      event: "issue_comment",
      payload: commentPayload({ issue, commentId: comment.id, body: comment.body, login: "alice" }),
    });
    const replies = [...e2e.fake.state.comments.values()].filter((x) => x.user === e2e.fake.state.viewer);
    const answer = replies.length > before ? replies.at(-1)!.body : "";
    c.note("exit", r.code);
    c.note("reply", answer ? firstLine(answer, 130) : "none");
    c.note("API calls", e2e.fake.callCount() - calls);
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).not.toContain("failed unexpectedly");
    expect(e2e.originBranches()).toEqual(branches);
    expect(r.outputs.results ?? "[]").toBe("[]");
    if (reply === null) {
      expect(e2e.fake.callCount()).toBe(calls);
      return;
    }
    expect(answer).toMatch(/^⚠️ /);
    expect(answer).toMatch(reply);
    // what the reply echoes of the comment is short and cannot close its code span
    const echoed = [...answer.split("\n")[0]!.matchAll(/`([^`]*)`/g)].map((m) => m[1]!);
    for (const e of echoed) expect(e.length).toBeLessThanOrEqual(41);
    // a reaction and a reply, nothing else written
    expect(e2e.fake.callCount({ writes: true }) - writes).toBe(2);
  });
});
