import { createRequire as __ctCreateRequire } from 'node:module';
import { fileURLToPath as __ctFileURLToPath } from 'node:url';
import { dirname as __ctDirname } from 'node:path';
const require = __ctCreateRequire(import.meta.url);
const __ctFilename = __ctFileURLToPath(import.meta.url);
const __ctDirnameOf = __ctDirname(__ctFilename);
import {
  MARKER_VAR,
  agentProcessesIn,
  findTree,
  killTree,
  stopAgentProcessesIn
} from "./chunk-AN4M62PA.js";
import "./chunk-MTYGN2KO.js";
export {
  MARKER_VAR,
  agentProcessesIn,
  findTree,
  killTree,
  stopAgentProcessesIn
};
