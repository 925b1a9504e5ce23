import { createRequire as __ctCreateRequire } from 'node:module';
import { fileURLToPath as __ctFileURLToPath } from 'node:url';
import { dirname as __ctDirname } from 'node:path';
const require = __ctCreateRequire(import.meta.url);
const __ctFilename = __ctFileURLToPath(import.meta.url);
const __ctDirnameOf = __ctDirname(__ctFilename);
import {
  runAction,
  runAndReport
} from "./chunk-5DDYKYRS.js";
import "./chunk-7NLGVGZU.js";
import "./chunk-YMVMTDGA.js";
import "./chunk-6SLKI3UE.js";
import "./chunk-WAEONMBT.js";
import "./chunk-OD55LRLJ.js";
import "./chunk-AWNG4QJT.js";
import "./chunk-DUTI55RA.js";
import "./chunk-FNPOHAIZ.js";
import "./chunk-AN4M62PA.js";
import "./chunk-4B2DEY7O.js";
import "./chunk-MTYGN2KO.js";
export {
  runAction,
  runAndReport
};
