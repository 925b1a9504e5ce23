import { createRequire as __ctCreateRequire } from 'node:module';
import { fileURLToPath as __ctFileURLToPath } from 'node:url';
import { dirname as __ctDirname } from 'node:path';
const require = __ctCreateRequire(import.meta.url);
const __ctFilename = __ctFileURLToPath(import.meta.url);
const __ctDirnameOf = __ctDirname(__ctFilename);
import {
  runAction,
  runAndReport
} from "./chunk-SVVNJDG2.js";
import "./chunk-XSQEO642.js";
import "./chunk-VZUQD4CY.js";
import "./chunk-W7U3HN32.js";
import "./chunk-MJIKKAQZ.js";
import "./chunk-OD55LRLJ.js";
import "./chunk-R2RWOWWI.js";
import "./chunk-MTYGN2KO.js";
export {
  runAction,
  runAndReport
};
