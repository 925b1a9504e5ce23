import { createRequire as __ctCreateRequire } from 'node:module';
import { fileURLToPath as __ctFileURLToPath } from 'node:url';
import { dirname as __ctDirname } from 'node:path';
const require = __ctCreateRequire(import.meta.url);
const __ctFilename = __ctFileURLToPath(import.meta.url);
const __ctDirnameOf = __ctDirname(__ctFilename);
import {
  runAction,
  runAndReport
} from "./chunk-BQTURMIQ.js";
import "./chunk-RH3VPXRW.js";
import "./chunk-7YNZDSCE.js";
import "./chunk-ZKYNEWYB.js";
import "./chunk-MFCIMK4S.js";
import "./chunk-OD55LRLJ.js";
import "./chunk-WLZO6OQL.js";
import "./chunk-3XHNUT53.js";
import "./chunk-NPPHOXGI.js";
import "./chunk-AN4M62PA.js";
import "./chunk-MTYGN2KO.js";
export {
  runAction,
  runAndReport
};
