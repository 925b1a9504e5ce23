import { createRequire as __ctCreateRequire } from 'node:module';
import { fileURLToPath as __ctFileURLToPath } from 'node:url';
import { dirname as __ctDirname } from 'node:path';
const require = __ctCreateRequire(import.meta.url);
const __ctFilename = __ctFileURLToPath(import.meta.url);
const __ctDirnameOf = __ctDirname(__ctFilename);
import {
  runAction,
  runAndReport
} from "./chunk-D3IUMTWK.js";
import "./chunk-FCVQLLTR.js";
import "./chunk-KGYDHYHW.js";
import "./chunk-VSKXX4YK.js";
import "./chunk-VDWJNLHU.js";
import "./chunk-OD55LRLJ.js";
import "./chunk-YK7TAU4L.js";
import "./chunk-67MGOLRN.js";
import "./chunk-Y7TVEGQG.js";
import "./chunk-AN4M62PA.js";
import "./chunk-4B2DEY7O.js";
import "./chunk-MTYGN2KO.js";
export {
  runAction,
  runAndReport
};
