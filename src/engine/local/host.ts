/** The real machine for service.ts: the platform, HOME, and the service manager's commands. */
import { access, constants } from "node:fs/promises";
import { homedir } from "node:os";
import { delimiter, isAbsolute, join } from "node:path";
import { runCommand } from "../process/run.ts";
import type { ServiceHost } from "./service.ts";

export function systemHost(env: NodeJS.ProcessEnv = process.env): ServiceHost {
  return {
    platform: process.platform,
    home: env.HOME || homedir(),
    uid: process.getuid?.() ?? 0,
    async exec(command, args, opts = {}) {
      const defined = Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined);
      const r = await runCommand(command, args, {
        env: Object.fromEntries(defined),
        ...(opts.input !== undefined ? { input: opts.input } : {}),
        timeoutMs: 30_000,
      });
      return { code: r.exitCode, stdout: r.stdout.toString(), stderr: r.stderr.toString() };
    },
    async has(command) {
      return (await which(command, env.PATH)) !== undefined;
    },
  };
}

/** The absolute path of `command` on `path` (or itself when absolute and executable). */
export async function which(command: string, path = process.env.PATH ?? ""): Promise<string | undefined> {
  const candidates = isAbsolute(command)
    ? [command]
    : path
        .split(delimiter)
        .filter((d) => isAbsolute(d))
        .map((d) => join(d, command));
  for (const c of candidates) {
    try {
      await access(c, constants.X_OK);
      return c;
    } catch {
      // next
    }
  }
  return undefined;
}
