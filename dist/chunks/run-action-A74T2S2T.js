import { createRequire as __ctCreateRequire } from 'node:module';
import { fileURLToPath as __ctFileURLToPath } from 'node:url';
import { dirname as __ctDirname } from 'node:path';
const require = __ctCreateRequire(import.meta.url);
const __ctFilename = __ctFileURLToPath(import.meta.url);
const __ctDirnameOf = __ctDirname(__ctFilename);
import {
  runAction,
  runAndReport
} from "./chunk-NYRHYTTZ.js";
import "./chunk-PODN4WBX.js";
import "./chunk-4635DR2Y.js";
import "./chunk-7E33J7NF.js";
import "./chunk-OZQLTRFF.js";
import "./chunk-OD55LRLJ.js";
import "./chunk-KOSR2UZS.js";
import "./chunk-DELG4YXZ.js";
import "./chunk-G45ZVVPH.js";
import "./chunk-AN4M62PA.js";
import "./chunk-MTYGN2KO.js";
export {
  runAction,
  runAndReport
};
