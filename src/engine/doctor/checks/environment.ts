/** Checks of the machine: Node.js, git, the Claude Code CLI, and credentials for it. Pure. */
import type { ClaudeAvailability } from "../../agent/index.ts";
import { type CheckResult, result } from "../types.ts";

export const MIN_NODE = [22, 0, 0] as const;
/** `git merge-tree --write-tree` (conflict checks without a checkout) arrived in 2.38. */
export const MIN_GIT = [2, 38, 0] as const;

/** `2.43.0` → [2, 43, 0]; the first x.y[.z] in the text. */
export function parseVersion(text: string): [number, number, number] | undefined {
  const m = /(\d+)\.(\d+)(?:\.(\d+))?/.exec(text);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)] : undefined;
}

export function atLeast(v: readonly number[], min: readonly number[]): boolean {
  for (let i = 0; i < min.length; i++) {
    if ((v[i] ?? 0) !== min[i]) return (v[i] ?? 0) > min[i]!;
  }
  return true;
}

export function checkNode(version: string): CheckResult {
  const v = parseVersion(version);
  if (v && atLeast(v, MIN_NODE)) return result("node", "Node.js", "ok", `Node.js ${version}`);
  return result(
    "node",
    "Node.js",
    "fail",
    `Node.js ${version} is too old: claude-tasks needs ${MIN_NODE[0]} or later`,
    {
      fix: "install Node.js 22 or later (https://nodejs.org, or `actions/setup-node` with `node-version: 22`)",
    },
  );
}

/** `git --version` output, or undefined when git could not be run. */
export function checkGit(versionOutput: string | undefined): CheckResult {
  const title = "git";
  if (versionOutput === undefined) {
    return result("git", title, "fail", "git was not found on PATH", {
      fix: "install git 2.38 or later (https://git-scm.com/downloads)",
    });
  }
  const v = parseVersion(versionOutput);
  if (!v) return result("git", title, "warn", `could not read the version from \`${versionOutput.trim()}\``);
  const text = v.join(".");
  if (atLeast(v, MIN_GIT))
    return result("git", title, "ok", `git ${text} (merge-tree --write-tree available)`);
  return result(
    "git",
    title,
    "fail",
    `git ${text} is too old: conflict checks need \`git merge-tree --write-tree\` (2.38+)`,
    {
      fix: "upgrade git to 2.38 or later (Ubuntu: `sudo add-apt-repository ppa:git-core/ppa && sudo apt install git`)",
    },
  );
}

export interface ClaudeCheckInput {
  availability: ClaudeAvailability;
  /** How many tasks run Claude Code (prompt / prompt_file). */
  claudeTasks: number;
  /** Running inside GitHub Actions, where the Action installs Claude Code itself. */
  inActions: boolean;
}

export function checkClaude(input: ClaudeCheckInput): CheckResult {
  const title = "Claude Code CLI";
  const a = input.availability;
  if (a.available) return result("claude", title, "ok", `Claude Code ${a.version} (${a.path})`);
  const error = a.error.replace(/; install it with .*$/, ""); // the fix says how
  const fix =
    "install it with `npm install -g @anthropic-ai/claude-code`, or point CLAUDE_TASKS_CLAUDE at the `claude` executable";
  if (input.claudeTasks === 0)
    return result("claude", title, "skip", `${error}; only needed by Claude tasks, and there are none`);
  if (input.inActions)
    return result("claude", title, "warn", `${error}; the claude-tasks Action installs it when it runs`, {
      fix: "nothing to do for the Action; to run the CLI in this job, install it first",
    });
  return result("claude", title, "fail", `${error} (needed by ${input.claudeTasks} Claude task(s))`, {
    fix,
  });
}

export interface CredentialsInput {
  env: Record<string, string | undefined>;
  claudeTasks: number;
  inActions: boolean;
  /** Claude Code's own login file (`~/.claude/.credentials.json`) exists. */
  loginFile: boolean;
  platform: NodeJS.Platform;
}

const truthy = (v: string | undefined) =>
  v !== undefined && v !== "" && v !== "0" && v.toLowerCase() !== "false";

