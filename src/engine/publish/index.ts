/** The privilege split of the reusable workflow: run jobs export their results, one job publishes them. */
export { type ExportedTask, exportResults } from "./export.ts";
export { BUNDLE_FILE, EXPORT_REF, ExportedResult, RESULT_FILE } from "./format.ts";
export { type PublishResultsOptions, publishResults } from "./publish.ts";
