import { createRequire as __ctCreateRequire } from 'node:module';
import { fileURLToPath as __ctFileURLToPath } from 'node:url';
import { dirname as __ctDirname } from 'node:path';
const require = __ctCreateRequire(import.meta.url);
const __ctFilename = __ctFileURLToPath(import.meta.url);
const __ctDirnameOf = __ctDirname(__ctFilename);
import {
  runAction,
  runAndReport
} from "./chunk-ZZQUCUVH.js";
import "./chunk-BRESP442.js";
import "./chunk-SAJXEMBZ.js";
import "./chunk-T6HLN5MK.js";
import "./chunk-GD6SMUK3.js";
import "./chunk-OD55LRLJ.js";
import "./chunk-7KVXOI6R.js";
import "./chunk-FK6ODPOQ.js";
import "./chunk-HM7E6EA7.js";
import "./chunk-AN4M62PA.js";
import "./chunk-MTYGN2KO.js";
export {
  runAction,
  runAndReport
};
