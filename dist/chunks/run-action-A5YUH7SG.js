import { createRequire as __ctCreateRequire } from 'node:module';
import { fileURLToPath as __ctFileURLToPath } from 'node:url';
import { dirname as __ctDirname } from 'node:path';
const require = __ctCreateRequire(import.meta.url);
const __ctFilename = __ctFileURLToPath(import.meta.url);
const __ctDirnameOf = __ctDirname(__ctFilename);
import {
  runAction,
  runAndReport
} from "./chunk-76O5G6Q7.js";
import "./chunk-RMXW3TVL.js";
import "./chunk-JSFEHMPP.js";
import "./chunk-CWY5T5QE.js";
import "./chunk-CSJOSOH4.js";
import "./chunk-OD55LRLJ.js";
import "./chunk-7AROXD7P.js";
import "./chunk-AWK5ATVK.js";
import "./chunk-DPSXRMMA.js";
import "./chunk-AN4M62PA.js";
import "./chunk-MTYGN2KO.js";
export {
  runAction,
  runAndReport
};
