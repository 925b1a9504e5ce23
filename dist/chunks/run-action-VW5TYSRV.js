import { createRequire as __ctCreateRequire } from 'node:module';
import { fileURLToPath as __ctFileURLToPath } from 'node:url';
import { dirname as __ctDirname } from 'node:path';
const require = __ctCreateRequire(import.meta.url);
const __ctFilename = __ctFileURLToPath(import.meta.url);
const __ctDirnameOf = __ctDirname(__ctFilename);
import {
  runAction,
  runAndReport
} from "./chunk-L6KWEF2L.js";
import "./chunk-CREMRBJW.js";
import "./chunk-JROA4XBC.js";
import "./chunk-HLWXIW6F.js";
import "./chunk-LBTGMDJ6.js";
import "./chunk-PNZEP52L.js";
import "./chunk-OD55LRLJ.js";
import "./chunk-524I7AHD.js";
import "./chunk-L5AOPHZ4.js";
import "./chunk-MTYGN2KO.js";
export {
  runAction,
  runAndReport
};
