import type { Locate, Location } from "../../src/engine/errors.ts";

/** A `Location` that also remembers the path it was asked for, so tests can check where a problem points. */
export type PathLocation = Location & { path: readonly (string | number)[] };

export const locate: Locate = (task, path) => {
  const location: PathLocation = { file: `.github/claude-tasks/${task}.yml`, line: 1, col: 1, path };
  return location;
};

export const pathOf = (problem: Location): readonly (string | number)[] => (problem as PathLocation).path;
