#!/usr/bin/env node
import { createRequire as __ctCreateRequire } from 'node:module';
const require = __ctCreateRequire(import.meta.url);

// src/cli/main.ts
console.log("claude-tasks");
