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
