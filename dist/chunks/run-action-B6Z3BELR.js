import { createRequire as __ctCreateRequire } from 'node:module';
import { fileURLToPath as __ctFileURLToPath } from 'node:url';
import { dirname as __ctDirname } from 'node:path';
const require = __ctCreateRequire(import.meta.url);
const __ctFilename = __ctFileURLToPath(import.meta.url);
const __ctDirnameOf = __ctDirname(__ctFilename);
import {
  runAction,
  runAndReport
} from "./chunk-VFTO3HZQ.js";
import "./chunk-6QL3AXMY.js";
import "./chunk-M5NOA7GS.js";
import "./chunk-O4DAYQRZ.js";
import "./chunk-RK4CSIEC.js";
import "./chunk-OD55LRLJ.js";
import "./chunk-ZU2NNSEG.js";
import "./chunk-E7WCHZFE.js";
import "./chunk-P2FVMK7V.js";
import "./chunk-AN4M62PA.js";
import "./chunk-4B2DEY7O.js";
import "./chunk-MTYGN2KO.js";
export {
  runAction,
  runAndReport
};
