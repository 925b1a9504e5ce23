import { createRequire as __ctCreateRequire } from 'node:module';
import { fileURLToPath as __ctFileURLToPath } from 'node:url';
import { dirname as __ctDirname } from 'node:path';
const require = __ctCreateRequire(import.meta.url);
const __ctFilename = __ctFileURLToPath(import.meta.url);
const __ctDirnameOf = __ctDirname(__ctFilename);
import {
  runAction,
  runAndReport
} from "./chunk-43WCUIK6.js";
import "./chunk-6BVCMLXC.js";
import "./chunk-VEVPEDSH.js";
import "./chunk-3YDJJOEX.js";
import "./chunk-T37QX7AC.js";
import "./chunk-OD55LRLJ.js";
import "./chunk-HHJTCABA.js";
import "./chunk-57O6C6NT.js";
import "./chunk-AEYLKNC7.js";
import "./chunk-AN4M62PA.js";
import "./chunk-MTYGN2KO.js";
export {
  runAction,
  runAndReport
};
