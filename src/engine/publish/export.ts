/**
 * The run side of the privilege split: after a run that pushed nothing (`mode: run-only`), each task's
 * result goes into a directory of its own — `result.json`, and `change.bundle` (the task's commit
 * against its parent) when the task made a change the publish job may take. The Action uploads each
 * directory as one artifact.
 */
import { mkdir, rm } from "node:fs/promises";
import { join } from "node:path";
import writeFileAtomic from "write-file-atomic";
import { assertSafeName, type Git } from "../git/index.ts";
import { holdsCredential } from "../report/markdown.ts";
import type { RunReport, TaskResult } from "../run/types.ts";
import { BUNDLE_FILE, EXPORT_REF, RESULT_FILE } from "./format.ts";

export interface ExportedTask {
  task: string;
  /** The task's directory (one artifact). */
  dir: string;
  files: string[];
  bundled: boolean;
}

/** Statuses whose commit the publish job may take (it checks them again; the rest is display only). */
const PUBLISHABLE = new Set(["success", "conflict"]);

export async function exportResults(opts: {
  git: Git;
  report: RunReport;
  dir: string;
}): Promise<ExportedTask[]> {
  const out: ExportedTask[] = [];
  for (const r of opts.report.results) {
    const dir = join(opts.dir, assertSafeName("task", r.task));
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
    const files: string[] = [];
    const bundled = PUBLISHABLE.has(r.status) && r.commit !== undefined && r.files.length > 0;
    if (bundled) files.push(await writeBundle(opts.git, r.commit!, join(dir, BUNDLE_FILE)));
    const result = join(dir, RESULT_FILE);
    await writeFileAtomic(result, `${JSON.stringify({ version: 1, ...handedOver(r, bundled) }, null, 2)}\n`);
    files.push(result);
    out.push({ task: r.task, dir, files, bundled });
  }
  return out;
}

/**
 * The result as the run job saw it, with a message that says what happens next. A result whose change
 * held what looks like a credential goes without the agent's text (an artifact is readable by anyone
 * who can read the repository); its violations still say where.
 */
function handedOver(r: TaskResult, bundled: boolean): TaskResult {
  if (holdsCredential(r) && r.agent) {
    const { error: _error, ...agent } = r.agent;
    return { ...r, agent: { ...agent, summary: "" } };
  }
  if (!bundled) return r;
  const what = r.status === "conflict" ? "conflicts with the latest base; " : "";
  return {
    ...r,
    message: `${what}${r.files.length} file(s) changed; the publish job checks the change again and opens the pull request`,
  };
}

/** `git bundle` of `commit` against its parent (the bundle's one prerequisite). */
async function writeBundle(git: Git, commit: string, file: string): Promise<string> {
  await git.run(["update-ref", EXPORT_REF, commit]);
  try {
    await git.run(["bundle", "create", "--quiet", file, EXPORT_REF, `^${commit}^`]);
  } finally {
    await git.run(["update-ref", "-d", EXPORT_REF], { allowFailure: true });
  }
  return file;
}
