/** Each doctor check is a pure function of its inputs: every status, message and fix. */
import { describe, expect, it } from "vitest";
import { readConfig } from "../../src/engine/config/index.ts";
import { checkLocalSchedule } from "../../src/engine/doctor/checks/local-schedule.ts";
import {
  checkClaude,
  checkCredentials,
  checkGit,
  checkHistory,
  checkNode,
  checkStateRef,
  checkTasks,
  checkWorktrees,
  parseVersion,
} from "../../src/engine/doctor/index.ts";
import type { WorktreeInfo } from "../../src/engine/git/index.ts";
import { taskDir } from "../support/cli.ts";

const SECRET = "sk-ant-api03-very-secret-value";

describe("checkNode / checkGit", () => {
  it("parses versions", () => {
    expect(parseVersion("git version 2.43.0")).toEqual([2, 43, 0]);
    expect(parseVersion("git version 2.39.5 (Apple Git-154)")).toEqual([2, 39, 5]);
    expect(parseVersion("v22")).toBeUndefined();
    expect(parseVersion("22.1")).toEqual([22, 1, 0]);
  });

  it("node: 22+ ok, older fails with a fix", () => {
    expect(checkNode("24.1.0").status).toBe("ok");
    const old = checkNode("20.11.1");
    expect(old).toMatchObject({ status: "fail", id: "node" });
    expect(old.fix).toMatch(/Node\.js 22/);
  });

  it.each([
    ["git version 2.38.0", "ok"],
    ["git version 2.51.1.windows.1", "ok"],
    ["git version 3.0.0", "ok"],
    ["git version 2.37.9", "fail"],
    ["git version 1.9.0", "fail"],
  ])("git %s → %s", (out, status) => {
    const r = checkGit(out);
    expect(r.status).toBe(status);
    if (status === "fail") expect(r.fix).toMatch(/2\.38/);
  });

  it("git: missing fails, unreadable warns", () => {
    expect(checkGit(undefined)).toMatchObject({
      status: "fail",
      message: expect.stringMatching(/not found/),
    });
    expect(checkGit("git something").status).toBe("warn");
  });
});

describe("checkClaude", () => {
  const missing = { available: false as const, path: "claude", error: "claude not found" };
  it("ok with the version and path", () => {
    const r = checkClaude({
      availability: { available: true, version: "2.1.329", path: "/x/claude" },
      claudeTasks: 1,
      inActions: false,
    });
    expect(r).toMatchObject({ status: "ok", message: "Claude Code 2.1.329 (/x/claude)" });
  });
  it("missing: fails when Claude tasks exist, skips without them, warns in Actions (the Action installs it)", () => {
    expect(checkClaude({ availability: missing, claudeTasks: 2, inActions: false })).toMatchObject({
      status: "fail",
      fix: expect.stringMatching(/npm install -g @anthropic-ai\/claude-code/),
    });
    expect(checkClaude({ availability: missing, claudeTasks: 0, inActions: false }).status).toBe("skip");
    expect(checkClaude({ availability: missing, claudeTasks: 2, inActions: true }).status).toBe("warn");
  });
});

