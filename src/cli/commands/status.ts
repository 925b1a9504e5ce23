/**
 * The ledger part of `claude-tasks status` (the command itself is in logs.ts): spend per task against
 * its budgets, the run holding each task, and what was due and did not run, with why — read from the
 * schedule state ref, where every run (local or in Actions) records itself.
 */
import type { Command } from "commander";
import { type LedgerStatus, ledgerStatus, renderLedgerStatus } from "../../engine/budget/status.ts";
import { UserError } from "../../engine/errors.ts";
import { createGit } from "../../engine/git/index.ts";
import { loadProject } from "../../engine/project.ts";
import { readRemoteState, STATE_REF } from "../../engine/schedule/state.ts";
import { globals } from "../context.ts";
import { paint } from "../output.ts";

export const LEDGER_REMOTE_HELP = `read the ledger (${STATE_REF}) from this remote; default \`origin\` if it has one, else this repository's own (\`.\`: local runs)`;

export interface LedgerSection {
  json: LedgerStatus & { remote: string; problem?: string };
  text: string;
}

export async function ledgerSection(cmd: Command, wanted?: string): Promise<LedgerSection> {
  // the valid tasks: a broken task file does not hide the others' spend
  const g = globals(cmd);
  const project = await loadProject({ cwd: g.cwd, configDir: g.configDir });
  const git = createGit({ cwd: project.repoRoot });
  const remotes = (await git.run(["remote"])).stdout.split("\n").filter(Boolean);
  if (wanted !== undefined && wanted !== "." && !remotes.includes(wanted))
    throw new UserError(`--remote ${JSON.stringify(wanted)}: the repository has no such remote`);
  const remote = wanted ?? (await defaultLedgerRemote(git, remotes));
  const snap = await readRemoteState({ git, remote });
  const status = ledgerStatus(snap.state, project.tasks, new Date());
  const text = renderLedgerStatus(status, (style, t) => paint(style, t));
  return {
    json: { ...status, remote, ...(snap.problem ? { problem: snap.problem } : {}) },
    text: snap.problem ? `warning: ${snap.problem}\n${text}` : text,
  };
}

/** `origin` when it holds a state (runs in Actions and `run --pr`), else this repository's (local runs). */
async function defaultLedgerRemote(git: ReturnType<typeof createGit>, remotes: string[]): Promise<string> {
  if (!remotes.includes("origin")) return ".";
  const r = await git.run(["ls-remote", "--", "origin", STATE_REF], { allowFailure: true });
  return r.exitCode === 0 && r.stdout.trim() !== "" ? "origin" : ".";
}
