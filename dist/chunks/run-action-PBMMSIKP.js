import { createRequire as __ctCreateRequire } from 'node:module';
import { fileURLToPath as __ctFileURLToPath } from 'node:url';
import { dirname as __ctDirname } from 'node:path';
const require = __ctCreateRequire(import.meta.url);
const __ctFilename = __ctFileURLToPath(import.meta.url);
const __ctDirnameOf = __ctDirname(__ctFilename);
import {
  runAction,
  runAndReport
} from "./chunk-IELFTXVY.js";
import "./chunk-GQ5RDRR5.js";
import "./chunk-BSKHPDWT.js";
import "./chunk-F7I7MOWY.js";
import "./chunk-7A4JZY7O.js";
import "./chunk-OD55LRLJ.js";
import "./chunk-UIEZ2DGH.js";
import "./chunk-MTYGN2KO.js";
export {
  runAction,
  runAndReport
};
