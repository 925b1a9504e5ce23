import { createRequire as __ctCreateRequire } from 'node:module';
import { fileURLToPath as __ctFileURLToPath } from 'node:url';
import { dirname as __ctDirname } from 'node:path';
const require = __ctCreateRequire(import.meta.url);
const __ctFilename = __ctFileURLToPath(import.meta.url);
const __ctDirnameOf = __ctDirname(__ctFilename);
import {
  UserError
} from "./chunk-FNPOHAIZ.js";

// src/engine/retention/policy.ts
var DEFAULT_KEEP = 20;
var KEEP_ENV = "CLAUDE_TASKS_KEEP_BACKUPS";
var MAX_AGE_ENV = "CLAUDE_TASKS_MAX_AGE";
var AGE_UNITS = { h: 36e5, d: 864e5, w: 7 * 864e5 };
function parseAge(text) {
  const m = /^(\d+)([hdw])$/.exec(text.trim());
  if (!m) return void 0;
  const ms = Number(m[1]) * AGE_UNITS[m[2]];
  return ms > 0 && Number.isSafeInteger(ms) ? ms : void 0;
}
function formatAge(ms) {
  for (const [unit, size] of [
    ["w", AGE_UNITS.w],
    ["d", AGE_UNITS.d],
    ["h", AGE_UNITS.h]
  ]) {
    if (ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${Math.round(ms / 6e4)}m`;
}
function retentionPolicy(flags = {}, env = process.env) {
  const keepText = flags.keep ?? env[KEEP_ENV];
  const keepFrom = flags.keep !== void 0 ? "--keep" : KEEP_ENV;
  let keep = DEFAULT_KEEP;
  if (keepText !== void 0 && String(keepText).trim() !== "") {
    const n = Number(keepText);
    if (!/^\d+$/.test(String(keepText).trim()) || !Number.isSafeInteger(n) || n < 1) {
      throw new UserError(`${keepFrom}: expected a whole number \u2265 1, got \`${keepText}\``);
    }
    keep = n;
  }
  const ageText = flags.maxAge ?? env[MAX_AGE_ENV];
  const ageFrom = flags.maxAge !== void 0 ? "--max-age" : MAX_AGE_ENV;
  if (ageText === void 0 || ageText.trim() === "") return { keep };
  const maxAgeMs = parseAge(ageText);
  if (maxAgeMs === void 0) {
    throw new UserError(`${ageFrom}: expected an age such as 30d, 12h or 2w, got \`${ageText}\``);
  }
  return { keep, maxAgeMs };
}

export {
  DEFAULT_KEEP,
  KEEP_ENV,
  MAX_AGE_ENV,
  formatAge,
  retentionPolicy
};
