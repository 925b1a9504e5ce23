import { createRequire as __ctCreateRequire } from 'node:module';
import { fileURLToPath as __ctFileURLToPath } from 'node:url';
import { dirname as __ctDirname } from 'node:path';
const require = __ctCreateRequire(import.meta.url);
const __ctFilename = __ctFileURLToPath(import.meta.url);
const __ctDirnameOf = __ctDirname(__ctFilename);
import {
  runAction,
  runAndReport
} from "./chunk-PYZEDNVL.js";
import "./chunk-5HERE7N4.js";
import "./chunk-VBBQZM43.js";
import "./chunk-IPMKUSYC.js";
import "./chunk-2HSR6FVV.js";
import "./chunk-OD55LRLJ.js";
import "./chunk-ZEI74E7I.js";
import "./chunk-L5AOPHZ4.js";
import "./chunk-MTYGN2KO.js";
export {
  runAction,
  runAndReport
};
