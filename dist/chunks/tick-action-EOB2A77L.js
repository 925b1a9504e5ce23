import { createRequire as __ctCreateRequire } from 'node:module';
import { fileURLToPath as __ctFileURLToPath } from 'node:url';
import { dirname as __ctDirname } from 'node:path';
const require = __ctCreateRequire(import.meta.url);
const __ctFilename = __ctFileURLToPath(import.meta.url);
const __ctDirnameOf = __ctDirname(__ctFilename);
import {
  tick
} from "./chunk-2XB3KPM4.js";
import "./chunk-I2XT4IXD.js";
import "./chunk-G57XZF37.js";
import {
  runAndReport
} from "./chunk-5DDYKYRS.js";
import {
  globals,
  paint,
  print,
  printErr,
  printJson,
  validProject
} from "./chunk-7NLGVGZU.js";
import "./chunk-YMVMTDGA.js";
import {
  githubPublisherFromEnv
} from "./chunk-6SLKI3UE.js";
import "./chunk-WAEONMBT.js";
import "./chunk-OD55LRLJ.js";
import "./chunk-AWNG4QJT.js";
import {
  requireRepoRoot
} from "./chunk-DUTI55RA.js";
import {
  TaskFailedError,
  UserError,
  createGit,
  stateDir
} from "./chunk-FNPOHAIZ.js";
import "./chunk-AN4M62PA.js";
import "./chunk-4B2DEY7O.js";
import "./chunk-MTYGN2KO.js";

// src/cli/commands/tick-action.ts
async function tickAction(flags, cmd) {
  if (flags.dryRun && flags.pr)
    throw new UserError("--dry-run and --pr exclude each other (a dry run never pushes)");
  await requireRepoRoot(globals(cmd).cwd ?? process.cwd());
  const project = await validProject(cmd);
  if (flags.pr) await githubPublisherFromEnv(project.repoRoot);
  const git = createGit({ cwd: project.repoRoot });
  const now = flags.now ?? /* @__PURE__ */ new Date();
  const mode = flags.dryRun ? "dry-run" : flags.pr ? "pr" : "local";
  const say = (line) => {
    if (!flags.json && !flags.quiet) printErr(line);
  };
  const result = await tick({
    git,
    stateDir: await stateDir(git),
    tasks: project.tasks,
    now,
    mode,
    run: async (req) => {
      for (const t of req.tasks) say(`${paint("bold", t.name)}: due`);
      return runAndReport(project, req.tasks, flags, {
        silent: Boolean(flags.json),
        runId: req.runId,
        trigger: req.trigger,
        plan: req.plan
      });
    }
  });
  if (result.status === "busy") {
    const h = result.holder;
    const line = h ? `another tick is running (pid ${h.pid} on ${h.host}, since ${h.startedAt}); nothing to do` : "another tick is starting; nothing to do";
    if (flags.json) printJson({ status: "busy", holder: h ?? null });
    else print(line);
    return;
  }
  for (const note of result.notes) say(note);
  if (flags.json) {
    printJson({
      status: result.status,
      now: now.toISOString(),
      state: result.state,
      due: result.due.map((d) => ({
        name: d.name,
        fireTimes: d.fireTimes.map((t) => t.toISOString()),
        missedCount: d.missedCount,
        reason: d.reason
      })),
      plan: result.plan,
      report: result.report ?? null
    });
    if (result.report && !result.report.ok) throw new TaskFailedError("a task failed");
    return;
  }
  if (result.status === "nothing-due") print(`nothing due at ${now.toISOString()}`);
}
export {
  tickAction
};
