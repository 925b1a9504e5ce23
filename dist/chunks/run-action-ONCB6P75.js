import { createRequire as __ctCreateRequire } from 'node:module';
import { fileURLToPath as __ctFileURLToPath } from 'node:url';
import { dirname as __ctDirname } from 'node:path';
const require = __ctCreateRequire(import.meta.url);
const __ctFilename = __ctFileURLToPath(import.meta.url);
const __ctDirnameOf = __ctDirname(__ctFilename);
import {
  runAction,
  runAndReport
} from "./chunk-HVFTAVT4.js";
import "./chunk-C6BXYZNY.js";
import "./chunk-SU2OUJ7Y.js";
import "./chunk-XFCYAIRD.js";
import "./chunk-74Q43XI2.js";
import "./chunk-T3LO7HO4.js";
import "./chunk-OD55LRLJ.js";
import "./chunk-O2BEQGHD.js";
import "./chunk-L5AOPHZ4.js";
import "./chunk-MTYGN2KO.js";
export {
  runAction,
  runAndReport
};
