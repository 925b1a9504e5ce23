/**
 * Builds the one Octokit the engine uses: REST + GraphQL with the retry and throttling plugins, and every
 * wait (rate limit, secondary rate limit, 5xx/network retry) reported through the logger.
 */
import { retry } from "@octokit/plugin-retry";
import { throttling } from "@octokit/plugin-throttling";
import { Octokit } from "@octokit/rest";
import Bottleneck from "bottleneck/light.js";
import type { Logger } from "../logger.ts";
import { httpFetch } from "./http-fetch.ts";

export interface RetryPolicy {
  /** Retries of 500/502/503/504 and network failures (waits 1, 4, 9 … s). Default 3. */
  retries?: number;
  /** The longest primary rate limit reset we wait for, in seconds. Default 600 (10 min). */
  maxRateLimitWaitSeconds?: number;
  /** How often one request may wait for a (primary or secondary) rate limit. Default 3. */
  rateLimitRetries?: number;
  /**
   * Milliseconds per second of waiting: 1000 in production. Tests pass a few ms so that GitHub's
   * "retry after 2 s" takes 2 × that; the logger still reports GitHub's seconds.
   */
  msPerSecond?: number;
  /** Abort an attempt that has not been answered after this long (it is then retried). Default 60 000. */
  requestTimeoutMs?: number;
  /**
   * Pace writes as GitHub asks (`WRITE_PACE`, `NOTIFY_PACE`). Default true; tests of other things turn
   * it off.
   */
  spaceWrites?: boolean;
}

export type EngineOctokit = InstanceType<typeof Octokit>;

/** 429 is left to the throttling plugin, which honours `retry-after`. */
const DO_NOT_RETRY = [400, 401, 403, 404, 409, 410, 422, 429, 451];

/**
 * How fast writes go. GitHub asks an integration that makes "a large number" of POST, PATCH, PUT or
 * DELETE requests to wait at least a second between them, and allows at most 80 content-creating
 * requests a minute (REST API best practices; secondary rate limits). plugin-throttling spaces every
 * write and every GraphQL request by 1 s, and every write that notifies people by 3 s, from the very
 * first one: a run that makes a signed commit through GraphQL and then opens its pull request waited
 * ~1 s between the two, about half of the whole run (measured with `scripts/bench/pr-path.ts`). A token
 * bucket keeps the same rate over time but lets the few writes of one task go at once: `burst` writes
 * without waiting, then one more every `everyMs` (Bottleneck looks every 250 ms, so up to that much
 * later). At most 5 + 60 writes in any minute, under GitHub's 80.
 */
export const WRITE_PACE = { burst: 5, everyMs: 1_000 } as const;
/** The same for writes that notify people (a new pull request, a comment, a review request). */
export const NOTIFY_PACE = { burst: 3, everyMs: 3_000 } as const;

/**
 * A limiter group for plugin-throttling's `write` or `notifications` slot: a token bucket (Bottleneck's
 * reservoir, the library the plugin schedules with). `msPerSecond` scales the refill as it scales every
 * other wait. A retry is scheduled with weight 0 by the plugin, so it takes no token.
 */
export function pacedGroup(pace: { burst: number; everyMs: number }, msPerSecond = 1000): Bottleneck.Group {
  const every = Math.max(1, Math.round((pace.everyMs * msPerSecond) / 1000));
  return new Bottleneck.Group({
    maxConcurrent: 1,
    reservoir: pace.burst,
    reservoirIncreaseAmount: 1,
    reservoirIncreaseInterval: every,
    reservoirIncreaseMaximum: pace.burst,
    // how often the reservoir is looked at (Bottleneck's default is 250 ms)
    heartbeatInterval: Math.max(1, Math.min(250, Math.floor(every / 4))),
  } as Bottleneck.ConstructorOptions);
}

/** A throttling-plugin limiter group that does not space anything (the `spaceWrites: false` case). */
const unspaced = {
  key: () => ({
    schedule: (_opts: unknown, fn: (...args: unknown[]) => unknown, ...args: unknown[]) =>
      Promise.resolve().then(() => fn(...args)),
  }),
};

function describe(options: { method?: string; url?: string }): string {
  return `${options.method ?? "GET"} ${options.url ?? ""}`;
}

interface AttemptOptions {
  method?: string;
  url?: string;
  request?: { retryCount?: number; signal?: AbortSignal };
}

interface HookTarget {
  hook: {
    before: (name: "request", fn: (options: AttemptOptions) => void) => void;
    error: (name: "request", fn: (error: unknown, options: AttemptOptions) => never) => void;
  };
}