/** Which credential is present — by name only, never by value. */
export function checkCredentials(input: CredentialsInput): CheckResult {
  const title = "Claude credentials";
  const { env } = input;
  const id = "credentials";
  if (input.claudeTasks === 0)
    return result(id, title, "skip", "no Claude tasks: command tasks need no credentials");
  for (const name of ["ANTHROPIC_API_KEY", "CLAUDE_CODE_OAUTH_TOKEN"]) {
    const value = env[name];
    if (value === undefined || value === "") continue;
    if (value.trim() !== value || /\s/.test(value)) {
      return result(id, title, "fail", `${name} is set but contains whitespace or a line break`, {
        fix: `set ${name} again without surrounding spaces or a trailing newline`,
      });
    }
    return result(id, title, "ok", `${name} is set`);
  }
  if (truthy(env.CLAUDE_CODE_USE_BEDROCK)) return bedrock(env);
  if (truthy(env.CLAUDE_CODE_USE_VERTEX)) return vertex(env);
  if (truthy(env.CLAUDE_CODE_USE_FOUNDRY))
    return result(id, title, "ok", "Microsoft Foundry (CLAUDE_CODE_USE_FOUNDRY)");
  if (input.inActions) {
    return result(
      id,
      title,
      "fail",
      "no ANTHROPIC_API_KEY or CLAUDE_CODE_OAUTH_TOKEN in this step's environment",
      {
        // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression, not a template
        fix: "pass `anthropic-api-key: ${{ secrets.ANTHROPIC_API_KEY }}` to the Action (or put it in this step's `env:` to check it here)",
      },
    );
  }
  if (input.loginFile) return result(id, title, "ok", "Claude Code login (~/.claude/.credentials.json)");
  if (input.platform === "darwin") {
    return result(
      id,
      title,
      "warn",
      "no credential variable; a `claude` login in the macOS keychain would be used",
      {
        fix: "if `claude -p hi` asks you to log in, run `claude` and /login, or export ANTHROPIC_API_KEY",
      },
    );
  }
  return result(
    id,
    title,
    "fail",
    "no ANTHROPIC_API_KEY, CLAUDE_CODE_OAUTH_TOKEN, cloud provider or Claude Code login",
    {
      fix: "export ANTHROPIC_API_KEY=… (https://console.anthropic.com), or run `claude` and /login",
    },
  );
}

function bedrock(env: Record<string, string | undefined>): CheckResult {
  const title = "Claude credentials";
  if (!env.AWS_REGION && !env.AWS_DEFAULT_REGION) {
    return result(
      "credentials",
      title,
      "fail",
      "Amazon Bedrock is switched on (CLAUDE_CODE_USE_BEDROCK) but AWS_REGION is not set",
      {
        fix: "set AWS_REGION, e.g. `us-east-1` (Claude Code does not read the region from ~/.aws/config)",
      },
    );
  }
  const creds = [
    "AWS_ACCESS_KEY_ID",
    "AWS_PROFILE",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
    "AWS_BEARER_TOKEN_BEDROCK",
    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
  ];
  const found = creds.find((n) => env[n]);
  if (found) return result("credentials", title, "ok", `Amazon Bedrock (${found} is set)`);
  return result(
    "credentials",
    title,
    "warn",
    "Amazon Bedrock is switched on, but no AWS credential variable is set",
    {
      fix: "fine on a machine with an instance role; otherwise use aws-actions/configure-aws-credentials or set AWS_PROFILE",
    },
  );
}

function vertex(env: Record<string, string | undefined>): CheckResult {
  const title = "Claude credentials";
  const missing = ["CLOUD_ML_REGION", "ANTHROPIC_VERTEX_PROJECT_ID"].filter((n) => !env[n]);
  if (missing.length > 0) {
    return result(
      "credentials",
      title,
      "fail",
      `Google Vertex AI is switched on (CLAUDE_CODE_USE_VERTEX) but ${missing.join(" and ")} ${missing.length === 1 ? "is" : "are"} not set`,
      {
        fix: `set ${missing.join(" and ")} (e.g. CLOUD_ML_REGION=us-east5)`,
      },
    );
  }
  return result(
    "credentials",
    title,
    "ok",
    "Google Vertex AI (CLOUD_ML_REGION and ANTHROPIC_VERTEX_PROJECT_ID are set)",
  );
}

/** Whether agents can be sandboxed here (see sandbox/): bubblewrap on Linux. */
export function checkSandbox(opts: {
  platform: NodeJS.Platform;
  bwrap: { ok: true; version: string } | { ok: false; reason: string } | undefined;
  isolation?: string;
}): CheckResult {
  const title = "sandbox for agents";
  if (opts.isolation === "none") {
    return result("sandbox", title, "warn", "CLAUDE_TASKS_ISOLATION=none: agents run without a sandbox", {
      fix: "unset CLAUDE_TASKS_ISOLATION unless every task and its repository are fully trusted",
    });
  }
  if (opts.platform !== "linux") {
    return result("sandbox", title, "fail", `no sandbox for agents on ${opts.platform} yet: runs refuse`, {
      fix: "run on Linux with bubblewrap, or pass `--isolation none` for tasks you fully trust",
    });
  }
  if (!opts.bwrap?.ok) {
    return result("sandbox", title, "fail", opts.bwrap?.reason ?? "bubblewrap was not checked", {
      fix: "install bubblewrap (`sudo apt-get install bubblewrap`); on Ubuntu 24.04 allow it user namespaces (the Action does this itself)",
    });
  }
  return result(
    "sandbox",
    title,
    "ok",
    `${opts.bwrap.version}: agents run with no view of your credentials or processes`,
  );
}
