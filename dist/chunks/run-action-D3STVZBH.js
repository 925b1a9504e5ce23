import { createRequire as __ctCreateRequire } from 'node:module';
import { fileURLToPath as __ctFileURLToPath } from 'node:url';
import { dirname as __ctDirname } from 'node:path';
const require = __ctCreateRequire(import.meta.url);
const __ctFilename = __ctFileURLToPath(import.meta.url);
const __ctDirnameOf = __ctDirname(__ctFilename);
import {
  runAction,
  runAndReport
} from "./chunk-6JIHOFKH.js";
import "./chunk-6OB2MRCO.js";
import "./chunk-5ICAXWBO.js";
import "./chunk-RBZA2ESW.js";
import "./chunk-AZHXLLJ2.js";
import "./chunk-OD55LRLJ.js";
import "./chunk-ZF5KGN4Y.js";
import "./chunk-KEH64SYS.js";
import "./chunk-HM7E6EA7.js";
import "./chunk-AN4M62PA.js";
import "./chunk-4B2DEY7O.js";
import "./chunk-MTYGN2KO.js";
export {
  runAction,
  runAndReport
};
