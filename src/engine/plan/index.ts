export { components, type NeedsNode, topoOrder } from "./graph.ts";
export {
  type BuildPlanInput,
  buildPlan,
  type Matrix,
  type MatrixEntry,
  type MatrixOptions,
  type PlanGroup,
  type PlannedTask,
  planOf,
  type RunPlan,
  type Selection,
  type SkippedTask,
  toMatrix,
} from "./plan.ts";
export { type GraphTask, graphProblems, MAX_DEPTH, MAX_NEEDS, type RunCondition } from "./problems.ts";
