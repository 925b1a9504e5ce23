#!/usr/bin/env -S node --max-semi-space-size=8
// A small young generation: planning 10,000 tasks stays well under 200 MB (see docs/benchmarks.md).
import { main } from "./program.ts";

process.exitCode = await main(process.argv.slice(2));
