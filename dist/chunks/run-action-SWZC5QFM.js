import { createRequire as __ctCreateRequire } from 'node:module';
import { fileURLToPath as __ctFileURLToPath } from 'node:url';
import { dirname as __ctDirname } from 'node:path';
const require = __ctCreateRequire(import.meta.url);
const __ctFilename = __ctFileURLToPath(import.meta.url);
const __ctDirnameOf = __ctDirname(__ctFilename);
import {
  runAction,
  runAndReport
} from "./chunk-ER5EP6MT.js";
import "./chunk-XOEEIWIU.js";
import "./chunk-QMTUUIL6.js";
import "./chunk-A26UE765.js";
import "./chunk-64W2GLSK.js";
import "./chunk-OD55LRLJ.js";
import "./chunk-GBIC232H.js";
import "./chunk-XC3TF3SJ.js";
import "./chunk-TXGTW3QA.js";
import "./chunk-AN4M62PA.js";
import "./chunk-4B2DEY7O.js";
import "./chunk-MTYGN2KO.js";
export {
  runAction,
  runAndReport
};
