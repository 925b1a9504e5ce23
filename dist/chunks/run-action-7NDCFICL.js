import { createRequire as __ctCreateRequire } from 'node:module';
import { fileURLToPath as __ctFileURLToPath } from 'node:url';
import { dirname as __ctDirname } from 'node:path';
const require = __ctCreateRequire(import.meta.url);
const __ctFilename = __ctFileURLToPath(import.meta.url);
const __ctDirnameOf = __ctDirname(__ctFilename);
import {
  runAction,
  runAndReport
} from "./chunk-QZADPQXY.js";
import "./chunk-FCVQLLTR.js";
import "./chunk-5MHTCQ24.js";
import "./chunk-2GQY6OWV.js";
import "./chunk-TUTQSS56.js";
import "./chunk-OD55LRLJ.js";
import "./chunk-N4CROLYC.js";
import "./chunk-67MGOLRN.js";
import "./chunk-Y7TVEGQG.js";
import "./chunk-AN4M62PA.js";
import "./chunk-4B2DEY7O.js";
import "./chunk-MTYGN2KO.js";
export {
  runAction,
  runAndReport
};
