import { createRequire as __ctCreateRequire } from 'node:module';
import { fileURLToPath as __ctFileURLToPath } from 'node:url';
import { dirname as __ctDirname } from 'node:path';
const require = __ctCreateRequire(import.meta.url);
const __ctFilename = __ctFileURLToPath(import.meta.url);
const __ctDirnameOf = __ctDirname(__ctFilename);
import {
  runAction,
  runAndReport
} from "./chunk-IEJZQVMH.js";
import "./chunk-5HERE7N4.js";
import "./chunk-6ERBM2XS.js";
import "./chunk-GSLI3NWU.js";
import "./chunk-2HSR6FVV.js";
import "./chunk-OD55LRLJ.js";
import "./chunk-ZEI74E7I.js";
import "./chunk-MTYGN2KO.js";
export {
  runAction,
  runAndReport
};
