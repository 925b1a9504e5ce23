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
} from "./chunk-DLRTTFHO.js";
import "./chunk-BZLFSJVS.js";
import "./chunk-GROH77AD.js";
import "./chunk-2ID52NAO.js";
import "./chunk-Y7TVEGQG.js";
import "./chunk-MTYGN2KO.js";
export {
  prune,
  rewriteLog,
  runningRuns
};
