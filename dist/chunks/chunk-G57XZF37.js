import { createRequire as __ctCreateRequire } from 'node:module';
import { fileURLToPath as __ctFileURLToPath } from 'node:url';
import { dirname as __ctDirname } from 'node:path';
const require = __ctCreateRequire(import.meta.url);
const __ctFilename = __ctFileURLToPath(import.meta.url);
const __ctDirnameOf = __ctDirname(__ctFilename);
import {
  compileGlob
} from "./chunk-DUTI55RA.js";

// src/engine/event/watch.ts
function matchWatch(globs, files) {
  if (globs.length === 0) return [];
  const tests = globs.map((g) => compileGlob(g));
  return files.filter((f) => tests.some((t) => t(f))).sort();
}
function watchedTasks(tasks, files, opts) {
  const out = [];
  for (const task of tasks) {
    if (!task.enabled || task.watch.length === 0) continue;
    if ((opts.base ?? task.base ?? opts.defaultBase) !== opts.branch) continue;
    const hit = matchWatch(task.watch, files);
    if (hit.length === 0) continue;
    const shown = hit.slice(0, 3).map((f) => `\`${f}\``).join(", ");
    const more = hit.length > 3 ? ` and ${hit.length - 3} more` : "";
    out.push({ name: task.name, files: hit, reason: `push to \`${opts.branch}\` changed ${shown}${more}` });
  }
  return out;
}

export {
  watchedTasks
};
