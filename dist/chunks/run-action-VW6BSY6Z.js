import { createRequire as __ctCreateRequire } from 'node:module';
import { fileURLToPath as __ctFileURLToPath } from 'node:url';
import { dirname as __ctDirname } from 'node:path';
const require = __ctCreateRequire(import.meta.url);
const __ctFilename = __ctFileURLToPath(import.meta.url);
const __ctDirnameOf = __ctDirname(__ctFilename);
import {
  runAction,
  runAndReport
} from "./chunk-NHEACUPJ.js";
import "./chunk-6OB2MRCO.js";
import "./chunk-22TLBBC3.js";
import "./chunk-SFTZLHN3.js";
import "./chunk-SYGMEQIB.js";
import "./chunk-OD55LRLJ.js";
import "./chunk-P62AWDIC.js";
import "./chunk-KEH64SYS.js";
import "./chunk-HM7E6EA7.js";
import "./chunk-AN4M62PA.js";
import "./chunk-MTYGN2KO.js";
export {
  runAction,
  runAndReport
};
