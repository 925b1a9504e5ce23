/**
 * zod, set up once for the whole process; every schema imports `z` from here.
 *
 * `jitless`: zod 4 compiles a parser for each object schema with `new Function` the first time it
 * is used. A process of this engine parses a few documents (task files, the Action's inputs, the
 * ledger, an MCP call), so the compiling costs more than it saves: loading two task files took 19 ms
 * with it and 9 ms without, on every run's start-up path; 1,000 files were no slower without it, and
 * 10,000 about 5% slower (`plan`, ~900 ms); fresh processes, node 24. A parse's result is the same
 * either way, and the engine never turns a string into code.
 */
import { z } from "zod";

z.config({ jitless: true });

export { z };
