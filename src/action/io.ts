/**
 * What the Action needs of the runner, as one small interface: `core-io.ts` implements it with
 * `@actions/core` (and `@actions/artifact`, loaded only when uploading); tests pass a recorder.
 */
import type { Logger } from "../engine/logger.ts";

export interface AnnotationProps {
  title?: string;
  file?: string;
  startLine?: number;
  startColumn?: number;
}

export interface ActionIO {
  getInput(name: string): string;
  setSecret(secret: string): void;
  setOutput(name: string, value: string): void;
  appendSummary(markdown: string): Promise<void>;
  annotate(level: "error" | "warning" | "notice", message: string, props?: AnnotationProps): void;
  logger: Logger;
  /** Uploads files as an artifact; returns its id. Throws when it cannot (the caller warns). */
  uploadArtifact(name: string, files: string[], rootDirectory: string): Promise<{ id?: number }>;
}
