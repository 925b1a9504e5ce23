import { createRequire as __ctCreateRequire } from 'node:module';
import { fileURLToPath as __ctFileURLToPath } from 'node:url';
import { dirname as __ctDirname } from 'node:path';
const require = __ctCreateRequire(import.meta.url);
const __ctFilename = __ctFileURLToPath(import.meta.url);
const __ctDirnameOf = __ctDirname(__ctFilename);
import {
  runAction,
  runAndReport
} from "./chunk-CMC2GATE.js";
import "./chunk-RZEARLI6.js";
import "./chunk-HVHNUMGQ.js";
import "./chunk-KGD3TXMD.js";
import "./chunk-BQHYVV55.js";
import "./chunk-OD55LRLJ.js";
import "./chunk-WZQIA642.js";
import "./chunk-EY7Q7J7M.js";
import "./chunk-EONLRXCU.js";
import "./chunk-AN4M62PA.js";
import "./chunk-MTYGN2KO.js";
export {
  runAction,
  runAndReport
};
