export { closest, didYouMean } from "../suggest.ts";
export {
  DEFAULT_GRACE_MS,
  DEFAULT_MAX_FIRE_TIMES,
  type DueOptions,
  type DueTask,
  dueTasks,
  evaluateSchedules,
  type MissedPolicy,
  type NextOptions,
  nextFireTimes,
  type ScheduledTask,
  type ScheduleEvaluation,
} from "./due.ts";
export { countFireTimes, type FireTimeOptions, fireTimes } from "./fire-times.ts";
export {
  MIN_INTERVAL_MINUTES,
  type ParseResult,
  parseSchedule,
  SCHEDULE_MACROS,
  type Schedule,
  type WallPattern,
} from "./parse.ts";
export { scheduleProblems } from "./problems.ts";
export { isValidTimeZone } from "./zone.ts";
