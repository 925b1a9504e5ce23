import { createRequire as __ctCreateRequire } from 'node:module';
import { fileURLToPath as __ctFileURLToPath } from 'node:url';
import { dirname as __ctDirname } from 'node:path';
const require = __ctCreateRequire(import.meta.url);
const __ctFilename = __ctFileURLToPath(import.meta.url);
const __ctDirnameOf = __ctDirname(__ctFilename);
import {
  runAction,
  runAndReport
} from "./chunk-ZVHCTDWG.js";
import "./chunk-RMXW3TVL.js";
import "./chunk-Q2BLGX34.js";
import "./chunk-NXFXSSM3.js";
import "./chunk-UAU5D7QP.js";
import "./chunk-OD55LRLJ.js";
import "./chunk-V2EPYO6J.js";
import "./chunk-AWK5ATVK.js";
import "./chunk-DPSXRMMA.js";
import "./chunk-AN4M62PA.js";
import "./chunk-MTYGN2KO.js";
export {
  runAction,
  runAndReport
};
