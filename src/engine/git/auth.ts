/**
 * Git authentication for fetch and push on a runner, without writing the token anywhere: an
 * `http.<server>/.extraheader` passed through `GIT_CONFIG_*` variables, only to the engine's own git
 * calls (never to agents). Skipped when the checkout already configured a header (actions/checkout with
 * `persist-credentials: true`), because two Authorization headers make GitHub refuse the request.
 */
import type { Git } from "./exec.ts";

export function gitAuthEnv(token: string, serverUrl: string): Record<string, string> {
  const basic = Buffer.from(`x-access-token:${token}`, "utf8").toString("base64");
  const origin = new URL(serverUrl).origin;
  return {
    GIT_CONFIG_COUNT: "1",
    GIT_CONFIG_KEY_0: `http.${origin}/.extraheader`,
    GIT_CONFIG_VALUE_0: `AUTHORIZATION: basic ${basic}`,
  };
}

/** The base64 credential inside the header (to mask it in logs). */
export function gitAuthSecret(token: string): string {
  return Buffer.from(`x-access-token:${token}`, "utf8").toString("base64");
}

/** Whether the repository's git config already sends an Authorization header. */
export async function hasExtraHeader(git: Git): Promise<boolean> {
  const r = await git.run(["config", "--get-regexp", "^http\\..*\\.extraheader$"], { allowFailure: true });
  return r.exitCode === 0 && r.stdout.trim() !== "";
}
