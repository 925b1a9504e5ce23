/**
 * The environment an agent runs with: the base environment minus everything it must not see (the
 * GitHub token, Actions runtime secrets, files that steer later workflow steps, anything that looks
 * like a credential, markers of an enclosing Claude Code session), plus the task's own `env`.
 */

export type AgentKind = "claude" | "command";

export interface AgentEnvOptions {
  /**
   * "claude" keeps the credentials Claude Code needs and adds its defaults; "command" keeps no
   * credentials at all (a task that needs one passes it explicitly in its `env`).
   */
  kind?: AgentKind;
  /** Retries Claude Code makes on API errors when the user did not say; the CLI default is 10. */
  maxRetries?: number;
}

export const DEFAULT_CLAUDE_MAX_RETRIES = 3;

/** Always removed: GitHub and Actions runtime credentials, and files that change later workflow steps. */
const REMOVE_EXACT = new Set([
  "GITHUB_TOKEN",
  "GH_TOKEN",
  "GITHUB_PAT",
  "GH_ENTERPRISE_TOKEN",
  "GITHUB_ENTERPRISE_TOKEN",
  "GITHUB_ENV",
  "GITHUB_PATH",
  "GITHUB_OUTPUT",
  "GITHUB_STATE",
  "GITHUB_STEP_SUMMARY",
  "SSH_AUTH_SOCK",
]);

/** Action inputs (may hold the token and the API key) and the runner's internal endpoints and tokens. */
const REMOVE_PREFIXES = ["INPUT_", "ACTIONS_"];

/** Names that look like a secret. */
const SECRET_NAME =
  /TOKEN|SECRET|PASSWORD|PASSWD|PASSPHRASE|PRIVATE|CREDENTIAL|API_?KEY|ACCESS_KEY|_KEY$|^KEY$/i;

/**
 * Set by Claude Code in the processes it starts. A nested `claude` that sees them believes it runs
 * inside another session (and would talk to the parent's sockets), so they never pass through.
 */
const SESSION_MARKERS = new Set([
  "CLAUDECODE",
  "CLAUDE_CODE_ENTRYPOINT",
  "CLAUDE_CODE_CHILD_SESSION",
  "CLAUDE_CODE_SESSION_ID",
  "CLAUDE_CODE_SESSION_ATTENDED",
  "CLAUDE_CODE_SESSION_KIND",
  "CLAUDE_CODE_SESSION_ACCESS_TOKEN",
  "CLAUDE_CODE_SESSIONS_OAUTH_TOKEN",
  "CLAUDE_CODE_REMOTE_SESSION_ID",
  "CLAUDE_CODE_LAUNCHED_BY_SESSION_IDS",
  "CLAUDE_CODE_HOST_SESSION_ID",
  "CLAUDE_CODE_BRIDGE_SESSION_ID",
  "CLAUDE_CODE_MESSAGING_SOCKET",
  "CLAUDE_CODE_MESSAGING_TOKEN",
  "CLAUDE_CODE_CHILD_NOTES_DIR",
  "CLAUDE_CODE_EXECPATH",
  "CLAUDE_CODE_SSE_PORT",
  "CLAUDE_AGENT_SDK_VERSION",
  "CLAUDE_PID",
  "CLAUDE_EFFORT",
  "AI_AGENT",
]);

/** Claude Code's own credentials and provider switches: kept for Claude agents despite their names. */
function isClaudeCredential(name: string): boolean {
  return (
    name.startsWith("ANTHROPIC_") ||
    name === "CLAUDE_CODE_OAUTH_TOKEN" ||
    name === "CLAUDE_CODE_API_KEY_HELPER_TTL_MS" ||
    /^CLAUDE_CODE_(USE|SKIP)_(BEDROCK|VERTEX|FOUNDRY)(_AUTH)?$/.test(name)
  );
}

const truthy = (v: string | undefined) =>
  v !== undefined && v !== "" && v !== "0" && v.toLowerCase() !== "false";

/** Cloud credentials Claude Code needs when a third-party provider is switched on. */
function providerCredential(name: string, env: Record<string, string | undefined>): boolean {
  if (truthy(env.CLAUDE_CODE_USE_BEDROCK) && name.startsWith("AWS_")) return true;
  if (
    truthy(env.CLAUDE_CODE_USE_VERTEX) &&
    (name === "GOOGLE_APPLICATION_CREDENTIALS" || name.startsWith("CLOUDSDK_") || name.startsWith("GOOGLE_"))
  ) {
    return true;
  }
  if (truthy(env.CLAUDE_CODE_USE_FOUNDRY) && name.startsWith("AZURE_")) return true;
  return false;
}

/** Why a variable is removed from every environment the engine hands on, whatever runs there. */
function alwaysRemoved(name: string): string | undefined {
  if (REMOVE_EXACT.has(name)) return "GitHub credential or workflow file";
  if (REMOVE_PREFIXES.some((p) => name.startsWith(p))) return "Actions input or runtime variable";
  if (SESSION_MARKERS.has(name)) return "marker of an enclosing Claude Code session";
  return undefined;
}

/** The variables Claude Code takes the model credential (and its endpoint) from. */
export const MODEL_CREDENTIAL_VARS = [
  "ANTHROPIC_API_KEY",
  "ANTHROPIC_AUTH_TOKEN",
  "CLAUDE_CODE_OAUTH_TOKEN",
  "ANTHROPIC_BASE_URL",
] as const;

/**
 * `env` without what no process the engine starts may see (GitHub and Actions credentials, workflow
 * files, session markers) and, with `modelCredentials: false`, without the model credential too. The
 * base every per-process environment is cut from; `agentEnv` removes the rest for agents.
 */
export function scrubbedEnv(
  env: Record<string, string | undefined>,
  opts: { modelCredentials?: boolean } = {},
): Record<string, string> {
  const drop = new Set<string>(opts.modelCredentials === false ? MODEL_CREDENTIAL_VARS : []);
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined || drop.has(name) || alwaysRemoved(name) !== undefined) continue;
    out[name] = value;
  }
  return out;
}

/** Why a variable is removed, or undefined when it passes. Exported for `doctor` and tests. */
export function scrubReason(
  name: string,
  env: Record<string, string | undefined>,
  kind: AgentKind = "claude",
): string | undefined {
  const always = alwaysRemoved(name);
  if (always !== undefined) return always;
  if (kind === "claude" && (isClaudeCredential(name) || providerCredential(name, env))) return undefined;
  if (SECRET_NAME.test(name)) return "looks like a secret";
  return undefined;
}

/**
 * The scrubbed environment for an agent. `taskEnv` (the task's `agent.env`) is added last and wins:
 * a task that needs a credential names it explicitly.
 */
export function agentEnv(
  baseEnv: Record<string, string | undefined>,
  taskEnv: Record<string, string> = {},
  options: AgentEnvOptions = {},
): Record<string, string> {
  const kind = options.kind ?? "claude";
  // Provider switches may come from either side; decide what to keep on the merged view.
  const merged = { ...baseEnv, ...taskEnv };
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(baseEnv)) {
    if (value === undefined) continue;
    if (scrubReason(name, merged, kind) !== undefined) continue;
    out[name] = value;
  }
  Object.assign(out, taskEnv);
  if (kind === "claude") {
    out.CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC ??= "1";
    out.CLAUDE_CODE_MAX_RETRIES ??= String(options.maxRetries ?? DEFAULT_CLAUDE_MAX_RETRIES);
  }
  return out;
}
