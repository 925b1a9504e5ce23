import { createRequire as __ctCreateRequire } from 'node:module';
import { fileURLToPath as __ctFileURLToPath } from 'node:url';
import { dirname as __ctDirname } from 'node:path';
const require = __ctCreateRequire(import.meta.url);
const __ctFilename = __ctFileURLToPath(import.meta.url);
const __ctDirnameOf = __ctDirname(__ctFilename);
import {
  prune,
  rewriteLog,
  runningRuns
} from "./chunk-CYZZYI4E.js";
import "./chunk-3WDSJHQ4.js";
import "./chunk-3XKY4LSG.js";
import "./chunk-COJEKVF7.js";
import "./chunk-TXGTW3QA.js";
import "./chunk-MTYGN2KO.js";
export {
  prune,
  rewriteLog,
  runningRuns
};
