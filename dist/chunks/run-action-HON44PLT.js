import { createRequire as __ctCreateRequire } from 'node:module';
import { fileURLToPath as __ctFileURLToPath } from 'node:url';
import { dirname as __ctDirname } from 'node:path';
const require = __ctCreateRequire(import.meta.url);
const __ctFilename = __ctFileURLToPath(import.meta.url);
const __ctDirnameOf = __ctDirname(__ctFilename);
import {
  runAction,
  runAndReport
} from "./chunk-P72Y4HYX.js";
import "./chunk-TG67UYPB.js";
import "./chunk-PRCM2JPO.js";
import "./chunk-JYOYTI3H.js";
import "./chunk-URRYTUCH.js";
import "./chunk-OD55LRLJ.js";
import "./chunk-PAA62XXO.js";
import "./chunk-RALMKBFG.js";
import "./chunk-4LJRID4L.js";
import "./chunk-AN4M62PA.js";
import "./chunk-4B2DEY7O.js";
import "./chunk-MTYGN2KO.js";
export {
  runAction,
  runAndReport
};
