import { createRequire as __ctCreateRequire } from 'node:module';
import { fileURLToPath as __ctFileURLToPath } from 'node:url';
import { dirname as __ctDirname } from 'node:path';
const require = __ctCreateRequire(import.meta.url);
const __ctFilename = __ctFileURLToPath(import.meta.url);
const __ctDirnameOf = __ctDirname(__ctFilename);
import {
  Octokit,
  legacyRestEndpointMethods,
  paginateRest,
  requestLog,
  require_light,
  retry
} from "./chunk-WPQSRVAC.js";
import {
  nodeHttp,
  nodeHttps
} from "./chunk-4B2DEY7O.js";
import {
  __toESM
} from "./chunk-MTYGN2KO.js";

// node_modules/@octokit/plugin-throttling/dist-bundle/index.js
var import_light = __toESM(require_light(), 1);
var VERSION = "0.0.0-development";
var noop = () => Promise.resolve();
function wrapRequest(state, request, options) {
  return state.retryLimiter.schedule(doRequest, state, request, options);
}
async function doRequest(state, request, options) {
  const { pathname } = new URL(options.url, "http://github.test");
  const isAuth = isAuthRequest(options.method, pathname);
  const isWrite = !isAuth && options.method !== "GET" && options.method !== "HEAD";
  const isSearch = options.method === "GET" && pathname.startsWith("/search/");
  const isGraphQL = pathname.startsWith("/graphql");
  const retryCount = ~~request.retryCount;
  const jobOptions = retryCount > 0 ? { priority: 0, weight: 0 } : {};
  if (state.clustering) {
    jobOptions.expiration = 1e3 * 60;
  }
  if (isWrite || isGraphQL) {
    await state.write.key(state.id).schedule(jobOptions, noop);
  }
  if (isWrite && state.triggersNotification(pathname)) {
    await state.notifications.key(state.id).schedule(jobOptions, noop);
  }
  if (isSearch) {
    await state.search.key(state.id).schedule(jobOptions, noop);
  }
  const req = (isAuth ? state.auth : state.global).key(state.id).schedule(jobOptions, request, options);
  if (isGraphQL) {
    const res = await req;
    if (res.data.errors != null && res.data.errors.some((error) => error.type === "RATE_LIMITED")) {
      const error = Object.assign(new Error("GraphQL Rate Limit Exceeded"), {
        response: res,
        data: res.data
      });
      throw error;
    }
  }
  return req;
}
function isAuthRequest(method, pathname) {
  return method === "PATCH" && // https://docs.github.com/en/rest/apps/apps?apiVersion=2022-11-28#create-a-scoped-access-token
  /^\/applications\/[^/]+\/token\/scoped$/.test(pathname) || method === "POST" && // https://docs.github.com/en/rest/apps/oauth-applications?apiVersion=2022-11-28#reset-a-token
  (/^\/applications\/[^/]+\/token$/.test(pathname) || // https://docs.github.com/en/rest/apps/apps?apiVersion=2022-11-28#create-an-installation-access-token-for-an-app
  /^\/app\/installations\/[^/]+\/access_tokens$/.test(pathname) || // https://docs.github.com/en/apps/oauth-apps/building-oauth-apps/authorizing-oauth-apps
  pathname === "/login/oauth/access_token");
}
var triggers_notification_paths_default = [
  "/orgs/{org}/invitations",
  "/orgs/{org}/invitations/{invitation_id}",
  "/orgs/{org}/teams/{team_slug}/discussions",
  "/orgs/{org}/teams/{team_slug}/discussions/{discussion_number}/comments",
  "/repos/{owner}/{repo}/collaborators/{username}",
  "/repos/{owner}/{repo}/commits/{commit_sha}/comments",
  "/repos/{owner}/{repo}/issues",
  "/repos/{owner}/{repo}/issues/{issue_number}/comments",
  "/repos/{owner}/{repo}/issues/{issue_number}/sub_issue",
  "/repos/{owner}/{repo}/issues/{issue_number}/sub_issues/priority",
  "/repos/{owner}/{repo}/pulls",
  "/repos/{owner}/{repo}/pulls/{pull_number}/comments",
  "/repos/{owner}/{repo}/pulls/{pull_number}/comments/{comment_id}/replies",
  "/repos/{owner}/{repo}/pulls/{pull_number}/merge",
  "/repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers",
  "/repos/{owner}/{repo}/pulls/{pull_number}/reviews",
  "/repos/{owner}/{repo}/releases",
  "/teams/{team_id}/discussions",
  "/teams/{team_id}/discussions/{discussion_number}/comments"
];
function routeMatcher(paths) {
  const regexes = paths.map(
    (path) => path.split("/").map((c) => c.startsWith("{") ? "(?:.+?)" : c).join("/")
  );
  const regex2 = `^(?:${regexes.map((r) => `(?:${r})`).join("|")})[^/]*$`;
  return new RegExp(regex2, "i");
}
var regex = routeMatcher(triggers_notification_paths_default);
var triggersNotification = regex.test.bind(regex);
var groups = {};
var createGroups = function(Bottleneck2, common) {
  groups.global = new Bottleneck2.Group({
    id: "octokit-global",
    maxConcurrent: 10,
    ...common
  });
  groups.auth = new Bottleneck2.Group({
    id: "octokit-auth",
    maxConcurrent: 1,
    ...common
  });
  groups.search = new Bottleneck2.Group({
    id: "octokit-search",
    maxConcurrent: 1,
    minTime: 2e3,
    ...common
  });
  groups.write = new Bottleneck2.Group({
    id: "octokit-write",
    maxConcurrent: 1,
    minTime: 1e3,
    ...common
  });
  groups.notifications = new Bottleneck2.Group({
    id: "octokit-notifications",
    maxConcurrent: 1,
    minTime: 3e3,
    ...common
  });
};
function throttling(octokit, octokitOptions) {
  const {
    enabled = true,
    Bottleneck: Bottleneck2 = import_light.default,
    id = "no-id",
    timeout = 1e3 * 60 * 2,
    // Redis TTL: 2 minutes
    connection
  } = octokitOptions.throttle || {};
  if (!enabled) {
    return {};
  }
  const common = { timeout };
  if (typeof connection !== "undefined") {
    common.connection = connection;
  }
  const state = Object.assign(
    {
      clustering: connection != null,
      triggersNotification,
      fallbackSecondaryRateRetryAfter: 60,
      retryAfterBaseValue: 1e3,
      id
    },
    octokitOptions.throttle
  );
  if (typeof state.onSecondaryRateLimit !== "function" || typeof state.onRateLimit !== "function") {
    throw new Error(`octokit/plugin-throttling error:
        You must pass the onSecondaryRateLimit and onRateLimit error handlers.
        See https://octokit.github.io/rest.js/#throttling

        const octokit = new Octokit({
          throttle: {
            onSecondaryRateLimit: (retryAfter, options) => {/* ... */},
            onRateLimit: (retryAfter, options) => {/* ... */}
          }
        })
    `);
  }
  let initialized = false;
  const initializeBottleneck = () => {
    if (initialized) {
      return;
    }
    initialized = true;
    if (groups.global == null) {
      createGroups(Bottleneck2, common);
    }
    state.global = state.global ?? groups.global;
    state.auth = state.auth ?? groups.auth;
    state.search = state.search ?? groups.search;
    state.write = state.write ?? groups.write;
    state.notifications = state.notifications ?? groups.notifications;
    state.retryLimiter = state.retryLimiter ?? new Bottleneck2();
    const events = {};
    const emitter = new Bottleneck2.Events(events);
    events.on("secondary-limit", state.onSecondaryRateLimit);
    events.on("rate-limit", state.onRateLimit);
    events.on(
      "error",
      (e) => octokit.log.warn("Error in throttling-plugin limit handler", e)
    );
    state.retryLimiter.on("failed", async function(error, info) {
      const [state2, request, options] = info.args;
      const { pathname } = new URL(options.url, "http://github.test");
      const shouldRetryGraphQL = pathname.startsWith("/graphql") && error.status !== 401;
      if (!(shouldRetryGraphQL || error.status === 403 || error.status === 429)) {
        return;
      }
      const retryCount = ~~request.retryCount;
      request.retryCount = retryCount;
      options.request.retryCount = retryCount;
      const { wantRetry, retryAfter = 0 } = await (async function() {
        if (/\bsecondary rate\b/i.test(error.message)) {
          const retryAfter2 = Number(error.response.headers["retry-after"]) || state2.fallbackSecondaryRateRetryAfter;
          const wantRetry2 = await emitter.trigger(
            "secondary-limit",
            retryAfter2,
            options,
            octokit,
            retryCount
          );
          return { wantRetry: wantRetry2, retryAfter: retryAfter2 };
        }
        if (error.response.headers != null && error.response.headers["x-ratelimit-remaining"] === "0" || (error.response.data?.errors ?? []).some(
          (error2) => error2.type === "RATE_LIMITED"
        )) {
          const rateLimitReset = new Date(
            ~~error.response.headers["x-ratelimit-reset"] * 1e3
          ).getTime();
          const retryAfter2 = Math.max(
            // Add one second so we retry _after_ the reset time
            // https://docs.github.com/en/rest/overview/resources-in-the-rest-api?apiVersion=2022-11-28#exceeding-the-rate-limit
            Math.ceil((rateLimitReset - Date.now()) / 1e3) + 1,
            0
          );
          const wantRetry2 = await emitter.trigger(
            "rate-limit",
            retryAfter2,
            options,
            octokit,
            retryCount
          );
          return { wantRetry: wantRetry2, retryAfter: retryAfter2 };
        }
        return {};
      })();
      if (wantRetry) {
        request.retryCount++;
        return retryAfter * state2.retryAfterBaseValue;
      }
    });
  };
  octokit.hook.wrap("request", (request, options) => {
    initializeBottleneck();
    return wrapRequest(state, request, options);
  });
  return {};
}
throttling.VERSION = VERSION;
throttling.triggersNotification = triggersNotification;

