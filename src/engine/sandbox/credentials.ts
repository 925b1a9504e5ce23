import { readFile } from "node:fs/promises";
import { join } from "node:path";

/** The model credential the engine holds, as Claude Code would pick it from an environment. */

export type ModelCredential =
  /** `ANTHROPIC_API_KEY`: sent upstream as `x-api-key`. */
  | { kind: "api-key"; value: string }
  /** `CLAUDE_CODE_OAUTH_TOKEN` (`claude setup-token`): sent as `Authorization: Bearer`. */
  | { kind: "oauth"; value: string }
  /** `ANTHROPIC_AUTH_TOKEN` (an LLM gateway's token): sent as `Authorization: Bearer`. */
  | { kind: "auth-token"; value: string };

/** The environment variable Claude Code reads each kind from. */
export const CREDENTIAL_VARIABLE: Record<ModelCredential["kind"], string> = {
  "auth-token": "ANTHROPIC_AUTH_TOKEN",
  "api-key": "ANTHROPIC_API_KEY",
  oauth: "CLAUDE_CODE_OAUTH_TOKEN",
};

/**
 * Which credential the environment holds, or undefined. The order is Claude Code's documented
 * authentication precedence (cloud providers first, which do not go through this proxy, then
 * `ANTHROPIC_AUTH_TOKEN`, `ANTHROPIC_API_KEY`, an `apiKeyHelper`, `CLAUDE_CODE_OAUTH_TOKEN`).
 * Empty values count as unset.
 */
export function modelCredentialFrom(env: Record<string, string | undefined>): ModelCredential | undefined {
  for (const kind of ["auth-token", "api-key", "oauth"] as const) {
    const value = env[CREDENTIAL_VARIABLE[kind]];
    if (value) return { kind, value } as ModelCredential;
  }
  return undefined;
}

/**
 * A developer logged in with `claude` (no key in the environment) keeps the login in
 * `~/.claude/.credentials.json` on Linux. The sandbox hides that home directory, so the engine reads
 * the login's access token itself and lets the proxy use it; the agent never sees it. An expired
 * login is not refreshed here (Claude Code refreshes it on its next interactive start).
 */
export async function loginCredential(
  home: string | undefined,
  now = Date.now(),
): Promise<ModelCredential | undefined> {
  if (!home) return undefined;
  let text: string;
  try {
    text = await readFile(join(home, ".claude", ".credentials.json"), "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
  let login: { claudeAiOauth?: { accessToken?: unknown; expiresAt?: unknown } };
  try {
    login = JSON.parse(text) as typeof login;
  } catch {
    return undefined;
  }
  const token = login.claudeAiOauth?.accessToken;
  const expires = login.claudeAiOauth?.expiresAt;
  if (typeof token !== "string" || token === "") return undefined;
  if (typeof expires === "number" && expires < now) return undefined;
  return { kind: "oauth", value: token };
}
