/**
 * Sandboxes for a run: `createSandboxProvider` picks the mechanism once (bubblewrap on Linux) and
 * refuses to run when none can be had, unless the run opted out with `isolation: none`.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { UserError } from "../errors.ts";
import { findOnPath } from "../process/path.ts";
import { removeTree } from "../remove-tree.ts";
import { prepareAgentGitDir } from "./agent-git.ts";
import { bwrapArgs, hostMounts, probeBwrap } from "./bwrap.ts";
import type { Isolation, Launch, SandboxProvider, SandboxSession, SandboxTarget } from "./types.ts";

export {
  type BwrapAvailability,
  bwrapArgs,
  hostMounts,
  isInside,
  outermost,
  probeBwrap,
  resetBwrapProbe,
} from "./bwrap.ts";
export * from "./types.ts";

/** The sandbox cannot be had here, and the run did not opt out. Exit code 2: the setup must change. */
export class SandboxUnavailableError extends UserError {}

/** Session variables that lead to the user's desktop, agents and keyrings: never inside. */
const HOST_SESSION_VARS = [
  "XDG_RUNTIME_DIR",
  "DBUS_SESSION_BUS_ADDRESS",
  "SSH_AUTH_SOCK",
  "GPG_AGENT_INFO",
  "DISPLAY",
  "WAYLAND_DISPLAY",
  "XAUTHORITY",
];

export async function createSandboxProvider(opts: {
  isolation: Isolation;
  /** The engine's environment (where things are on this host). */
  env: Record<string, string | undefined>;
  platform?: NodeJS.Platform;
}): Promise<SandboxProvider> {
  if (opts.isolation === "none") return noneProvider;
  const platform = opts.platform ?? process.platform;
  if (platform !== "linux") {
    throw new SandboxUnavailableError(
      `no sandbox for agents on ${platform} yet (claude-tasks uses bubblewrap on Linux); set \`isolation: none\` (Action input) or pass \`--isolation none\` (CLI) to run agents without one`,
    );
  }
  const bwrap = await probeBwrap(opts.env);
  if (!bwrap.ok) {
    throw new SandboxUnavailableError(
      `agents cannot be sandboxed: ${bwrap.reason}; install bubblewrap, or set \`isolation: none\` (Action input) or pass \`--isolation none\` (CLI) to run agents without a sandbox`,
    );
  }
  const hostEnv = opts.env;
  return {
    isolation: "sandbox",
    async open(target: SandboxTarget): Promise<SandboxSession> {
      await mkdir(target.privateDir, { recursive: true });
      const agentGitDir = join(target.privateDir, "git");
      const homeDir = join(target.privateDir, "home");
      const objectsDir = join(target.commonDir, "objects");
      const uid = process.getuid?.() === 0 ? 1000 : undefined;
      return {
        kind: "bwrap",
        async wrap(launch: Launch): Promise<Launch> {
          await prepareAgentGitDir({
            dir: agentGitDir,
            adminDir: target.adminDir,
            objectsDir,
            refs: await target.refs(),
          });
          const env: Record<string, string> = { ...launch.env };
          for (const name of HOST_SESSION_VARS) delete env[name];
          const home = env.HOME && env.HOME !== "/" ? env.HOME : "/tmp/home";
          env.HOME = home;
          await freshHome(homeDir, launch.homeFiles);
          env.TMPDIR = "/tmp";
          if (env.CLAUDE_CODE_TMPDIR) env.CLAUDE_CODE_TMPDIR = "/tmp";
          const command = launch.command.startsWith("/")
            ? launch.command
            : (findOnPath(launch.command, env.PATH) ?? launch.command);
          const mounts = hostMounts({
            env: hostEnv,
            worktree: target.worktree,
            repoRoot: target.repoRoot,
            commonDir: target.commonDir,
            stateDir: target.privateDir,
            command,
            path: env.PATH,
          });
          const args = bwrapArgs({
            command,
            args: launch.args,
            cwd: launch.cwd,
            worktree: target.worktree,
            agentGitDir,
            adminDir: target.adminDir,
            objectsDir,
            home,
            homeDir,
            uid,
            ...mounts,
          });
          return { command: bwrap.path, args, cwd: launch.cwd, env };
        },
        async [Symbol.asyncDispose]() {
          await removeTree(target.privateDir);
        },
      };
    },
  };
}

/**
 * A new HOME for each launch (a retry does not find what the attempt before it left there), holding
 * only `files`. Their names are the engine's own, never a path.
 */
async function freshHome(dir: string, files: Readonly<Record<string, string>> = {}): Promise<void> {
  await removeTree(dir);
  await mkdir(dir, { mode: 0o700 });
  for (const [name, content] of Object.entries(files)) {
    if (!/^[^/\0]+$/.test(name) || name === "." || name === "..")
      throw new Error(`not a file name for the agent's HOME: ${JSON.stringify(name)}`);
    await writeFile(join(dir, name), content, { mode: 0o600, flag: "wx" });
  }
}

const noneProvider: SandboxProvider = {
  isolation: "none",
  async open(): Promise<SandboxSession> {
    return {
      kind: "none",
      wrap: async (launch) => launch,
      async [Symbol.asyncDispose]() {},
    };
  },
};