// node_modules/@octokit/rest/dist-src/version.js
var VERSION2 = "22.0.1";

// node_modules/@octokit/rest/dist-src/index.js
var Octokit2 = Octokit.plugin(requestLog, legacyRestEndpointMethods, paginateRest).defaults(
  {
    userAgent: `octokit-rest.js/${VERSION2}`
  }
);

// src/engine/github/octokit.ts
var import_light2 = __toESM(require_light(), 1);

// src/engine/github/http-fetch.ts
var MAX_REDIRECTS = 5;
var REDIRECT = /* @__PURE__ */ new Set([301, 302, 303, 307, 308]);
var NO_BODY = /* @__PURE__ */ new Set([204, 205, 304]);
async function httpFetch(input, init = {}) {
  let url = new URL(typeof input === "string" || input instanceof URL ? input : input.url);
  let method = (init.method ?? "GET").toUpperCase();
  const headers = new Headers(init.headers);
  let body = bodyOf(init.body);
  for (let hop = 0; ; hop++) {
    const mod = url.protocol === "https:" ? await nodeHttps() : await nodeHttp();
    const res = await exchange(mod, url, method, headers, body, init.signal ?? void 0);
    const location = res.headers.get("location");
    if (init.redirect === "manual" || !REDIRECT.has(res.status) || location === null) return res;
    if (init.redirect === "error") throw new TypeError(`fetch: ${url.href} redirects to ${location}`);
    if (hop >= MAX_REDIRECTS)
      throw new TypeError(`fetch: more than ${MAX_REDIRECTS} redirects from ${url.href}`);
    const next = new URL(location, url);
    if (res.status === 303 || (res.status === 301 || res.status === 302) && method === "POST") {
      method = method === "HEAD" ? "HEAD" : "GET";
      body = void 0;
      headers.delete("content-type");
      headers.delete("content-length");
    }
    if (next.origin !== url.origin) headers.delete("authorization");
    url = next;
  }
}
function bodyOf(body) {
  if (body === void 0 || body === null || typeof body === "string" || body instanceof Uint8Array)
    return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  throw new TypeError("fetch: only a string or bytes can be sent as a body here");
}
function exchange(mod, url, method, headers, body, signal) {
  const outgoing = Object.fromEntries(headers);
  if (body !== void 0 && body !== null && !headers.has("content-length"))
    outgoing["content-length"] = String(typeof body === "string" ? Buffer.byteLength(body) : body.byteLength);
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const req = mod.request(url, { method, headers: outgoing }, (res) => {
      const chunks = [];
      res.on("data", (c) => chunks.push(c));
      res.on("error", fail);
      res.on("end", () => {
        signal?.removeEventListener("abort", abort);
        const status = res.statusCode ?? 0;
        const response = new Response(
          NO_BODY.has(status) || method === "HEAD" ? null : Buffer.concat(chunks),
          {
            status,
            statusText: res.statusMessage ?? "",
            headers: headersOf(res.headers)
          }
        );
        Object.defineProperty(response, "url", { value: url.href });
        resolve(response);
      });
    });
    function fail(err) {
      signal?.removeEventListener("abort", abort);
      reject(err);
    }
    function abort() {
      fail(signal.reason);
      req.destroy();
    }
    signal?.addEventListener("abort", abort, { once: true });
    req.on("error", fail);
    req.end(body ?? void 0);
  });
}
function headersOf(raw) {
  const out = new Headers();
  for (const [name, value] of Object.entries(raw)) {
    if (value === void 0) continue;
    for (const v of Array.isArray(value) ? value : [value]) out.append(name, v);
  }
  return out;
}

