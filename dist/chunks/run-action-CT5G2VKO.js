import { createRequire as __ctCreateRequire } from 'node:module';
import { fileURLToPath as __ctFileURLToPath } from 'node:url';
import { dirname as __ctDirname } from 'node:path';
const require = __ctCreateRequire(import.meta.url);
const __ctFilename = __ctFileURLToPath(import.meta.url);
const __ctDirnameOf = __ctDirname(__ctFilename);
import {
  runAction,
  runAndReport
} from "./chunk-BAJUMUCD.js";
import "./chunk-H62FLG5N.js";
import "./chunk-HLWZGHHA.js";
import "./chunk-QBKER4LX.js";
import "./chunk-V5DAWY6J.js";
import "./chunk-OD55LRLJ.js";
import "./chunk-3OVSRLC3.js";
import "./chunk-2HPKXQ2T.js";
import "./chunk-Y7TVEGQG.js";
import "./chunk-AN4M62PA.js";
import "./chunk-4B2DEY7O.js";
import "./chunk-MTYGN2KO.js";
export {
  runAction,
  runAndReport
};
