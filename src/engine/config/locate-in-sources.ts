import type { Location } from "../errors.ts";
import { isPlainObject } from "./deep-merge.ts";
import { keyLocation, nearestLocation, type Path, valueLocation } from "./yaml-locate.ts";
import type { YamlFile } from "./yaml-source.ts";

/** The files a task's values come from: its own file, and `_defaults` merged under it. */
export interface TaskSources {
  task: YamlFile;
  defaults?: YamlFile | undefined;
}

/**
 * Where a value of a task is written: in the task file if it is there, else in `_defaults` if it
 * came from there, else at the nearest enclosing value that is written (`schedule` for
 * `["schedule", 0]` when the schedule is a single string), else the task file's first line.
 */
export function locateIn(sources: TaskSources, path: Path, what: "value" | "key" = "value"): Location {
  const exact = what === "key" ? keyLocation : valueLocation;
  const inTask = exact(sources.task, path);
  if (inTask) return inTask;
  const inDefaults = sources.defaults && exact(sources.defaults, path);
  if (inDefaults) return inDefaults;
  for (const source of [sources.task, sources.defaults]) {
    if (!source || !isPlainObject(source.precise().value)) continue;
    const near = nearestLocation(source, path);
    if (near.depth > 0) return near.location;
  }
  return { file: sources.task.path, line: 1, col: 1 };
}