describe("checkCredentials", () => {
  const base = { claudeTasks: 1, inActions: false, loginFile: false, platform: "linux" as const };
  it("names the variable, never its value", () => {
    for (const name of ["ANTHROPIC_API_KEY", "CLAUDE_CODE_OAUTH_TOKEN"]) {
      const r = checkCredentials({ ...base, env: { [name]: SECRET } });
      expect(r).toMatchObject({ status: "ok", message: `${name} is set` });
      expect(JSON.stringify(r)).not.toContain(SECRET);
    }
  });
  it("a value with a trailing newline fails, still without the value", () => {
    const r = checkCredentials({ ...base, env: { ANTHROPIC_API_KEY: `${SECRET}\n` } });
    expect(r.status).toBe("fail");
    expect(JSON.stringify(r)).not.toContain("very-secret");
  });
  it("Bedrock needs a region; credentials may come from the machine", () => {
    expect(checkCredentials({ ...base, env: { CLAUDE_CODE_USE_BEDROCK: "1" } })).toMatchObject({
      status: "fail",
      fix: expect.stringMatching(/AWS_REGION/),
    });
    expect(
      checkCredentials({ ...base, env: { CLAUDE_CODE_USE_BEDROCK: "1", AWS_REGION: "us-east-1" } }).status,
    ).toBe("warn");
    expect(
      checkCredentials({
        ...base,
        env: { CLAUDE_CODE_USE_BEDROCK: "true", AWS_REGION: "us-east-1", AWS_PROFILE: "p" },
      }),
    ).toMatchObject({ status: "ok", message: "Amazon Bedrock (AWS_PROFILE is set)" });
    expect(checkCredentials({ ...base, env: { CLAUDE_CODE_USE_BEDROCK: "0" } }).status).toBe("fail");
  });
  it("Vertex needs a region and a project", () => {
    const r = checkCredentials({
      ...base,
      env: { CLAUDE_CODE_USE_VERTEX: "1", CLOUD_ML_REGION: "us-east5" },
    });
    expect(r).toMatchObject({
      status: "fail",
      message: expect.stringMatching(/ANTHROPIC_VERTEX_PROJECT_ID is not set/),
    });
    expect(
      checkCredentials({
        ...base,
        env: { CLAUDE_CODE_USE_VERTEX: "1", CLOUD_ML_REGION: "x", ANTHROPIC_VERTEX_PROJECT_ID: "p" },
      }).status,
    ).toBe("ok");
  });
  it("nothing: fails with a fix; a Claude Code login counts; macOS keychain warns; Actions names the input", () => {
    expect(checkCredentials({ ...base, env: {} })).toMatchObject({
      status: "fail",
      fix: expect.stringMatching(/ANTHROPIC_API_KEY/),
    });
    expect(checkCredentials({ ...base, env: {}, loginFile: true }).status).toBe("ok");
    expect(checkCredentials({ ...base, env: {}, platform: "darwin" }).status).toBe("warn");
    expect(checkCredentials({ ...base, env: {}, inActions: true, loginFile: true })).toMatchObject({
      status: "fail",
      fix: expect.stringMatching(/anthropic-api-key: \$\{\{ secrets\.ANTHROPIC_API_KEY \}\}/),
    });
  });
  it("no Claude tasks: nothing needed", () => {
    expect(checkCredentials({ ...base, claudeTasks: 0, env: {} }).status).toBe("skip");
  });
});

describe("checkTasks", () => {
  const p = (message: string, severity: "error" | "warning" = "error") => ({
    file: ".github/claude-tasks/a.yml",
    line: 2,
    col: 1,
    message,
    severity,
  });
  it("ok, warnings, errors with file:line:col details", () => {
    expect(checkTasks({ configDir: ".github/claude-tasks", tasks: 3, problems: [] })).toMatchObject({
      status: "ok",
      message: "3 task(s) valid in .github/claude-tasks",
    });
    expect(checkTasks({ configDir: "d", tasks: 1, problems: [p("listed twice", "warning")] }).status).toBe(
      "warn",
    );
    const r = checkTasks({
      configDir: "d",
      tasks: 0,
      problems: [p("unknown key `schedul`, did you mean `schedule`?")],
    });
    expect(r).toMatchObject({ status: "fail", fix: expect.stringMatching(/validate/) });
    expect(r.details).toEqual([
      ".github/claude-tasks/a.yml:2:1: unknown key `schedul`, did you mean `schedule`?",
    ]);
  });
  it("no task folder: the fix is init (read from the problem's code, not its text)", async () => {
    using dir = taskDir({}, { git: false });
    const { problems } = await readConfig({ repoRoot: dir.path, configDir: "d" });
    expect(problems).toMatchObject([{ code: "no-task-dir", file: "d" }]);
    const r = checkTasks({ configDir: "d", tasks: 0, problems });
    expect(r).toMatchObject({
      status: "fail",
      message: "no task directory d",
      fix: expect.stringMatching(/npx claude-tasks init/),
    });
    // the same words without the code are an ordinary error
    const worded = checkTasks({
      configDir: "d",
      tasks: 0,
      problems: [p("no task directory d; run claude-tasks init")],
    });
    expect(worded).toMatchObject({ status: "fail", message: "1 error(s) in d" });
  });
  it("at most 10 details", () => {
    const r = checkTasks({
      configDir: "d",
      tasks: 0,
      problems: Array.from({ length: 14 }, (_, i) => p(`problem ${i}`)),
    });
    expect(r.details).toHaveLength(11);
    expect(r.details?.at(-1)).toBe("… and 4 more");
  });
});

describe("checkWorktrees", () => {
  const wt = (over: Partial<WorktreeInfo>): WorktreeInfo => ({
    path: "/w",
    detached: true,
    main: false,
    locked: false,
    prunable: false,
    ours: true,
    stale: false,
    ...over,
  });
  it("skips outside git, ok without leftovers, warns with the prune command", () => {
    expect(checkWorktrees(undefined).status).toBe("skip");
    expect(checkWorktrees([wt({ ours: false, main: true }), wt({})])).toMatchObject({
      status: "ok",
      message: "none (1 in use by a running task)",
    });
    const r = checkWorktrees([wt({ stale: true, path: "/w/docs-r1" })]);
    expect(r).toMatchObject({ status: "warn", fix: expect.stringMatching(/worktrees --prune/) });
    expect(r.details).toEqual(["/w/docs-r1"]);
  });
});

