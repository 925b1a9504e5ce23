/**
 * Claude tasks need credentials for Claude Code: an Anthropic API key, a Claude Code OAuth token, or a
 * cloud provider switched on (Bedrock, Vertex, Foundry) whose own credentials come from the environment.
 * Checked before anything is installed or run, so a missing secret fails in a second with a fix.
 */
import { UserError } from "../errors.ts";
import { scrubbedEnv } from "./env.ts";

export interface ClaudeCredentials {
  anthropicApiKey?: string;
  claudeCodeOauthToken?: string;
}

const PROVIDER_SWITCHES = ["CLAUDE_CODE_USE_BEDROCK", "CLAUDE_CODE_USE_VERTEX", "CLAUDE_CODE_USE_FOUNDRY"];

const truthy = (v: string | undefined) =>
  v !== undefined && v !== "" && v !== "0" && v.toLowerCase() !== "false";

/** Which credential Claude Code will use, or undefined when there is none. */
export function credentialSource(
  creds: ClaudeCredentials,
  env: Record<string, string | undefined>,
): string | undefined {
  if (creds.anthropicApiKey) return "the anthropic-api-key input";
  if (creds.claudeCodeOauthToken) return "the claude-code-oauth-token input";
  if (env.ANTHROPIC_API_KEY) return "ANTHROPIC_API_KEY";
  if (env.CLAUDE_CODE_OAUTH_TOKEN) return "CLAUDE_CODE_OAUTH_TOKEN";
  const provider = PROVIDER_SWITCHES.find((name) => truthy(env[name]));
  return provider;
}

/** Throws a UserError naming the tasks and the fix when Claude tasks would run without credentials. */
export function assertClaudeCredentials(opts: {
  tasks: readonly { name: string; kind: "claude" | "command" }[];
  credentials: ClaudeCredentials;
  env: Record<string, string | undefined>;
}): void {
  const claude = opts.tasks.filter((t) => t.kind === "claude").map((t) => t.name);
  if (claude.length === 0 || credentialSource(opts.credentials, opts.env) !== undefined) return;
  const list =
    claude
      .slice(0, 5)
      .map((n) => `\`${n}\``)
      .join(", ") + (claude.length > 5 ? ", …" : "");
  throw new UserError(
    `no credentials for Claude Code, needed by ${list}. Add one to the step's \`with:\`: ` +
      `\`anthropic-api-key: ${secretExpr("ANTHROPIC_API_KEY")}\` or ` +
      `\`claude-code-oauth-token: ${secretExpr("CLAUDE_CODE_OAUTH_TOKEN")}\` (create the secret under ` +
      "Settings → Secrets and variables → Actions), or set `CLAUDE_CODE_USE_BEDROCK: 1` / " +
      "`CLAUDE_CODE_USE_VERTEX: 1` with the cloud credentials in the step's `env:`",
  );
}

/** `${{ secrets.NAME }}`, the workflow expression. */
const secretExpr = (name: string) => `\${{ secrets.${name} }}`;

/** The environment for the engine's agents: the credentials as Claude Code reads them, no GitHub token. */
export function agentBaseEnv(
  env: Record<string, string | undefined>,
  creds: ClaudeCredentials,
): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = scrubbedEnv(env);
  if (creds.anthropicApiKey) out.ANTHROPIC_API_KEY = creds.anthropicApiKey;
  if (creds.claudeCodeOauthToken) out.CLAUDE_CODE_OAUTH_TOKEN = creds.claudeCodeOauthToken;
  return out;
}