// src/engine/github/octokit.ts
var DO_NOT_RETRY = [400, 401, 403, 404, 409, 410, 422, 429, 451];
var WRITE_PACE = { burst: 5, everyMs: 1e3 };
var NOTIFY_PACE = { burst: 3, everyMs: 3e3 };
function pacedGroup(pace, msPerSecond = 1e3) {
  const every = Math.max(1, Math.round(pace.everyMs * msPerSecond / 1e3));
  return new import_light2.default.Group({
    maxConcurrent: 1,
    reservoir: pace.burst,
    reservoirIncreaseAmount: 1,
    reservoirIncreaseInterval: every,
    reservoirIncreaseMaximum: pace.burst,
    // how often the reservoir is looked at (Bottleneck's default is 250 ms)
    heartbeatInterval: Math.max(1, Math.min(250, Math.floor(every / 4)))
  });
}
var unspaced = {
  key: () => ({
    schedule: (_opts, fn, ...args) => Promise.resolve().then(() => fn(...args))
  })
};
function describe(options) {
  return `${options.method ?? "GET"} ${options.url ?? ""}`;
}
function attemptHooks(logger, retries, doNotRetry, timeoutMs) {
  return (octokit) => {
    octokit.hook.before("request", (options) => {
      options.request ??= {};
      options.request.signal = AbortSignal.timeout(timeoutMs);
    });
    octokit.hook.error("request", (error, options) => {
      const status = error.status;
      const attempt = options.request?.retryCount ?? 0;
      if (typeof status === "number" && status >= 400 && !doNotRetry.includes(status) && attempt < retries) {
        const wait = (attempt + 1) ** 2;
        const hasResponse = error.response !== void 0;
        const what = hasResponse ? `answered ${status}` : `network error (${error.message})`;
        logger.warn(
          `GitHub ${what} on ${describe(options)}; waiting ${wait} s before retry ${attempt + 1} of ${retries}`
        );
      }
      throw error;
    });
  };
}
function createOctokit(opts) {
  const { logger } = opts;
  const retries = opts.policy?.retries ?? 3;
  const maxWait = opts.policy?.maxRateLimitWaitSeconds ?? 600;
  const rateLimitRetries = opts.policy?.rateLimitRetries ?? 3;
  const msPerSecond = opts.policy?.msPerSecond ?? 1e3;
  const spaced = opts.policy?.spaceWrites ?? true;
  const onLimit = (label) => (retryAfter, options, _o, retryCount) => {
    if (retryCount >= rateLimitRetries) {
      logger.warn(`GitHub ${label} hit on ${describe(options)} again; giving up after ${retryCount} waits`);
      return false;
    }
    if (retryAfter > maxWait) {
      logger.warn(
        `GitHub ${label} hit on ${describe(options)}; it resets in ${retryAfter} s, more than the ${maxWait} s we wait`
      );
      return false;
    }
    logger.warn(`GitHub ${label} hit; waiting ${retryAfter} s (${describe(options)})`);
    return true;
  };
  const timeoutMs = opts.policy?.requestTimeoutMs ?? 6e4;
  const MyOctokit = Octokit2.plugin(
    attemptHooks(logger, retries, DO_NOT_RETRY, timeoutMs),
    retry,
    throttling
  );
  const octokit = new MyOctokit({
    auth: opts.token,
    baseUrl: opts.baseUrl,
    userAgent: opts.userAgent,
    request: { fetch: opts.fetch ?? httpFetch },
    // only the first argument: the others can be request options, headers included.
    // Failed requests are logged at debug: callers get a GitHubError and decide what is worth saying.
    log: {
      debug: (m) => logger.debug(String(m)),
      info: (m) => logger.debug(String(m)),
      warn: (m) => logger.warn(String(m)),
      error: (m) => logger.debug(String(m))
    },
    retry: { retries, doNotRetry: DO_NOT_RETRY, retryAfterBaseValue: msPerSecond },
    throttle: {
      retryAfterBaseValue: msPerSecond,
      fallbackSecondaryRateRetryAfter: 60,
      onRateLimit: onLimit("rate limit"),
      onSecondaryRateLimit: onLimit("secondary rate limit"),
      ...spaced ? {
        write: pacedGroup(WRITE_PACE, msPerSecond),
        notifications: pacedGroup(NOTIFY_PACE, msPerSecond)
      } : { write: unspaced, notifications: unspaced, search: unspaced }
    }
  });
  octokit.hook.wrap("request", (request, options) => {
    const { retryCount: _, ...own } = options.request ?? {};
    options.request = own;
    return request(options);
  });
  return octokit;
}
export {
  NOTIFY_PACE,
  WRITE_PACE,
  createOctokit,
  pacedGroup
};
