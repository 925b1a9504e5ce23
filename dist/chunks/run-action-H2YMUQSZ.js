import { createRequire as __ctCreateRequire } from 'node:module';
import { fileURLToPath as __ctFileURLToPath } from 'node:url';
import { dirname as __ctDirname } from 'node:path';
const require = __ctCreateRequire(import.meta.url);
const __ctFilename = __ctFileURLToPath(import.meta.url);
const __ctDirnameOf = __ctDirname(__ctFilename);
import {
  runAction,
  runAndReport
} from "./chunk-VP7GJ6GB.js";
import "./chunk-GG45MUP6.js";
import "./chunk-YA45Z6UB.js";
import "./chunk-A3INW7HA.js";
import "./chunk-HXNRY5MK.js";
import "./chunk-OD55LRLJ.js";
import "./chunk-232EIT76.js";
import "./chunk-MTYGN2KO.js";
export {
  runAction,
  runAndReport
};
