import { createRequire as __ctCreateRequire } from 'node:module';
import { fileURLToPath as __ctFileURLToPath } from 'node:url';
import { dirname as __ctDirname } from 'node:path';
const require = __ctCreateRequire(import.meta.url);
const __ctFilename = __ctFileURLToPath(import.meta.url);
const __ctDirnameOf = __ctDirname(__ctFilename);
import {
  runAction,
  runAndReport
} from "./chunk-L7HJ5EWK.js";
import "./chunk-WBXGLOHG.js";
import "./chunk-ISAVFWUB.js";
import "./chunk-TU3DGVSB.js";
import "./chunk-YJVFBYTT.js";
import "./chunk-INS7X7IX.js";
import "./chunk-OD55LRLJ.js";
import "./chunk-MGQ5H7A7.js";
import "./chunk-L5AOPHZ4.js";
import "./chunk-MTYGN2KO.js";
export {
  runAction,
  runAndReport
};
