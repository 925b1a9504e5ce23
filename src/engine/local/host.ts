/** The real machine for service.ts: the platform, HOME, and the service manager's commands. */
import { access, constants } from "node:fs/promises";
import { homedir } from "node:os";
import { delimiter, isAbsolute, join } from "node:path";
import { execa } from "execa";
import type { ServiceHost } from "./service.ts";

export function systemHost(env: NodeJS.ProcessEnv = process.env): ServiceHost {
  return {
    platform: process.platform,
    home: env.HOME || homedir(),
    uid: process.getuid?.() ?? 0,
    async exec(command, args, opts = {}) {
      const r = await execa(command, [...args], {
        reject: false,
        env,
        extendEnv: false,
        stripFinalNewline: false,
        stdin: opts.input === undefined ? "ignore" : "pipe",
        ...(opts.input !== undefined ? { input: opts.input } : {}),
        timeout: 30_000,
      });
      return { code: r.exitCode ?? 1, stdout: String(r.stdout), stderr: String(r.stderr) };
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
