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
} from "./chunk-23PF3EJG.js";
import "./chunk-PVZ4GWFN.js";
import "./chunk-GJU55FYI.js";
import "./chunk-UGAM43DI.js";
import "./chunk-2SOUG7XU.js";
import "./chunk-MTYGN2KO.js";
export {
  prune,
  rewriteLog,
  runningRuns
};
