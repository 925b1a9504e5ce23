import { createRequire as __ctCreateRequire } from 'node:module';
import { fileURLToPath as __ctFileURLToPath } from 'node:url';
import { dirname as __ctDirname } from 'node:path';
const require = __ctCreateRequire(import.meta.url);
const __ctFilename = __ctFileURLToPath(import.meta.url);
const __ctDirnameOf = __ctDirname(__ctFilename);
import {
  runAction,
  runAndReport
} from "./chunk-VQG2QLU3.js";
import "./chunk-B6Z2Q4LE.js";
import "./chunk-6AMINIC4.js";
import "./chunk-M6R64HQH.js";
import "./chunk-7VPYQ25G.js";
import "./chunk-OD55LRLJ.js";
import "./chunk-KRDUKX4T.js";
import "./chunk-MTYGN2KO.js";
export {
  runAction,
  runAndReport
};
