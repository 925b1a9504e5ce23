import type { Command } from "commander";
import { assertValid, loadProject, type Project } from "../engine/project.ts";

export interface GlobalOptions {
  cwd?: string;
  configDir: string;
}

export function globals(cmd: Command): GlobalOptions {
  return cmd.optsWithGlobals<GlobalOptions>();
}

/** Loads and fully checks the project; throws a ConfigError (exit 2) when any task file is invalid. */
export async function validProject(cmd: Command): Promise<Project> {
  const g = globals(cmd);
  return assertValid(await loadProject({ cwd: g.cwd, configDir: g.configDir }));
}