/**
 * A plugin registered before plugin-retry, so its hooks run around every single attempt (the retry
 * plugin's hooks wrap them): each attempt gets its own timeout, and each failure that the retry plugin
 * will retry is reported with the wait it is about to make.
 */
function attemptHooks(logger: Logger, retries: number, doNotRetry: readonly number[], timeoutMs: number) {
  return (octokit: HookTarget) => {
    octokit.hook.before("request", (options) => {
      // a timeout surfaces as a failed fetch (status 500 without a response), which plugin-retry retries
      options.request ??= {};
      options.request.signal = AbortSignal.timeout(timeoutMs);
    });
    octokit.hook.error("request", (error, options) => {
      const status = (error as { status?: number }).status;
      const attempt = options.request?.retryCount ?? 0;
      if (typeof status === "number" && status >= 400 && !doNotRetry.includes(status) && attempt < retries) {
        const wait = (attempt + 1) ** 2;
        const hasResponse = (error as { response?: unknown }).response !== undefined;
        const what = hasResponse ? `answered ${status}` : `network error (${(error as Error).message})`;
        logger.warn(
          `GitHub ${what} on ${describe(options)}; waiting ${wait} s before retry ${attempt + 1} of ${retries}`,
        );
      }
      throw error;
    });
  };
}

export function createOctokit(opts: {
  token: string;
  baseUrl: string;
  userAgent: string;
  logger: Logger;
  policy?: RetryPolicy;
  fetch?: typeof fetch;
}): EngineOctokit {
  const { logger } = opts;
  const retries = opts.policy?.retries ?? 3;
  const maxWait = opts.policy?.maxRateLimitWaitSeconds ?? 600;
  const rateLimitRetries = opts.policy?.rateLimitRetries ?? 3;
  const msPerSecond = opts.policy?.msPerSecond ?? 1000;
  const spaced = opts.policy?.spaceWrites ?? true;

  const onLimit =
    (label: string) =>
    (retryAfter: number, options: { method?: string; url?: string }, _o: unknown, retryCount: number) => {
      if (retryCount >= rateLimitRetries) {
        logger.warn(`GitHub ${label} hit on ${describe(options)} again; giving up after ${retryCount} waits`);
        return false;
      }
      if (retryAfter > maxWait) {
        logger.warn(
          `GitHub ${label} hit on ${describe(options)}; it resets in ${retryAfter} s, more than the ${maxWait} s we wait`,
        );
        return false;
      }
      logger.warn(`GitHub ${label} hit; waiting ${retryAfter} s (${describe(options)})`);
      return true;
    };

  const timeoutMs = opts.policy?.requestTimeoutMs ?? 60_000;
  const MyOctokit = Octokit.plugin(
    attemptHooks(logger, retries, DO_NOT_RETRY, timeoutMs) as never,
    retry,
    throttling,
  );
  const octokit = new MyOctokit({
    auth: opts.token,
    baseUrl: opts.baseUrl,
    userAgent: opts.userAgent,
    request: { fetch: opts.fetch ?? httpFetch },
    // only the first argument: the others can be request options, headers included.
    // Failed requests are logged at debug: callers get a GitHubError and decide what is worth saying.
    log: {
      debug: (m: string) => logger.debug(String(m)),
      info: (m: string) => logger.debug(String(m)),
      warn: (m: string) => logger.warn(String(m)),
      error: (m: string) => logger.debug(String(m)),
    },
    retry: { retries, doNotRetry: DO_NOT_RETRY, retryAfterBaseValue: msPerSecond },
    throttle: {
      retryAfterBaseValue: msPerSecond,
      fallbackSecondaryRateRetryAfter: 60,
      onRateLimit: onLimit("rate limit"),
      onSecondaryRateLimit: onLimit("secondary rate limit"),
      ...(spaced
        ? {
            write: pacedGroup(WRITE_PACE, msPerSecond) as never,
            notifications: pacedGroup(NOTIFY_PACE, msPerSecond) as never,
          }
        : { write: unspaced as never, notifications: unspaced as never, search: unspaced as never }),
    },
  });
  // Outermost, so once per call: every call gets its own `request` options. Octokit hands each call
  // the defaults' object itself, and plugin-retry keeps its retry count there (it sets the wait), so
  // without this a call after one that was retried would start at that call's count. Every hook gets
  // this same per-call `options` object, so it is changed in place.
  octokit.hook.wrap("request", (request, options) => {
    const { retryCount: _, ...own } = (options.request ?? {}) as { retryCount?: number };
    options.request = own;
    return request(options);
  });
  return octokit;
}
