import { createRequire as __ctCreateRequire } from 'node:module';
import { fileURLToPath as __ctFileURLToPath } from 'node:url';
import { dirname as __ctDirname } from 'node:path';
const require = __ctCreateRequire(import.meta.url);
const __ctFilename = __ctFileURLToPath(import.meta.url);
const __ctDirnameOf = __ctDirname(__ctFilename);
import {
  parseConfigFiles,
  require_dist,
  statRepoFile
} from "./chunk-DUTI55RA.js";
import {
  __toESM
} from "./chunk-MTYGN2KO.js";

// src/engine/event/adhoc-task.ts
var import_yaml = __toESM(require_dist(), 1);
import { readFile } from "node:fs/promises";
import { join, posix } from "node:path";
var ADHOC_PREFIX = "adhoc-";
function adhocTaskName(commentId) {
  return `${ADHOC_PREFIX}${commentId}`;
}
function adhocTask(o) {
  const name = adhocTaskName(o.commentId);
  const firstLine = o.prompt.split("\n", 1)[0].trim();
  const title = firstLine.length > 60 ? `${firstLine.slice(0, 59)}\u2026` : firstLine;
  const requested = `Requested by @${o.requestedBy} in #${o.issueNumber}.`;
  const file = {
    name,
    description: `Ad-hoc task requested by @${o.requestedBy} in #${o.issueNumber}`,
    prompt: o.prompt,
    pr: {
      title: `claude-tasks: ${title || name}`,
      body: o.closesIssue ? `Closes #${o.issueNumber}

${requested}` : requested
    }
  };
  const files = [{ path: posix.join(o.configDir, `${name}.yml`), text: (0, import_yaml.stringify)(file) }];
  if (o.defaults) files.push(o.defaults);
  const loaded = parseConfigFiles(files, { configDir: o.configDir, env: o.env ?? {} });
  const task = loaded.tasks.find((t) => t.name === name);
  return { ...task ? { task } : {}, problems: loaded.problems.filter((p) => p.severity === "error") };
}
async function readDefaultsFile(repoRoot, configDir) {
  for (const base of ["_defaults.yml", "_defaults.yaml"]) {
    const path = posix.join(configDir, base);
    if (statRepoFile(repoRoot, path) === "outside") continue;
    try {
      return { path, text: await readFile(join(repoRoot, path), "utf8") };
    } catch {
    }
  }
  return void 0;
}

export {
  adhocTask,
  readDefaultsFile
};
