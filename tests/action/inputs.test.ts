import { describe, expect, it } from "vitest";
import { readSettings, secretsOf, splitTasks } from "../../src/action/inputs.ts";
import { UserError } from "../../src/engine/errors.ts";
import {
  agentBaseEnv,
  assertClaudeCredentials,
  credentialSource,
  gitAuthEnv,
  gitAuthSecret,
} from "../../src/engine/event/index.ts";

const reader = (inputs: Record<string, string>) => (name: string) => inputs[name] ?? "";

describe("readSettings", () => {
  it("gives documented defaults when every input is empty", () => {
    expect(readSettings(reader({}))).toEqual({
      tasks: [],
      dryRun: false,
      mode: "run",
      configDir: ".github/claude-tasks",
      claudeCodeVersion: "2.1.329",
      commentCommand: "/claude-tasks",
      isolation: "sandbox",
      signCommits: "required",
      workflowToken: false,
    });
  });

  it("sign-commits: required by default, `true`/`false` as aliases, anything else refused", () => {
    const sign = (v: string) => readSettings(reader({ "sign-commits": v })).signCommits;
    expect([sign("preferred"), sign("off"), sign("required"), sign("true"), sign("false")]).toEqual([
      "preferred",
      "off",
      "required",
      "required",
      "off",
    ]);
    expect(() => sign("sometimes")).toThrow(
      /`sign-commits`: "sometimes" is not one of `required`, `preferred`, `off`/,
    );
  });

  it("tells the workflow's own token (CI will not start) from an App or personal token", () => {
    const with_ = (token: string) =>
      readSettings(reader({ "github-token": token, "workflow-token": "ghs_workflow" })).workflowToken;
    expect(with_("ghs_workflow")).toBe(true);
    expect(with_("ghs_fromAnApp")).toBe(false);
    expect(with_("github_pat_11ABC")).toBe(false);
    expect(readSettings(reader({ "workflow-token": "ghs_workflow" })).workflowToken).toBe(false);
  });

  it("isolation is `sandbox` unless `none` is asked for explicitly", () => {
    expect(readSettings(reader({ isolation: "none" })).isolation).toBe("none");
    expect(() => readSettings(reader({ isolation: "off" }))).toThrow(
      /`isolation`: "off" is not `sandbox` or `none`/,
    );
  });

  it("reads the privilege split's modes and the results directory", () => {
    expect(readSettings(reader({ mode: "run-only" })).mode).toBe("run-only");
    const s = readSettings(reader({ mode: "publish", "results-dir": " /tmp/results " }));
    expect(s).toMatchObject({ mode: "publish", resultsDir: "/tmp/results" });
  });

  it("reads every input; empty strings and blanks are absent", () => {
    const s = readSettings(
      reader({
        "github-token": " ghs_abc ",
        "anthropic-api-key": "sk-ant-1",
        "claude-code-oauth-token": "  ",
        tasks: "docs-sync, lint-*\nbuild",
        "dry-run": "True",
        mode: "plan",
        "config-dir": "tasks/",
        "max-parallel": "8",
        "claude-code-version": "2.2.0-beta.1",
        "comment-command": "/bot",
        base: "develop",
        isolation: "none",
      }),
    );
    expect(s).toEqual({
      githubToken: "ghs_abc",
      anthropicApiKey: "sk-ant-1",
      tasks: ["docs-sync", "lint-*", "build"],
      dryRun: true,
      mode: "plan",
      configDir: "tasks",
      maxParallel: 8,
      claudeCodeVersion: "2.2.0-beta.1",
      commentCommand: "/bot",
      base: "develop",
      isolation: "none",
      signCommits: "required",
      workflowToken: false,
    });
    expect(secretsOf(s)).toEqual(["ghs_abc", "sk-ant-1"]);
  });

  it.each([
    ["dry-run", "yes", /`dry-run`.*"yes" is not `true` or `false`/],
    ["mode", "apply", /`mode`.*`run`, `plan`, `run-only`, `publish`/],
    ["config-dir", "../other", /`config-dir`.*inside the repository/],
    ["config-dir", "/etc", /`config-dir`.*inside the repository/],
    ["max-parallel", "0", /`max-parallel`.*1 to 64/],
    ["max-parallel", "2.5", /`max-parallel`/],
    ["max-parallel", "1000", /`max-parallel`/],
    ["claude-code-version", "latest", /exact version/],
    ["claude-code-version", "^2.1.0", /exact version/],
    ["comment-command", "claude", /slash and a word/],
    ["comment-command", "/a b", /slash and a word/],
    ["base", "main..x", /not a branch name/],
    ["base", "@{-1}", /not a branch name/],
  ])("refuses %s=%j with a message naming the input", (name, value, message) => {
    const read = () => readSettings(reader({ [name]: value }));
    expect(read).toThrow(UserError);
    expect(read).toThrow(message);
  });

  it("splits task lists on spaces, commas and newlines", () => {
    expect(splitTasks(" a,b  c\n\nd, ")).toEqual(["a", "b", "c", "d"]);
    expect(splitTasks("")).toEqual([]);
  });
});

