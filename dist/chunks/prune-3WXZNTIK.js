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
} from "./chunk-43CXBG3I.js";
import "./chunk-PSHTJFRU.js";
import "./chunk-RLHNHFDM.js";
import "./chunk-BAVBC7OK.js";
import "./chunk-FNPOHAIZ.js";
import "./chunk-MTYGN2KO.js";
export {
  prune,
  rewriteLog,
  runningRuns
};
