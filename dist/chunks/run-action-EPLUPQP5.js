import { createRequire as __ctCreateRequire } from 'node:module';
import { fileURLToPath as __ctFileURLToPath } from 'node:url';
import { dirname as __ctDirname } from 'node:path';
const require = __ctCreateRequire(import.meta.url);
const __ctFilename = __ctFileURLToPath(import.meta.url);
const __ctDirnameOf = __ctDirname(__ctFilename);
import {
  runAction,
  runAndReport
} from "./chunk-NHZX5YDU.js";
import "./chunk-XNJ2W5MM.js";
import "./chunk-GUIJ5EL4.js";
import "./chunk-37QU2BXI.js";
import "./chunk-JZQPOQFC.js";
import "./chunk-OD55LRLJ.js";
import "./chunk-OZKSDU6E.js";
import "./chunk-L5AOPHZ4.js";
import "./chunk-MTYGN2KO.js";
export {
  runAction,
  runAndReport
};