describe("Claude credentials", () => {
  const claude = [{ name: "docs", kind: "claude" as const }];
  const command = [{ name: "fmt", kind: "command" as const }];

  it("fails fast, naming the tasks and the fix, when a Claude task has none", () => {
    const check = () => assertClaudeCredentials({ tasks: [...claude, ...command], credentials: {}, env: {} });
    expect(check).toThrow(UserError);
    expect(check).toThrow(/no credentials for Claude Code, needed by `docs`/);
    expect(check).toThrow(/anthropic-api-key: \$\{\{ secrets.ANTHROPIC_API_KEY \}\}/);
  });

  it("accepts an input, a variable or a cloud provider; command tasks need nothing", () => {
    const ok = (credentials: object, env: Record<string, string>) =>
      expect(() => assertClaudeCredentials({ tasks: claude, credentials, env })).not.toThrow();
    ok({ anthropicApiKey: "k" }, {});
    ok({ claudeCodeOauthToken: "t" }, {});
    ok({}, { ANTHROPIC_API_KEY: "k" });
    ok({}, { CLAUDE_CODE_OAUTH_TOKEN: "t" });
    ok({}, { CLAUDE_CODE_USE_BEDROCK: "1" });
    ok({}, { CLAUDE_CODE_USE_VERTEX: "true" });
    expect(credentialSource({}, { CLAUDE_CODE_USE_BEDROCK: "0" })).toBeUndefined();
    expect(() => assertClaudeCredentials({ tasks: command, credentials: {}, env: {} })).not.toThrow();
  });

  it("gives agents the key as Claude Code reads it, never the GitHub token or inputs", () => {
    const env = agentBaseEnv(
      {
        PATH: "/bin",
        GITHUB_TOKEN: "ghs_x",
        GH_TOKEN: "ghs_y",
        "INPUT_GITHUB-TOKEN": "ghs_z",
        "INPUT_ANTHROPIC-API-KEY": "k",
      },
      { anthropicApiKey: "sk-ant", claudeCodeOauthToken: "oauth" },
    );
    expect(env).toEqual({ PATH: "/bin", ANTHROPIC_API_KEY: "sk-ant", CLAUDE_CODE_OAUTH_TOKEN: "oauth" });
  });
});

describe("git authentication", () => {
  it("passes the token as an extra header through GIT_CONFIG_* variables, for the server only", () => {
    const env = gitAuthEnv("ghs_abc", "https://github.example.com/");
    expect(env).toEqual({
      GIT_CONFIG_COUNT: "1",
      GIT_CONFIG_KEY_0: "http.https://github.example.com/.extraheader",
      GIT_CONFIG_VALUE_0: `AUTHORIZATION: basic ${gitAuthSecret("ghs_abc")}`,
    });
    expect(Buffer.from(gitAuthSecret("ghs_abc"), "base64").toString()).toBe("x-access-token:ghs_abc");
  });
});
