import { createRequire as __ctCreateRequire } from 'node:module';
import { fileURLToPath as __ctFileURLToPath } from 'node:url';
import { dirname as __ctDirname } from 'node:path';
const require = __ctCreateRequire(import.meta.url);
const __ctFilename = __ctFileURLToPath(import.meta.url);
const __ctDirnameOf = __ctDirname(__ctFilename);
import {
  runAction,
  runAndReport
} from "./chunk-WOCTSPAO.js";
import "./chunk-RMXW3TVL.js";
import "./chunk-OS57KNF3.js";
import "./chunk-BMRBW7XE.js";
import "./chunk-VI3BH37G.js";
import "./chunk-OD55LRLJ.js";
import "./chunk-ZDRBOJDN.js";
import "./chunk-AWK5ATVK.js";
import "./chunk-DPSXRMMA.js";
import "./chunk-AN4M62PA.js";
import "./chunk-MTYGN2KO.js";
export {
  runAction,
  runAndReport
};
