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
} from "./chunk-LYTPKX4R.js";
import "./chunk-YBZIBOF4.js";
import "./chunk-BUT2S4O6.js";
import "./chunk-GRDG4ZJ2.js";
import "./chunk-AEYLKNC7.js";
import "./chunk-MTYGN2KO.js";
export {
  prune,
  rewriteLog,
  runningRuns
};