describe("checkHistory", () => {
  const now = new Date("2026-11-20T12:00:00Z");
  it("within the retention: ok with counts, size and age", () => {
    const r = checkHistory({
      backups: [{ size: 2048, createdAt: "2026-11-10T12:00:00Z" }],
      reports: 4,
      surplus: { backups: 0, reports: 0, logLines: 0 },
      policy: { keep: 20 },
      now,
    });
    expect(r).toMatchObject({
      status: "ok",
      message:
        "1 backup(s), 2 KiB, oldest 10 days old; 4 run report(s) (within the retention: keep 20 per task)",
    });
  });
  it("beyond it: warns with prune", () => {
    const r = checkHistory({
      backups: [],
      reports: 0,
      surplus: { backups: 3, reports: 1, logLines: 9 },
      policy: { keep: 5, maxAgeMs: 30 * 86_400_000 },
      now,
    });
    expect(r.status).toBe("warn");
    expect(r.message).toMatch(
      /keep 5 per task, at most 30d old\) are 3 backup\(s\), 1 report\(s\), 9 log line\(s\)/,
    );
    expect(r.fix).toMatch(/claude-tasks prune/);
  });
});

describe("checkStateRef", () => {
  const parse = (text: string) => {
    try {
      const v = JSON.parse(text) as { tasks: object; updatedAt: string };
      return { ok: true as const, taskCount: Object.keys(v.tasks).length, updatedAt: v.updatedAt };
    } catch {
      return { ok: false as const, problem: "state.json is not JSON" };
    }
  };
  it("absent is fine; readable is ok; unreadable fails with how to reset it", () => {
    expect(checkStateRef(undefined).status).toBe("skip");
    expect(checkStateRef({ present: false }).status).toBe("ok");
    const ok = checkStateRef({
      present: true,
      ref: "refs/claude-tasks/state",
      commit: "abcdef123",
      text: '{"tasks":{"a":{}},"updatedAt":"2026-11-20T06:00:00.000Z"}',
      parse,
    });
    expect(ok).toMatchObject({
      status: "ok",
      message: "refs/claude-tasks/state (abcdef1): 1 task(s), updated 2026-11-20T06:00:00.000Z",
    });
    const bad = checkStateRef({
      present: true,
      ref: "refs/claude-tasks/state",
      commit: "abcdef123",
      text: "{",
      parse,
    });
    expect(bad).toMatchObject({
      status: "fail",
      message: expect.stringMatching(/not JSON/),
      fix: expect.stringMatching(/git push origin :refs\/claude-tasks\/state/),
    });
    expect(
      checkStateRef({ present: true, ref: "r", commit: "c", error: "no state.json in the commit", parse })
        .status,
    ).toBe("fail");
  });
});

describe("local schedule (schedule install)", () => {
  const installed = {
    kind: "systemd",
    intervalMinutes: 5,
    installedAt: "2026-03-10T10:00:00.000Z",
    missingFiles: [] as string[],
    missingPrograms: [] as string[],
  };
  const now = new Date("2026-03-10T12:00:00Z");
  const tickAt = (at: string) => ({
    lastTick: {
      at,
      now: at,
      mode: "local" as const,
      state: "",
      tasks: [],
      pid: 1,
      status: "nothing-due" as const,
    },
  });

  it("skips without a timer; ok while ticks arrive; warns when they stop; fails when its files are gone", () => {
    expect(checkLocalSchedule({ record: {}, now }).status).toBe("skip");
    expect(checkLocalSchedule({ installed, record: tickAt("2026-03-10T11:57:00.000Z"), now })).toMatchObject({
      status: "ok",
      message: "tick every 5 min with systemd; last tick 2026-03-10T11:57:00.000Z",
    });
    const stopped = checkLocalSchedule({ installed, record: tickAt("2026-03-10T11:00:00.000Z"), now });
    expect(stopped.status).toBe("warn");
    expect(stopped.message).toMatch(/not firing/);
    const gone = checkLocalSchedule({
      installed: { ...installed, missingFiles: ["/h/x.timer"] },
      record: {},
      now,
    });
    expect(gone).toMatchObject({ status: "fail", details: ["/h/x.timer"] });
    expect(gone.fix).toMatch(/schedule install/);
    const node = checkLocalSchedule({
      installed: { ...installed, missingPrograms: ["/old/node"] },
      record: {},
      now,
    });
    expect(node.status).toBe("fail");
    const open = checkLocalSchedule({ installed: { ...installed, envFileOpen: "/h/env" }, record: {}, now });
    expect(open).toMatchObject({ status: "warn", fix: "chmod 600 /h/env" });
  });
});
