/** `logs` and `status` in-process: the pure query and the file follower (the built CLI: logs.int.test.ts). */

import { EventEmitter } from "node:events";
import { appendFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { followFile, matchesQuery, queryTaskEntries } from "../../src/engine/report/log-query.ts";
import { makeRepo } from "../support/git-repo.ts";
import { until as untilEvent } from "../support/wait.ts";
import { LOG } from "./log-fixtures.ts";

describe("log query", () => {
  it("filters by task (name or glob) and by time, inclusive", () => {
    const q = (o: Parameters<typeof queryTaskEntries>[1]) =>
      queryTaskEntries(LOG, o).map((e) => `${e.runId}:${e.task}`);
    expect(q({})).toEqual(["r1:docs-sync", "r1:lint-fix", "r2:docs-sync", "r3:docs-sync"]);
    expect(q({ task: "lint-fix" })).toEqual(["r1:lint-fix"]);
    expect(q({ task: "docs-*", tail: 2 })).toEqual(["r2:docs-sync", "r3:docs-sync"]);
    expect(q({ since: new Date("2026-11-10T06:01:00Z") })).toEqual(["r2:docs-sync", "r3:docs-sync"]);
    expect(q({ until: new Date("2026-11-10T06:01:00Z"), since: new Date("2026-11-01T06:02:00Z") })).toEqual([
      "r1:lint-fix",
      "r2:docs-sync",
    ]);
  });
  it("run markers pass a task filter only when they name the task", () => {
    expect(matchesQuery(LOG[0]!, { task: "lint-fix" })).toBe(true);
    expect(matchesQuery(LOG[0]!, { task: "other" })).toBe(false);
    expect(matchesQuery(LOG[3]!, { task: "lint-fix" })).toBe(false);
    expect(matchesQuery(LOG[3]!, {})).toBe(true);
  });
});

describe("followFile", () => {
  it("delivers appended lines, survives a rewrite (prune) without repeating, stops on abort", async () => {
    await using repo = await makeRepo();
    const file = join(repo.root, "runs.jsonl");
    await writeFile(file, "a\nb\n");
    const got: string[] = [];
    const stop = new AbortController();
    const delivered = new EventEmitter();
    const done = followFile(file, {
      from: 4,
      signal: stop.signal,
      intervalMs: 10,
      onLine: (l) => {
        got.push(l);
        delivered.emit("line");
      },
    });
    const until = (n: number) =>
      untilEvent(() => got.length >= n, { on: delivered, events: ["line"], what: `line ${n}` });
    await appendFile(file, "c\nd");
    await until(1);
    await appendFile(file, "\n");
    await until(2);
    expect(got).toEqual(["c", "d"]);
    // prune: a new file (new inode) with old lines kept, plus a new one
    await writeFile(`${file}.tmp`, "b\nd\ne\n");
    await rename(`${file}.tmp`, file);
    await until(3);
    stop.abort();
    await done;
    expect(got).toEqual(["c", "d", "e"]);
  });
});
