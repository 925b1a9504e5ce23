/**
 * Makes bubblewrap usable on a GitHub-hosted runner before the first agent starts. Ubuntu 24.04
 * images restrict unprivileged user namespaces through AppArmor
 * (`kernel.apparmor_restrict_unprivileged_userns=1`): bwrap then fails with "setting up uid map:
 * Permission denied". The fix Ubuntu documents is an AppArmor profile that grants `userns` to the
 * one program that needs it; that is what is installed here (with the runner's passwordless sudo),
 * rather than switching the restriction off for the whole machine. Where bwrap is missing it is
 * installed from the distribution's packages. Anything that cannot be fixed is one clear error.
 */
import { existsSync, readFileSync, realpathSync } from "node:fs";
import { UserError } from "../engine/errors.ts";
import type { Logger } from "../engine/logger.ts";
import { findOnPath } from "../engine/process/path.ts";
import { runCommand } from "../engine/process/run.ts";
import { type BwrapAvailability, probeBwrap, resetBwrapProbe } from "../engine/sandbox/index.ts";

export const APPARMOR_PROFILE_PATH = "/etc/apparmor.d/claude-tasks-bwrap";
const USERNS_SYSCTL = "/proc/sys/kernel/apparmor_restrict_unprivileged_userns";

/** The AppArmor profile that lets `bwrapPath` (and nothing else) create user namespaces. */
export function apparmorProfile(bwrapPath: string): string {
  return [
    "abi <abi/4.0>,",
    "include <tunables/global>",
    "",
    `profile claude-tasks-bwrap ${bwrapPath} flags=(unconfined) {`,
    "  userns,",
    "  include if exists <local/claude-tasks-bwrap>",
    "}",
    "",
  ].join("\n");
}

/** Runs a privileged command (`sudo -n …`); returns whether it succeeded. Injected in tests. */
export type Privileged = (args: string[], input?: string) => Promise<boolean>;

const sudo: Privileged = async (args, input) => {
  const asRoot = process.getuid?.() === 0;
  const r = await runCommand(asRoot ? args[0]! : "sudo", asRoot ? args.slice(1) : ["-n", ...args], {
    timeoutMs: 180_000,
    ...(input !== undefined ? { input } : {}),
    env: { DEBIAN_FRONTEND: "noninteractive", PATH: process.env.PATH ?? "" },
  });
  return r.exitCode === 0 && !r.startError;
};

export interface SandboxSetupOptions {
  logger: Logger;
  env: Record<string, string | undefined>;
  privileged?: Privileged;
  probe?: () => Promise<BwrapAvailability>;
  /** Whether this host restricts unprivileged user namespaces through AppArmor. */
  usernsRestricted?: () => boolean;
}

/** Returns once bwrap works here; throws a UserError saying what is missing otherwise. */
export async function ensureSandbox(opts: SandboxSetupOptions): Promise<void> {
  const run = opts.privileged ?? sudo;
  const probe =
    opts.probe ??
    (() => {
      resetBwrapProbe();
      return probeBwrap(opts.env);
    });
  const restricted =
    opts.usernsRestricted ??
    (() => existsSync(USERNS_SYSCTL) && readFileSync(USERNS_SYSCTL, "utf8").trim() === "1");

  // the first answer may be the one `Wiring.warmUp` started while the configuration loaded (memoized)
  let state = await (opts.probe ? opts.probe() : probeBwrap(opts.env));
  if (state.ok) return;
  if (/not installed/.test(state.reason)) {
    opts.logger.info("installing bubblewrap (the sandbox for agents) from the distribution's packages");
    const installed =
      (await run(["apt-get", "install", "-y", "-q", "bubblewrap"])) ||
      ((await run(["apt-get", "update", "-q"])) &&
        (await run(["apt-get", "install", "-y", "-q", "bubblewrap"])));
    state = await probe();
    if (state.ok) return;
    if (!installed) {
      throw new UserError(
        "agents run in a bubblewrap sandbox, and bwrap is not installed and could not be installed here (no passwordless sudo or apt-get): install the `bubblewrap` package in an earlier step, or set `isolation: none` to run agents without a sandbox",
      );
    }
  }
  if (!state.ok && restricted()) {
    opts.logger.info("allowing bubblewrap to create user namespaces (AppArmor profile claude-tasks-bwrap)");
    const found = findOnPath("bwrap") ?? "/usr/bin/bwrap";
    const bwrapPath = existsSync(found) ? realpathSync(found) : found; // AppArmor attaches by real path
    const ok =
      (await run(["tee", APPARMOR_PROFILE_PATH], apparmorProfile(bwrapPath))) &&
      (await run(["apparmor_parser", "-r", APPARMOR_PROFILE_PATH]));
    state = await probe();
    if (state.ok) return;
    if (!ok) {
      throw new UserError(
        `this runner restricts user namespaces (AppArmor) and the profile for bwrap could not be installed (no passwordless sudo): ${state.ok ? "" : state.reason}; allow it in an earlier step (\`sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0\`), or set \`isolation: none\``,
      );
    }
  }
  if (!state.ok) {
    throw new UserError(
      `${state.reason}; fix it in an earlier step, or set \`isolation: none\` to run agents without a sandbox`,
    );
  }
}
