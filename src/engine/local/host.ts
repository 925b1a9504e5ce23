/** The real machine for service.ts: the platform, HOME, and the service manager's commands. */
import { homedir } from "node:os";
import { findOnPath } from "../process/path.ts";
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
      return findOnPath(command, env.PATH) !== undefined;
    },
  };
}
