/**
 * The ad-hoc task of a comment (`/claude-tasks <free text>`): a Claude task named `adhoc-<comment id>`
 * whose prompt is the (sanitised) text, built through the same loader as task files, so the
 * repository's `_defaults.yml` (agent settings, paths, limits, PR settings) applies to it too.
 */
import { readFile } from "node:fs/promises";
import { join, posix } from "node:path";
import { stringify } from "yaml";
import { type ConfigFile, parseConfigFiles, statRepoFile, type Task } from "../config/index.ts";
import type { Problem } from "../errors.ts";

export const ADHOC_PREFIX = "adhoc-";

export interface AdhocTaskOptions {
  commentId: number;
  prompt: string;
  /** The issue or pull request the comment is on. */
  issueNumber: number;
  /** On an issue the pull request closes it (`Closes #N`); on a pull request it does not. */
  closesIssue: boolean;
  requestedBy: string;
  /** Repository-relative task directory. */
  configDir: string;
  /** The directory's `_defaults.yml` (or `.yaml`), if any. */
  defaults?: ConfigFile;
  /** For `{{ env.NAME }}` in `agent.env` of the defaults. */
  env?: Record<string, string | undefined>;
}

export function adhocTaskName(commentId: number): string {
  return `${ADHOC_PREFIX}${commentId}`;
}

export function adhocTask(o: AdhocTaskOptions): { task?: Task; problems: Problem[] } {
  const name = adhocTaskName(o.commentId);
  const firstLine = o.prompt.split("\n", 1)[0]!.trim();
  const title = firstLine.length > 60 ? `${firstLine.slice(0, 59)}…` : firstLine;
  const requested = `Requested by @${o.requestedBy} in #${o.issueNumber}.`;
  const file = {
    name,
    description: `Ad-hoc task requested by @${o.requestedBy} in #${o.issueNumber}`,
    prompt: o.prompt,
    pr: {
      title: `claude-tasks: ${title || name}`,
      body: o.closesIssue ? `Closes #${o.issueNumber}\n\n${requested}` : requested,
    },
  };
  const files: ConfigFile[] = [{ path: posix.join(o.configDir, `${name}.yml`), text: stringify(file) }];
  if (o.defaults) files.push(o.defaults);
  const loaded = parseConfigFiles(files, { configDir: o.configDir, env: o.env ?? {} });
  const task = loaded.tasks.find((t) => t.name === name);
  return { ...(task ? { task } : {}), problems: loaded.problems.filter((p) => p.severity === "error") };
}

/** Reads `_defaults.yml` / `_defaults.yaml` of the task directory, if present. */
export async function readDefaultsFile(repoRoot: string, configDir: string): Promise<ConfigFile | undefined> {
  for (const base of ["_defaults.yml", "_defaults.yaml"]) {
    const path = posix.join(configDir, base);
    if (statRepoFile(repoRoot, path) === "outside") continue; // never read a file outside the repository
    try {
      return { path, text: await readFile(join(repoRoot, path), "utf8") };
    } catch {
      // absent
    }
  }
  return undefined;
}
