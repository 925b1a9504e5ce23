import { createRequire as __ctCreateRequire } from 'node:module';
import { fileURLToPath as __ctFileURLToPath } from 'node:url';
import { dirname as __ctDirname } from 'node:path';
const require = __ctCreateRequire(import.meta.url);
const __ctFilename = __ctFileURLToPath(import.meta.url);
const __ctDirnameOf = __ctDirname(__ctFilename);
import {
  runAction,
  runAndReport
} from "./chunk-KDD3O6FM.js";
import "./chunk-Y4T22TNW.js";
import "./chunk-LJ53CXYK.js";
import "./chunk-UNUZHMU7.js";
import "./chunk-5CACGCWK.js";
import "./chunk-OD55LRLJ.js";
import "./chunk-TKUDVSOP.js";
import "./chunk-FRZLT2M4.js";
import "./chunk-2SOUG7XU.js";
import "./chunk-AN4M62PA.js";
import "./chunk-MTYGN2KO.js";
export {
  runAction,
  runAndReport
};
