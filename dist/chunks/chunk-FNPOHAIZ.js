import { createRequire as __ctCreateRequire } from 'node:module';
import { fileURLToPath as __ctFileURLToPath } from 'node:url';
import { dirname as __ctDirname } from 'node:path';
const require = __ctCreateRequire(import.meta.url);
const __ctFilename = __ctFileURLToPath(import.meta.url);
const __ctDirnameOf = __ctDirname(__ctFilename);
import {
  __callDispose,
  __commonJS,
  __require,
  __using
} from "./chunk-MTYGN2KO.js";

// node_modules/signal-exit/dist/cjs/signals.js
var require_signals = __commonJS({
  "node_modules/signal-exit/dist/cjs/signals.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.signals = void 0;
    exports.signals = [];
    exports.signals.push("SIGHUP", "SIGINT", "SIGTERM");
    if (process.platform !== "win32") {
      exports.signals.push(
        "SIGALRM",
        "SIGABRT",
        "SIGVTALRM",
        "SIGXCPU",
        "SIGXFSZ",
        "SIGUSR2",
        "SIGTRAP",
        "SIGSYS",
        "SIGQUIT",
        "SIGIOT"
        // should detect profiler and enable/disable accordingly.
        // see #21
        // 'SIGPROF'
      );
    }
    if (process.platform === "linux") {
      exports.signals.push("SIGIO", "SIGPOLL", "SIGPWR", "SIGSTKFLT");
    }
  }
});

// node_modules/signal-exit/dist/cjs/index.js
var require_cjs = __commonJS({
  "node_modules/signal-exit/dist/cjs/index.js"(exports) {
    "use strict";
    var _a;
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.unload = exports.load = exports.onExit = exports.signals = void 0;
    var signals_js_1 = require_signals();
    Object.defineProperty(exports, "signals", { enumerable: true, get: function() {
      return signals_js_1.signals;
    } });
    var processOk = (process3) => !!process3 && typeof process3 === "object" && typeof process3.removeListener === "function" && typeof process3.emit === "function" && typeof process3.reallyExit === "function" && typeof process3.listeners === "function" && typeof process3.kill === "function" && typeof process3.pid === "number" && typeof process3.on === "function";
    var kExitEmitter = /* @__PURE__ */ Symbol.for("signal-exit emitter");
    var global = globalThis;
    var ObjectDefineProperty = Object.defineProperty.bind(Object);
    var Emitter = class {
      emitted = {
        afterExit: false,
        exit: false
      };
      listeners = {
        afterExit: [],
        exit: []
      };
      count = 0;
      id = Math.random();
      constructor() {
        if (global[kExitEmitter]) {
          return global[kExitEmitter];
        }
        ObjectDefineProperty(global, kExitEmitter, {
          value: this,
          writable: false,
          enumerable: false,
          configurable: false
        });
      }
      on(ev, fn) {
        this.listeners[ev].push(fn);
      }
      removeListener(ev, fn) {
        const list = this.listeners[ev];
        const i = list.indexOf(fn);
        if (i === -1) {
          return;
        }
        if (i === 0 && list.length === 1) {
          list.length = 0;
        } else {
          list.splice(i, 1);
        }
      }
      emit(ev, code, signal) {
        if (this.emitted[ev]) {
          return false;
        }
        this.emitted[ev] = true;
        let ret = false;
        for (const fn of this.listeners[ev]) {
          ret = fn(code, signal) === true || ret;
        }
        if (ev === "exit") {
          ret = this.emit("afterExit", code, signal) || ret;
        }
        return ret;
      }
    };
    var SignalExitBase = class {
    };
    var signalExitWrap = (handler) => {
      return {
        onExit(cb, opts) {
          return handler.onExit(cb, opts);
        },
        load() {
          return handler.load();
        },
        unload() {
          return handler.unload();
        }
      };
    };
    var SignalExitFallback = class extends SignalExitBase {
      onExit() {
        return () => {
        };
      }
      load() {
      }
      unload() {
      }
    };
    var SignalExit = class extends SignalExitBase {
      // "SIGHUP" throws an `ENOSYS` error on Windows,
      // so use a supported signal instead
      /* c8 ignore start */
      #hupSig = process2.platform === "win32" ? "SIGINT" : "SIGHUP";
      /* c8 ignore stop */
      #emitter = new Emitter();
      #process;
      #originalProcessEmit;
      #originalProcessReallyExit;
      #sigListeners = {};
      #loaded = false;
      constructor(process3) {
        super();
        this.#process = process3;
        this.#sigListeners = {};
        for (const sig of signals_js_1.signals) {
          this.#sigListeners[sig] = () => {
            const listeners = this.#process.listeners(sig);
            let { count } = this.#emitter;
            const p = process3;
            if (typeof p.__signal_exit_emitter__ === "object" && typeof p.__signal_exit_emitter__.count === "number") {
              count += p.__signal_exit_emitter__.count;
            }
            if (listeners.length === count) {
              this.unload();
              const ret = this.#emitter.emit("exit", null, sig);
              const s = sig === "SIGHUP" ? this.#hupSig : sig;
              if (!ret)
                process3.kill(process3.pid, s);
            }
          };
        }
        this.#originalProcessReallyExit = process3.reallyExit;
        this.#originalProcessEmit = process3.emit;
      }
      onExit(cb, opts) {
        if (!processOk(this.#process)) {
          return () => {
          };
        }
        if (this.#loaded === false) {
          this.load();
        }
        const ev = opts?.alwaysLast ? "afterExit" : "exit";
        this.#emitter.on(ev, cb);
        return () => {
          this.#emitter.removeListener(ev, cb);
          if (this.#emitter.listeners["exit"].length === 0 && this.#emitter.listeners["afterExit"].length === 0) {
            this.unload();
          }
        };
      }
      load() {
        if (this.#loaded) {
          return;
        }
        this.#loaded = true;
        this.#emitter.count += 1;
        for (const sig of signals_js_1.signals) {
          try {
            const fn = this.#sigListeners[sig];
            if (fn)
              this.#process.on(sig, fn);
          } catch (_) {
          }
        }
        this.#process.emit = (ev, ...a) => {
          return this.#processEmit(ev, ...a);
        };
        this.#process.reallyExit = (code) => {
          return this.#processReallyExit(code);
        };
      }
      unload() {
        if (!this.#loaded) {
          return;
        }
        this.#loaded = false;
        signals_js_1.signals.forEach((sig) => {
          const listener = this.#sigListeners[sig];
          if (!listener) {
            throw new Error("Listener not defined for signal: " + sig);
          }
          try {
            this.#process.removeListener(sig, listener);
          } catch (_) {
          }
        });
        this.#process.emit = this.#originalProcessEmit;
        this.#process.reallyExit = this.#originalProcessReallyExit;
        this.#emitter.count -= 1;
      }
      #processReallyExit(code) {
        if (!processOk(this.#process)) {
          return 0;
        }
        this.#process.exitCode = code || 0;
        this.#emitter.emit("exit", this.#process.exitCode, null);
        return this.#originalProcessReallyExit.call(this.#process, this.#process.exitCode);
      }
      #processEmit(ev, ...args) {
        const og = this.#originalProcessEmit;
        if (ev === "exit" && processOk(this.#process)) {
          if (typeof args[0] === "number") {
            this.#process.exitCode = args[0];
          }
          const ret = og.call(this.#process, ev, ...args);
          this.#emitter.emit("exit", this.#process.exitCode, null);
          return ret;
        } else {
          return og.call(this.#process, ev, ...args);
        }
      }
    };
    var process2 = globalThis.process;
    _a = signalExitWrap(processOk(process2) ? new SignalExit(process2) : new SignalExitFallback()), /**
     * Called when the process is exiting, whether via signal, explicit
     * exit, or running out of stuff to do.
     *
     * If the global process object is not suitable for instrumentation,
     * then this will be a no-op.
     *
     * Returns a function that may be used to unload signal-exit.
     */
    exports.onExit = _a.onExit, /**
     * Load the listeners.  Likely you never need to call this, unless
     * doing a rather deep integration with signal-exit functionality.
     * Mostly exposed for the benefit of testing.
     *
     * @internal
     */
    exports.load = _a.load, /**
     * Unload the listeners.  Likely you never need to call this, unless
     * doing a rather deep integration with signal-exit functionality.
     * Mostly exposed for the benefit of testing.
     *
     * @internal
     */
    exports.unload = _a.unload;
  }
});

// node_modules/write-file-atomic/lib/index.js
var require_lib = __commonJS({
  "node_modules/write-file-atomic/lib/index.js"(exports, module) {
    "use strict";
    module.exports = writeFile2;
    module.exports.sync = writeFileSync;
    module.exports._getTmpname = getTmpname;
    module.exports._cleanupOnExit = cleanupOnExit;
    var fs = __require("fs");
    var crypto = __require("node:crypto");
    var { onExit } = require_cjs();
    var path = __require("path");
    var { promisify } = __require("util");
    var activeFiles = {};
    var threadId = (function getId() {
      try {
        const workerThreads = __require("worker_threads");
        return workerThreads.threadId;
      } catch (e) {
        return 0;
      }
    })();
    var invocations = 0;
    function getTmpname(filename) {
      return filename + "." + crypto.createHash("sha1").update(__ctFilename).update(String(process.pid)).update(String(threadId)).update(String(++invocations)).digest().readUInt32BE(0);
    }
    function cleanupOnExit(tmpfile) {
      return () => {
        try {
          fs.unlinkSync(typeof tmpfile === "function" ? tmpfile() : tmpfile);
        } catch {
        }
      };
    }
    function serializeActiveFile(absoluteName) {
      return new Promise((resolve2) => {
        if (!activeFiles[absoluteName]) {
          activeFiles[absoluteName] = [];
        }
        activeFiles[absoluteName].push(resolve2);
        if (activeFiles[absoluteName].length === 1) {
          resolve2();
        }
      });
    }
    function isChownErrOk(err) {
      if (err.code === "ENOSYS") {
        return true;
      }
      const nonroot = !process.getuid || process.getuid() !== 0;
      if (nonroot) {
        if (err.code === "EINVAL" || err.code === "EPERM") {
          return true;
        }
      }
      return false;
    }
    async function writeFileAsync(filename, data, options = {}) {
      if (typeof options === "string") {
        options = { encoding: options };
      }
      let fd;
      let tmpfile;
      const removeOnExitHandler = onExit(cleanupOnExit(() => tmpfile));
      const absoluteName = path.resolve(filename);
      try {
        await serializeActiveFile(absoluteName);
        const truename = await promisify(fs.realpath)(filename).catch(() => filename);
        tmpfile = getTmpname(truename);
        if (!options.mode || !options.chown) {
          const stats = await promisify(fs.stat)(truename).catch(() => {
          });
          if (stats) {
            if (options.mode == null) {
              options.mode = stats.mode;
            }
            if (options.chown == null && process.getuid) {
              options.chown = { uid: stats.uid, gid: stats.gid };
            }
          }
        }
        fd = await promisify(fs.open)(tmpfile, "w", options.mode);
        if (options.tmpfileCreated) {
          await options.tmpfileCreated(tmpfile);
        }
        if (ArrayBuffer.isView(data)) {
          await promisify(fs.write)(fd, data, 0, data.length, 0);
        } else if (data != null) {
          await promisify(fs.write)(fd, String(data), 0, String(options.encoding || "utf8"));
        }
        if (options.fsync !== false) {
          await promisify(fs.fsync)(fd);
        }
        await promisify(fs.close)(fd);
        fd = null;
        if (options.chown) {
          await promisify(fs.chown)(tmpfile, options.chown.uid, options.chown.gid).catch((err) => {
            if (!isChownErrOk(err)) {
              throw err;
            }
          });
        }
        if (options.mode) {
          await promisify(fs.chmod)(tmpfile, options.mode).catch((err) => {
            if (!isChownErrOk(err)) {
              throw err;
            }
          });
        }
        await promisify(fs.rename)(tmpfile, truename);
      } finally {
        if (fd) {
          await promisify(fs.close)(fd).catch(
            /* istanbul ignore next */
            () => {
            }
          );
        }
        removeOnExitHandler();
        await promisify(fs.unlink)(tmpfile).catch(() => {
        });
        activeFiles[absoluteName].shift();
        if (activeFiles[absoluteName].length > 0) {
          activeFiles[absoluteName][0]();
        } else {
          delete activeFiles[absoluteName];
        }
      }
    }
    async function writeFile2(filename, data, options, callback) {
      if (options instanceof Function) {
        callback = options;
        options = {};
      }
      const promise = writeFileAsync(filename, data, options);
      if (callback) {
        try {
          const result = await promise;
          return callback(result);
        } catch (err) {
          return callback(err);
        }
      }
      return promise;
    }
    function writeFileSync(filename, data, options) {
      if (typeof options === "string") {
        options = { encoding: options };
      } else if (!options) {
        options = {};
      }
      try {
        filename = fs.realpathSync(filename);
      } catch (ex) {
      }
      const tmpfile = getTmpname(filename);
      if (!options.mode || !options.chown) {
        try {
          const stats = fs.statSync(filename);
          options = Object.assign({}, options);
          if (!options.mode) {
            options.mode = stats.mode;
          }
          if (!options.chown && process.getuid) {
            options.chown = { uid: stats.uid, gid: stats.gid };
          }
        } catch (ex) {
        }
      }
      let fd;
      const cleanup = cleanupOnExit(tmpfile);
      const removeOnExitHandler = onExit(cleanup);
      let threw = true;
      try {
        fd = fs.openSync(tmpfile, "w", options.mode || 438);
        if (options.tmpfileCreated) {
          options.tmpfileCreated(tmpfile);
        }
        if (ArrayBuffer.isView(data)) {
          fs.writeSync(fd, data, 0, data.length, 0);
        } else if (data != null) {
          fs.writeSync(fd, String(data), 0, String(options.encoding || "utf8"));
        }
        if (options.fsync !== false) {
          fs.fsyncSync(fd);
        }
        fs.closeSync(fd);
        fd = null;
        if (options.chown) {
          try {
            fs.chownSync(tmpfile, options.chown.uid, options.chown.gid);
          } catch (err) {
            if (!isChownErrOk(err)) {
              throw err;
            }
          }
        }
        if (options.mode) {
          try {
            fs.chmodSync(tmpfile, options.mode);
          } catch (err) {
            if (!isChownErrOk(err)) {
              throw err;
            }
          }
        }
        fs.renameSync(tmpfile, filename);
        threw = false;
      } finally {
        if (fd) {
          try {
            fs.closeSync(fd);
          } catch (ex) {
          }
        }
        removeOnExitHandler();
        if (threw) {
          cleanup();
        }
      }
    }
  }
});

// src/engine/errors.ts
function formatProblem(p) {
  const tag = p.severity === "warning" ? "warning: " : "";
  return `${p.file}:${p.line}:${p.col}: ${tag}${p.message}`;
}
var UserError = class extends Error {
  name = "UserError";
  problems;
  constructor(message, problems = []) {
    super(message);
    this.problems = problems;
  }
};
var ConfigError = class extends UserError {
  constructor(problems) {
    super(problems.map(formatProblem).join("\n"), problems);
  }
};
var TaskFailedError = class extends Error {
  name = "TaskFailedError";
};
var InterruptedError = class extends Error {
  name = "InterruptedError";
  signal;
  constructor(signal) {
    super(`interrupted by ${signal}; running tasks were stopped and their work backed up`);
    this.signal = signal;
  }
};
var EXIT = { ok: 0, taskFailed: 1, badInput: 2 };
function signalExitCode(signal) {
  return signal === "SIGINT" ? 130 : 143;
}
function exitCodeFor(err) {
  if (err instanceof UserError) return EXIT.badInput;
  if (err instanceof InterruptedError) return signalExitCode(err.signal);
  return EXIT.taskFailed;
}
function errorMessage(err) {
  return err instanceof Error ? err.message : String(err);
}
function problemAt(loc, message, severity = "error", code) {
  return { ...loc, message, severity, ...code ? { code } : {} };
}
var GitError = class extends Error {
  name = "GitError";
  args;
  exitCode;
  stderr;
  cwd;
  constructor(opts) {
    const detail = opts.stderr.trim().split("\n").slice(-5).join("\n");
    super(`git ${opts.args.join(" ")} failed (exit ${opts.exitCode})${detail ? `: ${detail}` : ""}`);
    this.args = opts.args;
    this.exitCode = opts.exitCode;
    this.stderr = opts.stderr;
    this.cwd = opts.cwd;
  }
};

// src/engine/logger.ts
var silentLogger = {
  debug() {
  },
  info() {
  },
  warn() {
  },
  error() {
  }
};
function stderrLogger(opts = {}) {
  const write = (s) => process.stderr.write(`${s}
`);
  return {
    debug: (m) => {
      if (opts.verbose) write(m);
    },
    info: write,
    warn: (m) => write(`warning: ${m}`),
    error: (m) => write(`error: ${m}`)
  };
}

// src/engine/process/run.ts
import { spawn } from "node:child_process";
import { closeSync, openSync } from "node:fs";
import { constants } from "node:os";
var C_LOCALE = { LC_ALL: "C", LANG: "C" };
function processEnv(...layers) {
  const merged = Object.assign({}, ...layers);
  const out = {};
  for (const [k, v] of Object.entries(merged)) if (v !== void 0) out[k] = v;
  return out;
}
var FORCE_KILL_AFTER_MS = 5e3;
var live = /* @__PURE__ */ new Set();
var exitHook = false;
function runCommand(file, args, opts) {
  return new Promise((resolve2) => {
    let outFd;
    try {
      if (opts.stdoutFile !== void 0) outFd = openSync(opts.stdoutFile, "w");
    } catch (err2) {
      resolve2(failedStart(err2));
      return;
    }
    const child = spawn(file, args, {
      cwd: opts.cwd,
      env: opts.env,
      // no input: /dev/null rather than a pipe to end (a pipe and its stream cost the main thread ~1 ms a spawn)
      stdio: [opts.input === void 0 ? "ignore" : "pipe", outFd ?? "pipe", "pipe"]
    });
    if (outFd !== void 0) closeSync(outFd);
    const out = [];
    const err = [];
    child.stdout?.on("data", (c) => out.push(c));
    child.stderr?.on("data", (c) => err.push(c));
    child.stdin?.on("error", () => {
    });
    child.stdin?.end(opts.input);
    let timedOut = false;
    let cancelled = false;
    let forceKill;
    const stop = () => {
      child.kill("SIGTERM");
      forceKill ??= setTimeout(() => child.kill("SIGKILL"), FORCE_KILL_AFTER_MS).unref();
    };
    const timer = opts.timeoutMs !== void 0 ? setTimeout(() => {
      timedOut = true;
      stop();
    }, opts.timeoutMs) : void 0;
    const onAbort = () => {
      cancelled = true;
      stop();
    };
    if (opts.signal?.aborted) onAbort();
    else opts.signal?.addEventListener("abort", onAbort, { once: true });
    if (!exitHook) {
      exitHook = true;
      process.once("exit", () => {
        for (const c of live) c.kill("SIGTERM");
      });
    }
    live.add(child);
    child.once("exit", () => {
      if (!timedOut && !cancelled) return;
      child.stdout?.destroy();
      child.stderr?.destroy();
    });
    let startError;
    child.once("error", (e) => {
      if (child.pid === void 0) startError = e;
    });
    child.once("close", (code, signal) => {
      live.delete(child);
      if (timer) clearTimeout(timer);
      if (forceKill) clearTimeout(forceKill);
      opts.signal?.removeEventListener("abort", onAbort);
      if (startError) {
        resolve2(failedStart(startError));
        return;
      }
      const signalled = signal ? 128 + (constants.signals[signal] ?? 15) : void 0;
      resolve2({
        exitCode: code ?? signalled ?? 1,
        stdout: Buffer.concat(out),
        stderr: Buffer.concat(err),
        timedOut,
        cancelled
      });
    });
  });
}
function failedStart(e) {
  return {
    exitCode: 1,
    stdout: Buffer.alloc(0),
    stderr: Buffer.alloc(0),
    startError: e,
    timedOut: false,
    cancelled: false
  };
}

// src/engine/git/exec.ts
var DEFAULT_IDENTITY = {
  name: "claude-tasks[bot]",
  email: "claude-tasks[bot]@users.noreply.github.com"
};
var LOCATING_VARS = [
  "GIT_DIR",
  "GIT_WORK_TREE",
  "GIT_INDEX_FILE",
  "GIT_OBJECT_DIRECTORY",
  "GIT_ALTERNATE_OBJECT_DIRECTORIES",
  "GIT_COMMON_DIR",
  "GIT_NAMESPACE",
  "GIT_PREFIX",
  "GIT_QUARANTINE_PATH"
];
function gitEnv(identity, extra = {}, base = process.env) {
  const dropped = Object.fromEntries(LOCATING_VARS.map((name) => [name, void 0]));
  return processEnv(
    base,
    dropped,
    C_LOCALE,
    {
      GIT_TERMINAL_PROMPT: "0",
      GIT_PAGER: "cat",
      PAGER: "cat",
      GIT_EDITOR: "true",
      GIT_SEQUENCE_EDITOR: "true",
      GIT_MERGE_AUTOEDIT: "no",
      GIT_OPTIONAL_LOCKS: "0",
      GIT_ASKPASS: "",
      SSH_ASKPASS: "",
      GIT_AUTHOR_NAME: identity.name,
      GIT_AUTHOR_EMAIL: identity.email,
      GIT_COMMITTER_NAME: identity.name,
      GIT_COMMITTER_EMAIL: identity.email
    },
    extra
  );
}
function redactArgs(args) {
  return args.map(
    (a) => redactText(a).replace(/^(http\..*extraheader=)(.*)$/i, "$1***").replace(/^(AUTHORIZATION:\s*)(.*)$/i, "$1***")
  );
}
function redactText(text) {
  return text.replace(/(\w+:\/\/)[^/@\s'"]+@/g, "$1***@");
}
function createGit(opts) {
  const identity = opts.identity ?? DEFAULT_IDENTITY;
  const logger = opts.logger ?? silentLogger;
  const env = gitEnv(identity, opts.env);
  const bin = opts.bin ?? "git";
  const prefix = [
    "-c",
    "commit.gpgSign=false",
    "-c",
    "tag.gpgSign=false",
    "-c",
    "core.quotePath=false",
    // fsmonitor runs a configured program on index operations: never from the engine's git.
    "-c",
    "core.fsmonitor=false",
    // no `git maintenance run --auto` after a fetch or commit: housekeeping is the user's (or GitHub's),
    // not a wait inside a run
    "-c",
    "maintenance.auto=false"
  ];
  if (!opts.hooks) prefix.push("-c", "core.hooksPath=/dev/null");
  const authEnv = opts.authEnv ? processEnv(opts.authEnv) : void 0;
  const untrustedEnv = gitEnv(identity, { ...opts.env, ...UNTRUSTED_ENV });
  async function exec(cwd, args, o = {}, untrusted = false) {
    const shown = redactArgs(args);
    const started = Date.now();
    const base = untrusted ? untrustedEnv : authEnv && NETWORK.has(subcommandOf(args)) ? { ...env, ...authEnv } : env;
    const r = await runCommand(bin, [...prefix, ...untrusted ? UNTRUSTED_CONFIG : [], ...args], {
      cwd,
      env: o.env ? processEnv(base, o.env) : base,
      ...o.input !== void 0 ? { input: o.input } : {},
      ...o.stdoutFile !== void 0 ? { stdoutFile: o.stdoutFile } : {},
      ...o.signal ? { signal: o.signal } : {}
    });
    if (r.startError?.code === "ENOENT") {
      const message = `cannot run ${bin} in ${cwd}: no such program or directory`;
      throw Object.assign(new Error(message), { code: "ENOENT" });
    }
    if (r.startError) throw r.startError;
    if (r.cancelled)
      throw Object.assign(new Error("git was cancelled"), { name: "AbortError", code: "ABORT_ERR" });
    const exitCode = r.exitCode;
    const stderr = redactText(r.stderr.toString("utf8"));
    logger.debug(`git ${shown.join(" ")} \u2192 ${exitCode} (${Date.now() - started} ms)`);
    if (exitCode !== 0 && !o.allowFailure) throw new GitError({ args: shown, exitCode, stderr, cwd });
    return { stdout: r.stdout, stderr, exitCode };
  }
  const make = (cwd, untrusted = false) => ({
    cwd,
    identity,
    async run(args, o) {
      const r = await exec(cwd, args, o, untrusted);
      return { ...r, stdout: r.stdout.toString("utf8") };
    },
    runBuffer: (args, o) => exec(cwd, args, o, untrusted),
    at: (dir, o) => make(dir, untrusted || o?.untrusted === true)
  });
  return make(opts.cwd);
}
var NETWORK = /* @__PURE__ */ new Set(["fetch", "push", "ls-remote", "pull", "clone"]);
var UNTRUSTED_ENV = {
  GIT_CONFIG_NOSYSTEM: "1",
  GIT_CONFIG_GLOBAL: "/dev/null",
  GIT_ATTR_NOSYSTEM: "1",
  GIT_CONFIG_COUNT: void 0,
  GIT_CONFIG_PARAMETERS: void 0
};
var UNTRUSTED_CONFIG = [
  "-c",
  "core.attributesFile=/dev/null",
  "-c",
  "core.untrackedCache=false",
  // never step into a repository the agent made inside its worktree (its config is the agent's)
  "-c",
  "submodule.recurse=false",
  "-c",
  "diff.ignoreSubmodules=dirty",
  "-c",
  "status.submoduleSummary=false"
];
function subcommandOf(args) {
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === "-c" || a === "-C" || a === "--git-dir" || a === "--work-tree") {
      i++;
      continue;
    }
    if (!a.startsWith("-")) return a;
  }
  return "";
}
function splitZ(s) {
  const parts = s.split("\0");
  if (parts.at(-1) === "") parts.pop();
  return parts;
}

// src/engine/missing.ts
function isCode(err, code) {
  return typeof err === "object" && err !== null && err.code === code;
}
function isMissing(err) {
  return isCode(err, "ENOENT") || isCode(err, "ENOTDIR");
}
async function orIfMissing(read, fallback, alsoCodes = []) {
  try {
    return await read;
  } catch (err) {
    if (isMissing(err) || alsoCodes.some((code) => isCode(err, code))) return fallback;
    throw err;
  }
}

// src/engine/git/paths.ts
import { createHash } from "node:crypto";
import { homedir, tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
var STATE_DIR_NAME = "claude-tasks";
var commonDirs = /* @__PURE__ */ new Map();
function noteCommonDir(workTree, commonDir) {
  commonDirs.set(workTree, commonDir);
}
async function stateDir(git) {
  const known = commonDirs.get(git.cwd);
  if (known) return join(known, STATE_DIR_NAME);
  const r = await git.run(["rev-parse", "--path-format=absolute", "--git-common-dir"]);
  return join(r.stdout.trim(), STATE_DIR_NAME);
}
function worktreesDir(state, env = process.env) {
  const home = (() => {
    try {
      return homedir();
    } catch {
      return "";
    }
  })();
  const root = env.CLAUDE_TASKS_WORKTREES || (env.RUNNER_TEMP ? join(env.RUNNER_TEMP, "claude-tasks", "worktrees") : "") || (home ? join(env.XDG_CACHE_HOME || join(home, ".cache"), "claude-tasks", "worktrees") : "") || join(tmpdir(), "claude-tasks", "worktrees");
  const repo = basename(dirname(dirname(state))).replace(/[^A-Za-z0-9._-]/g, "_") || "repo";
  const id = createHash("sha256").update(state).digest("hex").slice(0, 10);
  return join(root, `${repo}-${id}`);
}
var backupsDir = (state) => join(state, "backups");
var sandboxesDir = (state) => join(state, "sandbox");
var SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
function assertSafeName(kind, name) {
  if (!SAFE_NAME.test(name) || name.includes("..") || name.endsWith(".lock")) {
    throw new Error(`invalid ${kind} ${JSON.stringify(name)}: use letters, digits, '.', '_' and '-'`);
  }
  return name;
}

// src/engine/git/backup.ts
import { createHash as createHash2, randomBytes } from "node:crypto";
import { createReadStream } from "node:fs";
import { mkdir, open, readdir, readFile, rename, rm, stat } from "node:fs/promises";
import { join as join2 } from "node:path";

// src/engine/order.ts
function compareCodeUnits(a, b) {
  return a < b ? -1 : a > b ? 1 : 0;
}

// src/engine/git/diff-text.ts
function diffPath(header) {
  let p = header.replace(/\t.*$/, "");
  if (p.startsWith('"') && p.endsWith('"')) p = unquoteC(p.slice(1, -1));
  if (p === "/dev/null") return "";
  return p.replace(/^[ab]\//, "");
}
function unquoteC(s) {
  const bytes = [];
  const esc = { n: 10, t: 9, r: 13, a: 7, b: 8, f: 12, v: 11, '"': 34, "\\": 92 };
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (ch !== "\\") {
      bytes.push(...Buffer.from(ch, "utf8"));
      continue;
    }
    const nx = s[i + 1] ?? "";
    if (/[0-7]/.test(nx)) {
      bytes.push(Number.parseInt(s.slice(i + 1, i + 4), 8));
      i += 3;
    } else {
      bytes.push(esc[nx] ?? nx.charCodeAt(0));
      i += 1;
    }
  }
  return Buffer.from(bytes).toString("utf8");
}
function countDiffLines(diff) {
  const counts = /* @__PURE__ */ new Map();
  let oldPath = "";
  let cur;
  let inHunk = false;
  for (const line of diff.split("\n")) {
    if (line.startsWith("diff --git ")) {
      inHunk = false;
      cur = void 0;
      oldPath = "";
    } else if (!inHunk && line.startsWith("--- ")) {
      oldPath = diffPath(line.slice(4));
    } else if (!inHunk && line.startsWith("+++ ")) {
      const path = diffPath(line.slice(4)) || oldPath;
      cur = { additions: 0, deletions: 0 };
      counts.set(path, cur);
    } else if (line.startsWith("@@ ")) {
      inHunk = true;
    } else if (inHunk && cur) {
      if (line.startsWith("+")) cur.additions++;
      else if (line.startsWith("-")) cur.deletions++;
    }
  }
  return counts;
}
var PIECE = 4096;
var OVERLAP = 512;
function binaryLines(next, prev) {
  const newLines = next.toString("latin1").split("\n");
  const oldLines = prev.length > 0 ? prev.toString("latin1").split("\n") : [];
  const oldSet = new Set(oldLines);
  const newText = multiset(newLines.map(stripNul).filter(isTextLine));
  const oldText = multiset(oldLines.map(stripNul).filter(isTextLine));
  let additions = 0;
  let deletions = 0;
  for (const [l, n] of newText) additions += Math.max(0, n - (oldText.get(l) ?? 0));
  for (const [l, n] of oldText) deletions += Math.max(0, n - (newText.get(l) ?? 0));
  const added = [];
  newLines.forEach((text, i) => {
    if (text === "" || oldSet.has(text)) return;
    const variants = text.includes("\0") ? [text, stripNul(text)] : [text];
    for (const v of variants) {
      if (v.length <= PIECE) added.push({ line: i + 1, text: v });
      else
        for (let at = 0; at < v.length; at += PIECE - OVERLAP)
          added.push({ line: i + 1, text: v.slice(at, at + PIECE) });
    }
  });
  return { additions, deletions, added };
}
var stripNul = (s) => s.includes("\0") ? s.replaceAll("\0", "") : s;
var TEXT_LINE = /^(?:[\t\x20-\x7e]|[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3})+\r?$/;
function isTextLine(s) {
  return s.length > 0 && TEXT_LINE.test(s);
}
function multiset(lines) {
  const m = /* @__PURE__ */ new Map();
  for (const l of lines) m.set(l, (m.get(l) ?? 0) + 1);
  return m;
}

// src/engine/git/refs.ts
async function resolveCommit(git, rev) {
  const r = await git.run(["rev-parse", "--verify", "--quiet", "--end-of-options", `${rev}^{commit}`], {
    allowFailure: true
  });
  return r.exitCode === 0 ? r.stdout.trim() : void 0;
}
var verified = /* @__PURE__ */ new Set();
var FULL_OID = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;
var isSha = (v) => typeof v === "string" && FULL_OID.test(v);
async function requireCommit(git, rev) {
  if (FULL_OID.test(rev) && verified.has(rev)) return rev;
  const oid = await resolveCommit(git, rev);
  if (!oid) throw new Error(`${rev} does not name a commit in ${git.cwd}`);
  if (verified.size > 1e4) verified.clear();
  verified.add(oid);
  return oid;
}
function noteCommit(oid) {
  if (!FULL_OID.test(oid)) return;
  if (verified.size > 1e4) verified.clear();
  verified.add(oid);
}
async function isAncestor(git, ancestor, descendant) {
  const r = await git.run(["merge-base", "--is-ancestor", ancestor, descendant], { allowFailure: true });
  if (r.exitCode === 0) return true;
  if (r.exitCode === 1) return false;
  await git.run(["merge-base", "--is-ancestor", ancestor, descendant]);
  return false;
}
function branchRef(branch) {
  return branch.startsWith("refs/") ? branch : `refs/heads/${branch}`;
}
function shortBranch(ref) {
  if (ref.startsWith("refs/heads/")) return ref.slice("refs/heads/".length);
  const remote = /^refs\/remotes\/[^/]+\/(.+)$/.exec(ref);
  if (remote) return remote[1];
  return ref.replace(/^refs\//, "");
}
async function isDirty(git) {
  const r = await git.run([
    "status",
    "--porcelain=v1",
    "-z",
    "--untracked-files=all",
    "--ignore-submodules=dirty"
  ]);
  return r.stdout.length > 0;
}

// src/engine/git/changes.ts
var MODE = {
  file: "100644",
  executable: "100755",
  symlink: "120000",
  submodule: "160000",
  none: "000000"
};
var DIFF_MEMORY_CAP = 128 * 2 ** 20;
var DIFF_FLAGS = [
  "--no-color",
  "--no-ext-diff",
  "--no-textconv",
  "--no-relative",
  "--find-renames",
  "--ignore-submodules=none"
];
async function collectChanges(opts) {
  const { git } = opts;
  const cap = opts.memoryCap ?? DIFF_MEMORY_CAP;
  const base = await requireCommit(git, opts.base);
  const { tree, unstaged } = await stageTree(git);
  const both = await git.run(["diff", "--raw", "--numstat", "-z", "--no-abbrev", ...DIFF_FLAGS, base, tree]);
  const fields = splitZ(both.stdout);
  const raw = rawRecords(fields, 0, { untilNumstat: true });
  const files = raw.entries;
  applyNumstat(files, numstatRecords(fields, raw.next));
  const sizes = await blobSizes(git, files);
  let bytes = 0;
  let weight = 0;
  for (const f of files) {
    const newSize = sizes.get(f.newBlob);
    const oldSize = sizes.get(f.oldBlob) ?? 0;
    if (newSize !== void 0) f.change.size = newSize;
    if (newSize !== void 0 && f.newBlob !== f.oldBlob) bytes += newSize;
    weight += (newSize ?? 0) + oldSize;
  }
  await Promise.all(
    files.filter((f) => f.change.newMode === MODE.symlink && (sizes.get(f.newBlob) ?? 0) <= cap).map(async (f) => {
      f.change.symlinkTarget = (await git.run(["cat-file", "blob", f.newBlob])).stdout;
    })
  );
  const result = {
    base,
    tree,
    files: files.map((f) => f.change),
    additions: 0,
    deletions: 0,
    totalLines: 0,
    bytes,
    patch: Buffer.alloc(0),
    textDiff: "",
    binaryLines: [],
    unstaged
  };
  if (weight > cap) {
    result.oversized = { bytes: weight, cap };
  } else {
    result.patch = await diffPatch(git, [base, tree]);
    const binary = await readBinaries(git, files);
    result.textDiff = await unmaskText(git, base, tree, binary.masked);
    result.binaryLines = binary.lines;
  }
  result.additions = result.files.reduce((n, f) => n + f.additions, 0);
  result.deletions = result.files.reduce((n, f) => n + f.deletions, 0);
  result.totalLines = result.additions + result.deletions;
  return result;
}
async function stageTree(repoGit) {
  const git = repoGit.at(repoGit.cwd, { untrusted: true });
  const add = await git.run(["add", "-A", "--ignore-errors", "--", "."], { allowFailure: true });
  let unstaged = [];
  if (add.exitCode !== 0) {
    const [others, modified] = await Promise.all([
      git.run(["ls-files", "-z", "--others", "--exclude-standard", "--directory"]),
      git.run(["ls-files", "-z", "--modified"])
    ]);
    unstaged = [.../* @__PURE__ */ new Set([...splitZ(others.stdout), ...splitZ(modified.stdout)])];
    if (unstaged.length === 0) await git.run(["add", "-A", "--", "."]);
  }
  const tree = (await git.run(["write-tree"])).stdout.trim();
  return { tree, unstaged };
}
async function treeWeight(git, base, tree) {
  const raw = await git.run(["diff", "--raw", "-z", "--no-abbrev", ...DIFF_FLAGS, base, tree]);
  const files = parseRaw(raw.stdout);
  const sizes = await blobSizes(git, files);
  return files.reduce((n, f) => n + (sizes.get(f.oldBlob) ?? 0) + (sizes.get(f.newBlob) ?? 0), 0);
}
async function blobSizes(git, files) {
  const isBlob = (mode) => mode !== MODE.none && mode !== MODE.submodule;
  const oids = /* @__PURE__ */ new Set();
  for (const f of files) {
    if (isBlob(f.change.oldMode)) oids.add(f.oldBlob);
    if (isBlob(f.change.newMode)) oids.add(f.newBlob);
  }
  const sizes = /* @__PURE__ */ new Map();
  if (oids.size === 0) return sizes;
  const r = await git.run(["cat-file", "--batch-check=%(objectname) %(objectsize)"], {
    input: `${[...oids].join("\n")}
`
  });
  for (const line of r.stdout.split("\n")) {
    const [oid, size] = line.split(" ");
    if (oid && size && /^\d+$/.test(size)) sizes.set(oid, Number(size));
  }
  return sizes;
}
async function readBinaries(git, files) {
  const masked = [];
  const lines = [];
  for (const f of files.filter((x) => x.change.binary)) {
    const [oldBlob, newBlob] = await Promise.all([readBlob(git, f.oldBlob), readBlob(git, f.newBlob)]);
    if (!isBinary(oldBlob) && !isBinary(newBlob)) {
      masked.push(f);
      continue;
    }
    const b = binaryLines(newBlob, oldBlob);
    f.change.additions = b.additions;
    f.change.deletions = b.deletions;
    for (const l of b.added) lines.push({ file: f.change.path, ...l });
  }
  return { masked, lines };
}
var isBinary = (blob) => blob.subarray(0, 8e3).includes(0);
async function readBlob(git, oid) {
  if (/^0+$/.test(oid)) return Buffer.alloc(0);
  return (await git.runBuffer(["cat-file", "blob", oid])).stdout;
}
async function unmaskText(git, base, tree, masked) {
  if (masked.length === 0) return "";
  const paths = masked.flatMap(
    (f) => f.change.oldPath ? [f.change.oldPath, f.change.path] : [f.change.path]
  );
  const pathspec = paths.map((p) => `:(literal)${p}`);
  const diff = await git.run(["diff", "--text", ...DIFF_FLAGS, base, tree, "--", ...pathspec]);
  const counts = countDiffLines(diff.stdout);
  for (const f of masked) {
    const c = counts.get(f.change.path);
    f.change.binary = false;
    f.change.additions = c?.additions ?? 0;
    f.change.deletions = c?.deletions ?? 0;
  }
  return diff.stdout;
}
var PATCH_FLAGS = ["diff", "--binary", "--full-index", "--src-prefix=a/", "--dst-prefix=b/", ...DIFF_FLAGS];
async function diffPatch(git, args) {
  const r = await git.runBuffer([...PATCH_FLAGS, ...args]);
  return r.stdout;
}
async function writePatchFile(git, args, file) {
  await git.run([...PATCH_FLAGS, ...args], { stdoutFile: file });
}
var STATUS = {
  A: "added",
  M: "modified",
  D: "deleted",
  R: "renamed",
  C: "copied",
  T: "type-changed"
};
function parseRaw(out) {
  return rawRecords(splitZ(out), 0).entries;
}
function rawRecords(fields, start, how = {}) {
  const entries = [];
  let i = start;
  while (i < fields.length) {
    if (how.untilNumstat && !fields[i].startsWith(":")) break;
    const header = fields[i++];
    const m = /^:(\d{6}) (\d{6}) ([0-9a-f]+) ([0-9a-f]+) ([A-Z])(\d*)$/.exec(header);
    if (!m) throw new Error(`unexpected git diff --raw output: ${JSON.stringify(header)}`);
    const [oldMode, newMode, oldBlob, newBlob, letter, score] = [m[1], m[2], m[3], m[4], m[5], m[6]];
    const status = STATUS[letter];
    if (!status) throw new Error(`unexpected git diff status ${letter} for ${fields[i]}`);
    const twoPaths = letter === "R" || letter === "C";
    const oldPath = twoPaths ? fields[i++] : void 0;
    const path = fields[i++];
    const change = {
      path,
      status,
      binary: false,
      additions: 0,
      deletions: 0,
      oldMode,
      newMode
    };
    if (oldPath !== void 0) {
      change.oldPath = oldPath;
      change.similarity = Number(score);
    }
    if (oldMode !== MODE.none && newMode !== MODE.none && oldMode !== newMode && status !== "type-changed") {
      change.modeChange = { from: oldMode, to: newMode };
    }
    entries.push({ change, oldBlob, newBlob });
  }
  return { entries, next: i };
}
function numstatRecords(fields, start) {
  const entries = [];
  for (let i = start; i < fields.length; ) {
    const head = fields[i++];
    const m = /^(-|\d+)\t(-|\d+)\t(.*)$/s.exec(head);
    if (!m) throw new Error(`unexpected git diff --numstat output: ${JSON.stringify(head)}`);
    let path = m[3];
    if (path === "") {
      i++;
      path = fields[i++];
    }
    const num = (s) => s === "-" ? void 0 : Number(s);
    entries.push({ path, additions: num(m[1]), deletions: num(m[2]) });
  }
  return entries;
}
function applyNumstat(files, stats) {
  const byPath = new Map(stats.map((s) => [s.path, s]));
  for (const { change } of files) {
    const s = byPath.get(change.path);
    if (!s) continue;
    if (s.additions === void 0 || s.deletions === void 0) {
      change.binary = true;
    } else {
      change.additions = s.additions;
      change.deletions = s.deletions;
    }
  }
}

// src/engine/git/backup.ts
var PATCH_FILE = "changes.patch";
var META_FILE = "meta.json";
async function writeBackup(opts) {
  assertSafeName("run id", opts.runId);
  assertSafeName("task", opts.task);
  const root = backupsDir(opts.stateDir);
  await mkdir(root, { recursive: true });
  const inFile = Buffer.isBuffer(opts.patch) ? void 0 : opts.patch.file;
  const facts = inFile ? await fileFacts(inFile) : void 0;
  const sha = facts?.sha ?? createHash2("sha256").update(opts.patch).digest("hex");
  const patchBytes = facts?.bytes ?? opts.patch.length;
  const baseId = `${opts.runId}-${opts.task}`;
  for (let n = 1; n < 1e3; n++) {
    const id = n === 1 ? baseId : `${baseId}-${n}`;
    const dir = join2(root, id);
    const existing = await inspectBackup(opts.stateDir, id);
    if (existing && "damaged" in existing) continue;
    if (existing) {
      if (existing.meta.patchSha256 === sha && existing.meta.base === opts.base) {
        if (inFile) await rm(inFile, { force: true });
        return existing;
      }
      continue;
    }
    const meta = {
      version: 1,
      id,
      task: opts.task,
      runId: opts.runId,
      base: opts.base,
      createdAt: (opts.now ?? /* @__PURE__ */ new Date()).toISOString(),
      reason: opts.reason,
      files: facts?.files ?? countFiles(opts.patch),
      patchBytes,
      patchSha256: sha,
      ...opts.details ? { details: opts.details } : {}
    };
    const tmp = join2(root, `.tmp-${id}-${process.pid}-${randomBytes(4).toString("hex")}`);
    await mkdir(tmp);
    try {
      if (inFile) await rename(inFile, join2(tmp, PATCH_FILE));
      else await writeDurable(join2(tmp, PATCH_FILE), opts.patch);
      await writeDurable(join2(tmp, META_FILE), `${JSON.stringify(meta, null, 2)}
`);
      await rename(tmp, dir);
    } catch (err) {
      await rm(tmp, { recursive: true, force: true });
      if (isCode(err, "ENOTEMPTY") || isCode(err, "EEXIST")) continue;
      throw err;
    }
    return { id, dir, patchPath: join2(dir, PATCH_FILE), size: patchBytes, meta };
  }
  throw new Error(`too many backups named ${baseId} in ${root}`);
}
async function readBackup(stateDir2, id) {
  assertSafeName("backup id", id);
  const dir = join2(backupsDir(stateDir2), id);
  const meta = JSON.parse(await readFile(join2(dir, META_FILE), "utf8"));
  const patchPath = join2(dir, PATCH_FILE);
  const { size } = await stat(patchPath);
  return { id, dir, patchPath, size, meta };
}
async function inspectBackup(stateDir2, id) {
  try {
    return await readBackup(stateDir2, id);
  } catch (err) {
    if (isMissing(err) && !await exists(join2(backupsDir(stateDir2), id))) return void 0;
    return { damaged: errorMessage(err) };
  }
}
async function listBackups(stateDir2) {
  let names;
  try {
    names = await readdir(backupsDir(stateDir2));
  } catch (err) {
    if (isCode(err, "ENOENT")) return [];
    throw err;
  }
  const all = await Promise.all(
    names.filter((n) => !n.startsWith(".")).map((n) => inspectBackup(stateDir2, n))
  );
  return all.filter((b) => b !== void 0 && !("damaged" in b)).sort((a, b) => compareCodeUnits(b.meta.createdAt, a.meta.createdAt) || compareCodeUnits(b.id, a.id));
}
async function damagedBackups(stateDir2) {
  const names = await orIfMissing(readdir(backupsDir(stateDir2)), []);
  const damaged = [];
  for (const n of names.filter((x) => !x.startsWith(".")).sort()) {
    const found = await inspectBackup(stateDir2, n);
    if (found && "damaged" in found) damaged.push(n);
  }
  return damaged;
}
var BACKUP_MAX_BYTES = 2 ** 30;
var NoBackupError = class extends Error {
};
async function writeTreeBackup(opts) {
  const { git, tree, patch, weight: known, ...rest } = opts;
  if (patch && patch.length > 0) return writeBackup({ ...rest, patch });
  const weight = known ?? await treeWeight(git, rest.base, tree);
  if (weight <= DIFF_MEMORY_CAP)
    return writeBackup({ ...rest, patch: await diffPatch(git, [rest.base, tree]) });
  if (weight > BACKUP_MAX_BYTES) {
    throw new NoBackupError(
      `the change weighs ${(weight / 2 ** 30).toFixed(1)} GB, more than the ${BACKUP_MAX_BYTES / 2 ** 30} GB a backup keeps`
    );
  }
  const root = backupsDir(rest.stateDir);
  await mkdir(root, { recursive: true });
  const file = join2(root, `.stream-${process.pid}-${randomBytes(4).toString("hex")}`);
  try {
    await writePatchFile(git, [rest.base, tree], file);
  } catch (err) {
    await rm(file, { force: true });
    throw new NoBackupError(
      `git could not write its patch (${err instanceof Error ? err.message.split("\n")[0] : String(err)})`
    );
  }
  return writeBackup({ ...rest, patch: { file } });
}
function writeChangeBackup(opts) {
  const { change, ...rest } = opts;
  return writeTreeBackup({
    ...rest,
    base: change.base,
    tree: change.tree,
    patch: change.patch,
    ...change.oversized ? { weight: change.oversized.bytes } : {}
  });
}
async function readPatchText(path, maxBytes = 4 * 2 ** 20) {
  const fh = await open(path, "r");
  try {
    const { size } = await fh.stat();
    const buf = Buffer.alloc(Math.min(size, maxBytes));
    await fh.read(buf, 0, buf.length, 0);
    const text = buf.toString("utf8");
    return size > maxBytes ? `${text}
\u2026 (the patch is ${size.toLocaleString("en-US")} bytes; cut here)
` : text;
  } finally {
    await fh.close();
  }
}
async function fileFacts(file) {
  const hash = createHash2("sha256");
  const header = Buffer.from("\ndiff --git ");
  let bytes = 0;
  let files = 0;
  let carry = Buffer.alloc(0);
  for await (const chunk of createReadStream(file)) {
    if (bytes === 0 && chunk.subarray(0, header.length - 1).equals(header.subarray(1))) files++;
    hash.update(chunk);
    bytes += chunk.length;
    const buf = Buffer.concat([carry, chunk]);
    for (let i = buf.indexOf(header); i !== -1; i = buf.indexOf(header, i + 1)) {
      if (i + header.length > carry.length) files++;
    }
    carry = Buffer.from(buf.subarray(Math.max(0, buf.length - (header.length - 1))));
  }
  return { sha: hash.digest("hex"), bytes, files };
}
function countFiles(patch) {
  let n = 0;
  let i = patch.indexOf("diff --git ");
  while (i !== -1) {
    if (i === 0 || patch[i - 1] === 10) n++;
    i = patch.indexOf("diff --git ", i + 1);
  }
  return n;
}
async function writeDurable(path, data) {
  const fh = await open(path, "wx");
  try {
    await fh.writeFile(data);
    await fh.sync();
  } finally {
    await fh.close();
  }
}
async function exists(path) {
  return await orIfMissing(stat(path), void 0) !== void 0;
}

// src/engine/git/worktree.ts
import { mkdir as mkdir2, open as open2, readdir as readdir3, readFile as readFile2, realpath, rm as rm3, stat as stat2 } from "node:fs/promises";
import { hostname } from "node:os";
import { basename as basename2, join as join4, resolve, sep } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

// src/engine/remove-tree.ts
import { chmod, lstat, readdir as readdir2, rm as rm2 } from "node:fs/promises";
import { join as join3 } from "node:path";
async function removeTree(path) {
  try {
    await rm2(path, { recursive: true, force: true });
    return;
  } catch (err) {
    if (!isCode(err, "EACCES") && !isCode(err, "EPERM")) throw err;
  }
  await restoreRights(path);
  await rm2(path, { recursive: true, force: true });
}
async function restoreRights(dir) {
  const st = await lstat(dir).catch(() => void 0);
  if (!st?.isDirectory()) return;
  await chmod(dir, 448).catch(() => {
  });
  const entries = await readdir2(dir, { withFileTypes: true }).catch(() => []);
  for (const e of entries) if (e.isDirectory()) await restoreRights(join3(dir, e.name));
}

// src/engine/git/worktree.ts
var locksDir = (state) => join4(state, "locks");
var lockPath = (state, name) => join4(locksDir(state), `${name}.json`);
async function adminDirOf(worktree) {
  const line = /^gitdir: (.+)$/m.exec(await readFile2(join4(worktree, ".git"), "utf8"));
  if (!line) throw new Error(`${join4(worktree, ".git")} does not name the worktree's git directory`);
  return resolve(worktree, line[1].trim());
}
var FULL_ID = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;
async function createWorktree(opts) {
  const { git } = opts;
  const logger = opts.logger ?? silentLogger;
  assertSafeName("task", opts.task);
  assertSafeName("run id", opts.runId);
  const baseCommit = FULL_ID.test(opts.base) ? opts.base : await requireCommit(git, opts.base);
  const state = opts.stateDir ?? await stateDir(git);
  await mkdir2(worktreesDir(state), { recursive: true });
  await mkdir2(locksDir(state), { recursive: true });
  const name = `${opts.task}-${opts.runId}`;
  const path = join4(await realpath(worktreesDir(state)), name);
  const lockFile = lockPath(state, name);
  const lock = {
    pid: process.pid,
    processStart: Math.round(performance.timeOrigin),
    hostname: hostname(),
    task: opts.task,
    runId: opts.runId,
    base: baseCommit,
    branch: opts.branch,
    path,
    createdAt: (/* @__PURE__ */ new Date()).toISOString()
  };
  const fh = await open2(lockFile, "wx").catch((err) => {
    if (isCode(err, "EEXIST"))
      throw new Error(`a worktree for ${opts.task} in run ${opts.runId} already exists`);
    throw err;
  });
  let failed;
  try {
    await fh.writeFile(`${JSON.stringify(lock, null, 2)}
`);
  } catch (err) {
    failed = err;
  }
  try {
    await fh.close();
  } catch (err) {
    failed ??= err;
  }
  if (failed !== void 0) {
    await rm3(lockFile, { force: true });
    throw failed;
  }
  try {
    await addWorktree(git, state, path, baseCommit);
  } catch (err) {
    await rm3(lockFile, { force: true });
    throw err;
  }
  noteCommit(baseCommit);
  logger.debug(`created worktree ${path} at ${baseCommit.slice(0, 12)}`);
  let removal;
  let saved = false;
  const wt = {
    path,
    // The agent writes this directory: the engine reads it with no system or global git config.
    git: git.at(path, { untrusted: true }),
    task: opts.task,
    runId: opts.runId,
    branch: opts.branch,
    baseCommit,
    stateDir: state,
    markSaved() {
      saved = true;
    },
    remove() {
      removal ??= removeWorktree({
        git,
        path,
        saved,
        lock,
        lockFile,
        stateDir: state,
        logger,
        reason: "before worktree removal"
      });
      return removal;
    },
    async [Symbol.asyncDispose]() {
      await wt.remove();
    }
  };
  return wt;
}
var worktreeQueues = /* @__PURE__ */ new Map();
function oneAtATime(key, fn) {
  const next = (worktreeQueues.get(key) ?? Promise.resolve()).then(fn);
  const settled = next.then(
    () => {
    },
    () => {
    }
  );
  worktreeQueues.set(key, settled);
  void settled.then(() => {
    if (worktreeQueues.get(key) === settled) worktreeQueues.delete(key);
  });
  return next;
}
var CONCURRENT_ADMIN_FILES = /worktrees\/[^/\s]+\/(?:commondir|gitdir|HEAD|locked)\b/;
async function addWorktree(git, key, path, commit) {
  const args = ["worktree", "add", "--detach", "--", path, commit];
  for (let attempt = 1; ; attempt++) {
    const r = await oneAtATime(key, () => git.run(args, { allowFailure: true }));
    if (r.exitCode === 0) return;
    if (attempt >= 4 || !CONCURRENT_ADMIN_FILES.test(r.stderr)) {
      throw new GitError({ args, exitCode: r.exitCode, stderr: r.stderr, cwd: git.cwd });
    }
    await rm3(path, { recursive: true, force: true });
    await sleep(50 * attempt);
  }
}
async function removeWorktree(o) {
  let backup;
  try {
    backup = o.saved ? void 0 : await backupWork(o);
  } catch (err) {
    if (!(err instanceof NoBackupError)) {
      o.logger.error(`could not back up ${o.path}, so it was kept: ${errorMessage(err)}`);
      return { removed: false };
    }
    o.logger.error(`removed ${o.path} without a backup: ${errorMessage(err)}`);
  }
  const r = await oneAtATime(
    o.stateDir,
    () => o.git.run(["worktree", "remove", "--force", "--", o.path], { allowFailure: true })
  );
  if (r.exitCode !== 0) {
    o.logger.debug(`git worktree remove failed (${r.stderr.trim()}); deleting the directory instead`);
    await removeTree(o.path);
    await oneAtATime(o.stateDir, () => o.git.run(["worktree", "prune"]));
  }
  await rm3(o.lockFile, { force: true });
  o.logger.debug(`removed worktree ${o.path}${backup ? ` (backup ${backup.id})` : ""}`);
  return { removed: true, ...backup ? { backup } : {} };
}
async function backupWork(o) {
  const wt = o.git.at(o.path, { untrusted: true });
  if (!await isDirty(wt) && !await hasUnreachableCommits(wt)) return void 0;
  const { tree } = await stageTree(wt);
  const same = await wt.run(["diff", "--quiet", "--no-ext-diff", o.lock.base, tree], { allowFailure: true });
  if (same.exitCode === 0) return void 0;
  return writeTreeBackup({
    git: wt,
    tree,
    stateDir: o.stateDir,
    runId: o.lock.runId,
    task: o.lock.task,
    base: o.lock.base,
    reason: o.reason,
    details: { branch: o.lock.branch, worktree: o.path }
  });
}
async function hasUnreachableCommits(wt) {
  const r = await wt.run([
    "rev-list",
    "-n1",
    "HEAD",
    "--not",
    "--branches",
    "--tags",
    "--remotes",
    "--glob=refs/claude-tasks/*"
  ]);
  return r.stdout.trim() !== "";
}
var LIST_ATTEMPTS = 4;
async function worktreeEntries(git, state) {
  const key = state ?? await stateDir(git);
  for (let attempt = 1; ; attempt++) {
    const last = attempt === LIST_ATTEMPTS;
    const r = await oneAtATime(
      key,
      () => git.run(["worktree", "list", "--porcelain", "-z"], { allowFailure: !last })
    );
    if (r.exitCode === 0) return parseWorktreeList(r.stdout);
    await sleep(20 * attempt);
  }
}
function parseWorktreeList(out) {
  const list = [];
  let cur;
  for (const line of out.split("\0")) {
    if (line === "") {
      if (cur) list.push(cur);
      cur = void 0;
      continue;
    }
    const [key, ...rest] = line.split(" ");
    const value = rest.join(" ");
    if (key === "worktree") {
      cur = { path: value, detached: false, main: list.length === 0, locked: false, prunable: false };
      continue;
    }
    if (!cur) continue;
    if (key === "HEAD") cur.head = value;
    else if (key === "branch") cur.branch = value;
    else if (key === "detached") cur.detached = true;
    else if (key === "locked") cur.locked = true;
    else if (key === "prunable") cur.prunable = true;
  }
  if (cur) list.push(cur);
  return list;
}
async function listWorktrees(git, opts = {}) {
  const state = opts.stateDir ?? await stateDir(git);
  const root = await realOrResolved(worktreesDir(state));
  const locks = await readLocks(state);
  const infos = [];
  for (const w of await worktreeEntries(git, state)) {
    const path = await realOrResolved(w.path);
    const ours = path.startsWith(root + sep);
    const lock = ours ? locks.get(path) : void 0;
    const stale = ours && (w.prunable || !lock || !await lockAlive(lock));
    infos.push({ ...w, path, ours, stale, ...lock ? { lock } : {} });
  }
  return infos;
}
async function pruneWorktrees(git, opts = {}) {
  const state = opts.stateDir ?? await stateDir(git);
  const logger = opts.logger ?? silentLogger;
  const stale = (await listWorktrees(git, { stateDir: state })).filter((w) => w.stale);
  const out = [];
  for (const w of stale) {
    const entry = { path: w.path, removed: true };
    if (w.lock) Object.assign(entry, { task: w.lock.task, runId: w.lock.runId });
    out.push(entry);
    if (opts.dryRun) continue;
    if (opts.stopProcesses && !w.prunable) {
      const stopped = await opts.stopProcesses(w.path);
      if (stopped.length > 0) entry.stoppedProcesses = stopped.length;
    }
    const name = basename2(w.path);
    const lock = w.lock ?? await guessLock(git, name, w);
    const res = w.prunable ? { removed: true } : await removeWorktree({
      git,
      path: w.path,
      lock,
      lockFile: lockPath(state, name),
      stateDir: state,
      logger,
      reason: "leftover worktree"
    });
    entry.removed = res.removed;
    if (res.backup) entry.backup = res.backup;
    if (!res.removed) entry.error = "the backup failed, so the worktree was kept";
    if (w.prunable) await rm3(lockPath(state, name), { force: true });
  }
  if (!opts.dryRun) {
    await git.run(["worktree", "prune"]);
    await removeOrphanLocks(git, state);
    await removeOrphanSandboxes(git, state);
  }
  return out;
}
async function removeOrphanSandboxes(git, state) {
  const dir = sandboxesDir(state);
  const names = await orIfMissing(readdir3(dir), []);
  if (names.length === 0) return;
  const registered = new Set((await worktreeEntries(git, state)).map((w) => basename2(w.path)));
  for (const name of names) if (!registered.has(name)) await removeTree(join4(dir, name));
}
async function guessLock(git, name, w) {
  const dash = name.lastIndexOf("-");
  const task = dash > 0 ? name.slice(0, dash) : name;
  const runId = dash > 0 ? name.slice(dash + 1) : "unknown";
  let base = w.head ?? "HEAD";
  const mb = await git.run(["merge-base", "HEAD", base], { allowFailure: true });
  if (mb.exitCode === 0 && mb.stdout.trim()) base = mb.stdout.trim();
  return { task: safeOr(task, "leftover"), runId: safeOr(runId, "unknown"), base, branch: "" };
}
function safeOr(name, fallback) {
  try {
    return assertSafeName("name", name);
  } catch {
    return fallback;
  }
}
async function readLocks(state) {
  const map = /* @__PURE__ */ new Map();
  let names = [];
  try {
    names = await readdir3(locksDir(state));
  } catch (err) {
    if (!isCode(err, "ENOENT")) throw err;
  }
  for (const n of names.filter((x) => x.endsWith(".json"))) {
    try {
      const lock = JSON.parse(await readFile2(join4(locksDir(state), n), "utf8"));
      map.set(await realOrResolved(lock.path), lock);
    } catch {
    }
  }
  return map;
}
async function removeOrphanLocks(git, state) {
  const registered = new Set(
    await Promise.all((await worktreeEntries(git, state)).map((w) => realOrResolved(w.path)))
  );
  const locks = await readLocks(state);
  for (const [path, lock] of locks) {
    if (!registered.has(path) && !await lockAlive(lock)) {
      await rm3(lockPath(state, `${lock.task}-${lock.runId}`), { force: true });
    }
  }
  const readable = new Set([...locks.values()].map((l) => `${l.task}-${l.runId}.json`));
  const names = new Set([...registered].map((p) => `${basename2(p)}.json`));
  for (const name of await orIfMissing(readdir3(locksDir(state)), [])) {
    if (!name.endsWith(".json") || readable.has(name) || names.has(name)) continue;
    const file = join4(locksDir(state), name);
    const written = await orIfMissing(stat2(file), void 0);
    if (written && Date.now() - written.mtimeMs > UNREADABLE_LOCK_GRACE_MS) await rm3(file, { force: true });
  }
}
var UNREADABLE_LOCK_GRACE_MS = 6e4;
var FOREIGN_HOST_MAX_AGE_MS = 24 * 60 * 60 * 1e3;
var START_TOLERANCE_MS = 3e4;
async function lockAlive(lock, now = Date.now()) {
  if (lock.hostname !== hostname()) return now - Date.parse(lock.createdAt) < FOREIGN_HOST_MAX_AGE_MS;
  if (lock.pid === process.pid) return true;
  try {
    process.kill(lock.pid, 0);
  } catch (err) {
    if (isCode(err, "ESRCH")) return false;
  }
  const started = await processStartTime(lock.pid);
  if (started !== void 0 && Math.abs(started - lock.processStart) > START_TOLERANCE_MS) return false;
  return true;
}
async function processStartTime(pid) {
  try {
    const stat3 = await readFile2(`/proc/${pid}/stat`, "utf8");
    const fields = stat3.slice(stat3.lastIndexOf(")") + 2).split(" ");
    const ticks = Number(fields[19]);
    const btime = /^btime (\d+)$/m.exec(await readFile2("/proc/stat", "utf8"));
    if (!btime || !Number.isFinite(ticks)) return void 0;
    return (Number(btime[1]) + ticks / 100) * 1e3;
  } catch {
    return void 0;
  }
}
async function realOrResolved(path) {
  return orIfMissing(realpath(path), resolve(path));
}

// src/engine/git/api-changes.ts
var API_LIMITS = {
  fileBytes: 10 * 1024 * 1024,
  totalBytes: 40 * 1024 * 1024,
  files: 2e3
};
var REGULAR = "100644";
var MODE_NAME = {
  "100755": "an executable file",
  "120000": "a symbolic link",
  "160000": "a submodule",
  "040000": "a directory"
};
async function apiFileChanges(opts) {
  const { git } = opts;
  const limits = opts.limits ?? API_LIMITS;
  const raw = await git.runBuffer([
    "diff-tree",
    "-r",
    "-z",
    "--raw",
    "--no-renames",
    "--no-abbrev",
    opts.parent,
    opts.commit
  ]);
  const fields = splitZ(raw.stdout.toString("latin1"));
  const reasons = [];
  const additions = [];
  const deletions = [];
  const decoder = new TextDecoder("utf-8", { fatal: true });
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const [oldMode, newMode, , blob, status] = fields[i].slice(1).split(" ");
    let path;
    try {
      path = decoder.decode(Buffer.from(fields[i + 1], "latin1"));
    } catch {
      reasons.push(`a path is not valid UTF-8 (${JSON.stringify(fields[i + 1])})`);
      continue;
    }
    if (status === "D") {
      if (oldMode === "160000") reasons.push(`\`${path}\` removes a submodule`);
      else deletions.push(path);
      continue;
    }
    const kind = MODE_NAME[newMode];
    if (newMode !== REGULAR) reasons.push(`\`${path}\` is ${kind ?? `mode ${newMode}`}`);
    else if (status === "M" && oldMode !== REGULAR)
      reasons.push(`\`${path}\` was ${MODE_NAME[oldMode] ?? `mode ${oldMode}`} and becomes a regular file`);
    else if (status === "T") reasons.push(`\`${path}\` changes type`);
    else additions.push({ path, blob });
  }
  if (additions.length + deletions.length > limits.files) {
    reasons.push(
      `${additions.length + deletions.length} files (the limit for one API commit is ${limits.files})`
    );
  }
  if (reasons.length > 0) return { ok: false, reasons };
  const sizes = await blobSizes2(
    git,
    additions.map((a) => a.blob)
  );
  let total = 0;
  for (const a of additions) {
    const size = sizes.get(a.blob) ?? 0;
    total += size;
    if (size > limits.fileBytes)
      reasons.push(`\`${a.path}\` has ${mib(size)} (the limit is ${mib(limits.fileBytes)})`);
  }
  if (total > limits.totalBytes)
    reasons.push(`${mib(total)} in all (the limit is ${mib(limits.totalBytes)})`);
  if (reasons.length > 0) return { ok: false, reasons };
  const out = { additions: [], deletions };
  for (const a of additions) {
    out.additions.push({
      path: a.path,
      contents: (await git.runBuffer(["cat-file", "blob", a.blob])).stdout
    });
  }
  return { ok: true, changes: out };
}
async function blobSizes2(git, blobs) {
  const sizes = /* @__PURE__ */ new Map();
  if (blobs.length === 0) return sizes;
  const r = await git.run(["cat-file", "--batch-check=%(objectname) %(objectsize)"], {
    input: `${blobs.join("\n")}
`
  });
  for (const line of r.stdout.split("\n")) {
    const [oid, size] = line.split(" ");
    if (oid && size) sizes.set(oid, Number(size));
  }
  return sizes;
}
var mib = (n) => n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MiB` : `${n} bytes`;

// src/engine/git/branch.ts
var BACKUP_REF_PREFIX = "refs/claude-tasks/backups/";
async function backupRef(git, ref, opts = {}) {
  const commit = opts.commit ?? await resolveCommit(git, branchRef(ref));
  if (!commit) return void 0;
  const stamp = (opts.now ?? /* @__PURE__ */ new Date()).toISOString().replace(/:/g, "-");
  const base = `${BACKUP_REF_PREFIX}${shortBranch(branchRef(ref))}/${stamp}`;
  for (let n = 1; n < 100; n++) {
    const name = n === 1 ? base : `${base}-${n}`;
    const r = await git.run(["update-ref", "-m", "claude-tasks: backup", name, commit, zeroOid(commit)], {
      allowFailure: true
    });
    if (r.exitCode === 0) return { ref: name, commit };
    if (await resolveCommit(git, name)) continue;
    throw new GitError({
      args: ["update-ref", name, commit],
      exitCode: r.exitCode,
      stderr: r.stderr,
      cwd: git.cwd
    });
  }
  throw new Error(`could not create a backup ref for ${ref}`);
}
async function updateBranch(opts) {
  const { git } = opts;
  const ref = branchRef(opts.branch);
  const commit = await requireCommit(git, opts.commit);
  const list = await worktreeEntries(git);
  const holder = list.find((w) => w.branch === ref);
  if (holder)
    throw new Error(`${shortBranch(ref)} is checked out in ${holder.path}; it cannot be moved under it`);
  let backup;
  const old = opts.expectedOld;
  if (old && old !== commit && await resolveCommit(git, old) && !await isAncestor(git, old, commit)) {
    backup = await backupRef(git, ref, { commit: old });
  }
  const r = await git.run(
    [
      "update-ref",
      "-m",
      opts.message ?? "claude-tasks: update task branch",
      ref,
      commit,
      old ?? zeroOid(commit)
    ],
    { allowFailure: true }
  );
  if (r.exitCode !== 0) {
    const actual = await resolveCommit(git, ref);
    if (actual !== (old ?? void 0)) return { updated: false, actual };
    await git.run(["update-ref", ref, commit, old ?? zeroOid(commit)]);
  }
  return { updated: true, old, ...backup ? { backup } : {} };
}
var zeroOid = (like) => "0".repeat(like.length);

// src/engine/git/commit.ts
var TRAILER_TASK = "Claude-Tasks-Task";
var GITHUB_WEB_FLOW_EMAIL = "noreply@github.com";
var TRAILER_RUN = "Claude-Tasks-Run";
async function commitAll(opts) {
  const { git } = opts;
  if (opts.base) {
    const base = await requireCommit(git, opts.base);
    await git.run(["reset", "--soft", base]);
  }
  if (!opts.staged) {
    await git.run(["add", "-A", "--", "."]);
    const staged = await git.run(
      ["diff", "--cached", "--quiet", "--no-ext-diff", "--ignore-submodules=none"],
      {
        allowFailure: true
      }
    );
    if (staged.exitCode === 0) return void 0;
  }
  const trailers = {
    [TRAILER_TASK]: opts.task,
    [TRAILER_RUN]: opts.runId,
    ...opts.trailers
  };
  await git.run(["commit", "--no-verify", "--no-edit", "--cleanup=verbatim", "--file=-"], {
    input: commitMessage(opts.subject, opts.body, trailers)
  });
  return (await git.run(["rev-parse", "HEAD"])).stdout.trim();
}
async function userSignsCommits(git) {
  const r = await git.run(["config", "--show-scope", "--get-all", "--type=bool", "commit.gpgsign"], {
    allowFailure: true
  });
  const values = r.stdout.split("\n").map((l) => l.split("	")).filter(([scope, value]) => scope !== "command" && value !== void 0);
  return values.at(-1)?.[1] === "true";
}
async function commitTree(opts) {
  const { git } = opts;
  const known = opts.changed === true && isSha(opts.base) && isSha(opts.tree);
  const [base = "", baseTree = "", tree = ""] = known ? [opts.base, void 0, opts.tree] : (await git.run(["rev-parse", `${opts.base}^{commit}`, `${opts.base}^{tree}`, `${opts.tree}^{tree}`])).stdout.trim().split("\n");
  const merged = await Promise.all((opts.mergeParents ?? []).map((p) => requireCommit(git, p)));
  if (!known && tree === baseTree && merged.length === 0) return void 0;
  const trailers = {
    [TRAILER_TASK]: opts.task,
    [TRAILER_RUN]: opts.runId,
    ...opts.trailers
  };
  const parents = [base, ...merged].flatMap((p) => ["-p", p]);
  const maker = opts.signWith ?? git;
  const commit = (await maker.run(["commit-tree", ...opts.signWith ? ["-S"] : [], tree, ...parents, "-F", "-"], {
    input: commitMessage(opts.subject, opts.body, trailers)
  })).stdout.trim();
  return commit;
}
function commitMessage(subject, body, trailers) {
  const lines = Object.entries(trailers).map(([k, v]) => {
    if (!/^[A-Za-z0-9][A-Za-z0-9-]*$/.test(k)) throw new Error(`invalid trailer key ${JSON.stringify(k)}`);
    return `${k}: ${oneLine(v)}`;
  });
  const text = body?.replace(/[ \t]+$/gm, "").trim();
  return [oneLine(subject), text, lines.join("\n")].filter(Boolean).join("\n\n") + "\n";
}
var oneLine = (s) => s.replace(/\s*[\r\n]+\s*/g, " ").trim();
async function foreignCommits(opts) {
  const { git } = opts;
  const branch = await requireCommit(git, opts.branch);
  const base = await requireCommit(git, opts.base);
  const format = [
    "%H",
    "%an",
    "%ae",
    "%cn",
    "%ce",
    `%(trailers:key=${TRAILER_TASK},valueonly,separator=%x2C)`,
    "%s"
  ];
  const r = await git.run(["log", "-z", `--format=${format.join("%x1f")}`, `${base}..${branch}`]);
  const bot = git.identity.email.toLowerCase();
  const out = [];
  for (const record of splitZ(r.stdout)) {
    const [sha, an, ae, cn, ce, taskTrailer, subject] = record.split("");
    const author = `${an} <${ae}>`;
    const committer = `${cn} <${ce}>`;
    const tasks = taskTrailer.split(",").map((t) => t.trim()).filter(Boolean);
    let reason;
    const viaApi = ce.toLowerCase() === GITHUB_WEB_FLOW_EMAIL && tasks.length > 0;
    if (ae.toLowerCase() !== bot && !viaApi) reason = `authored by ${author}`;
    else if (ce.toLowerCase() !== bot && !viaApi) reason = `committed by ${committer}`;
    else if (tasks.length === 0) reason = `has no ${TRAILER_TASK} trailer`;
    else if (opts.task && !tasks.includes(opts.task)) reason = `belongs to task ${tasks.join(", ")}`;
    if (reason) out.push({ sha, subject, author, committer, reason });
  }
  return out;
}

// src/engine/git/conflicts.ts
async function mergeTreeCheck(opts) {
  const { git } = opts;
  const base = await requireCommit(git, opts.base);
  const head = await requireCommit(git, opts.head);
  const args = ["merge-tree", "--write-tree", "--name-only", "-z", "--no-messages", base, head];
  const r = await git.run(args, { allowFailure: true });
  const [tree = "", ...files] = splitZ(r.stdout);
  if ((r.exitCode === 0 || r.exitCode === 1) && /^[0-9a-f]{40,64}$/.test(tree)) {
    return { clean: r.exitCode === 0, conflicts: [...new Set(files)], tree };
  }
  throw new GitError({ args, exitCode: r.exitCode, stderr: r.stderr, cwd: git.cwd });
}
async function rebaseOnto(opts) {
  const { git } = opts;
  await git.run(["reset", "--hard", "--quiet", opts.head]);
  await git.run(["clean", "-ffdq"]);
  const oldBase = await requireCommit(git, opts.oldBase);
  const newBase = await requireCommit(git, opts.newBase);
  const head = await requireCommit(git, "HEAD");
  const backup = await writeBackup({
    stateDir: opts.stateDir,
    runId: opts.runId,
    task: opts.task,
    base: oldBase,
    reason: "before rebase",
    patch: await diffPatch(git, [oldBase, head]),
    details: { head, newBase }
  });
  const r = await git.run(
    [
      "rebase",
      "--no-update-refs",
      "--no-autostash",
      "--no-autosquash",
      "--no-verify",
      "--onto",
      newBase,
      oldBase
    ],
    { allowFailure: true }
  );
  if (r.exitCode === 0) {
    const commit = await requireCommit(git, "HEAD");
    return { ok: true, commit, backup, empty: commit === newBase };
  }
  const unmerged = await git.run(["diff", "--name-only", "--diff-filter=U", "-z"], { allowFailure: true });
  await git.run(["rebase", "--abort"], { allowFailure: true });
  const conflicts = [...new Set(splitZ(unmerged.stdout))];
  if (conflicts.length === 0) {
    throw new GitError({
      args: ["rebase", "--onto", newBase, oldBase],
      exitCode: r.exitCode,
      stderr: r.stderr
    });
  }
  return { ok: false, conflicts, backup };
}
async function pairwiseConflicts(opts) {
  const pairs = [];
  opts.results.forEach((a, i) => {
    for (const b of opts.results.slice(i + 1)) if (a.commit !== b.commit) pairs.push([a, b]);
  });
  const found = [];
  for (let i = 0; i < pairs.length; i += 2) {
    const batch = pairs.slice(i, i + 2);
    const checks = await Promise.all(
      batch.map(([a, b]) => mergeTreeCheck({ git: opts.git, base: a.commit, head: b.commit }))
    );
    checks.forEach((c, j) => {
      const [a, b] = batch[j];
      if (!c.clean) found.push({ tasks: [a.task, b.task], files: c.conflicts });
    });
  }
  return found;
}

// src/engine/git/integrity.ts
import { readdir as readdir4, readFile as readFile3, rm as rm4, writeFile } from "node:fs/promises";
import { join as join5, relative } from "node:path";
var FILES = [
  "config",
  "config.worktree",
  "HEAD",
  "info/attributes",
  "info/exclude",
  "info/sparse-checkout"
];
var ENGINE_REFS = /^refs\/(?:heads\/claude-tasks\/|claude-tasks\/|remotes\/)/;
async function snapshotRepo(git, commonDir, opts = {}) {
  const files = /* @__PURE__ */ new Map();
  for (const f of [...FILES, ...await listHooks(commonDir)])
    files.set(f, await readOrNull(join5(commonDir, f)));
  const withRefs = opts.refs !== false;
  return { commonDir, files, refs: withRefs ? await userRefs(git) : /* @__PURE__ */ new Map(), withRefs };
}
async function compareRepo(git, snap) {
  const changes = [];
  const names = /* @__PURE__ */ new Set([...snap.files.keys(), ...await listHooks(snap.commonDir)]);
  for (const name of names) {
    const now = await readOrNull(join5(snap.commonDir, name));
    if (!sameContent(snap.files.get(name) ?? null, now)) changes.push({ kind: "file", name });
  }
  if (!snap.withRefs) return changes;
  const refs = await userRefs(git);
  for (const name of /* @__PURE__ */ new Set([...snap.refs.keys(), ...refs.keys()])) {
    if (snap.refs.get(name) !== refs.get(name)) changes.push({ kind: "ref", name });
  }
  return changes;
}
async function restoreRepo(git, snap, changes) {
  const stamp = (/* @__PURE__ */ new Date()).toISOString().replace(/[-:.]/g, "");
  for (const c of changes.filter((x) => x.kind === "file")) {
    const path = join5(snap.commonDir, c.name);
    const old = snap.files.get(c.name) ?? null;
    if (old === null) await rm4(path, { force: true, recursive: true });
    else await writeFile(path, old);
  }
  for (const c of changes.filter((x) => x.kind === "ref")) {
    const now = (await git.run(["rev-parse", "--verify", "--quiet", `${c.name}^{}`], { allowFailure: true })).stdout.trim();
    if (now)
      await git.run([
        "update-ref",
        `refs/claude-tasks/tampered/${stamp}/${c.name.replace(/^refs\//, "")}`,
        now
      ]);
    const old = snap.refs.get(c.name);
    if (old) await git.run(["update-ref", "--no-deref", c.name, old]);
    else await git.run(["update-ref", "--no-deref", "-d", c.name]);
  }
}
async function userRefs(git) {
  const out = await git.run(["for-each-ref", "--format=%(objectname) %(refname)"]);
  const refs = /* @__PURE__ */ new Map();
  for (const line of out.stdout.split("\n")) {
    const i = line.indexOf(" ");
    if (i < 0) continue;
    const name = line.slice(i + 1);
    if (!ENGINE_REFS.test(name)) refs.set(name, line.slice(0, i));
  }
  return refs;
}
async function listHooks(commonDir) {
  const dir = join5(commonDir, "hooks");
  try {
    const entries = await readdir4(dir, { recursive: true, withFileTypes: true });
    return entries.filter((e) => !e.isDirectory()).map((e) => relative(commonDir, join5(e.parentPath, e.name)));
  } catch (err) {
    if (isCode(err, "ENOENT")) return [];
    throw err;
  }
}
async function readOrNull(path) {
  try {
    return await readFile3(path);
  } catch (err) {
    if (isCode(err, "ENOENT") || isCode(err, "EISDIR")) return null;
    throw err;
  }
}
function sameContent(a, b) {
  if (a === null || b === null) return a === b;
  return a.equals(b);
}

// src/engine/git/remote.ts
async function lsRemote(opts) {
  const r = await opts.git.run(["ls-remote", "--", opts.remote, ...opts.refs]);
  const tips = /* @__PURE__ */ new Map();
  for (const line of r.stdout.split("\n")) {
    const [oid, ref] = line.split("	");
    if (oid && ref && opts.refs.includes(ref)) tips.set(ref, oid);
  }
  return tips;
}
async function fetchRefs(opts) {
  await opts.git.run([
    "fetch",
    "--no-tags",
    "--no-write-fetch-head",
    "--quiet",
    "--",
    opts.remote,
    ...opts.refspecs
  ]);
}
var FLAG = {
  "*": "created",
  " ": "updated",
  "+": "forced",
  "-": "deleted",
  "=": "up-to-date",
  "!": "rejected"
};
async function pushRefs(opts) {
  const args = ["push", "--porcelain", "--no-verify"];
  if (opts.atomic !== false) args.push("--atomic");
  for (const u of opts.updates) {
    if (u.expected !== void 0) args.push(`--force-with-lease=${u.ref}:${u.expected ?? ""}`);
  }
  args.push("--", opts.remote, ...opts.updates.map((u) => `${u.commit ?? ""}:${u.ref}`));
  const r = await opts.git.run(args, { allowFailure: true });
  const refs = parsePushPorcelain(r.stdout);
  if (r.exitCode !== 0 && !refs.some((x) => x.status === "rejected")) {
    throw new GitError({ args, exitCode: r.exitCode, stderr: r.stderr, cwd: opts.git.cwd });
  }
  return { ok: r.exitCode === 0, refs };
}
function parsePushPorcelain(out) {
  const refs = [];
  for (const line of out.split("\n")) {
    const m = /^(.)\t[^:\t]*:([^\t]+)\t(.*)$/.exec(line);
    const status = m ? FLAG[m[1]] : void 0;
    if (!m || !status) continue;
    const reason = /\(([^)]*)\)\s*$/.exec(m[3])?.[1];
    refs.push({ ref: m[2], status, ...status === "rejected" && reason ? { reason } : {} });
  }
  return refs;
}

// src/engine/git/restore.ts
import { randomBytes as randomBytes2 } from "node:crypto";
import { join as join6 } from "node:path";
var RESTORE_BRANCH_PREFIX = "claude-tasks/restore/";
async function restoreBackup(opts) {
  var _stack = [];
  try {
    const { git } = opts;
    const state = opts.stateDir ?? await stateDir(git);
    let backup;
    try {
      backup = await readBackup(state, opts.id);
    } catch (err) {
      if (err instanceof SyntaxError) {
        throw new UserError(
          `backup ${opts.id} is damaged (its ${META_FILE} is not valid JSON); its change is still in ${join6(backupsDir(state), opts.id, PATCH_FILE)}: apply it with \`git apply --binary\``
        );
      }
      throw new UserError(`no backup named ${JSON.stringify(opts.id)}; \`claude-tasks backups\` lists them`);
    }
    const branch = opts.branch ?? `${RESTORE_BRANCH_PREFIX}${backup.id}`;
    const check = await git.run(["check-ref-format", branchRef(branch)], { allowFailure: true });
    if (check.exitCode !== 0) throw new UserError(`${JSON.stringify(branch)} is not a valid branch name`);
    if (await resolveCommit(git, branchRef(branch))) {
      throw new UserError(`branch ${shortBranch(branchRef(branch))} already exists; pass another branch name`);
    }
    if (!await resolveCommit(git, backup.meta.base)) {
      throw new UserError(
        `backup ${backup.id} is based on commit ${backup.meta.base}, which is not in this repository; fetch it first`
      );
    }
    const wt = __using(_stack, await createWorktree({
      git,
      task: "restore",
      runId: `${Date.now()}-${randomBytes2(3).toString("hex")}`,
      base: backup.meta.base,
      branch,
      stateDir: state,
      ...opts.logger ? { logger: opts.logger } : {}
    }), true);
    await wt.git.run(["apply", "--binary", "--index", "--whitespace=nowarn", "--", backup.patchPath]);
    const commit = await commitAll({
      git: wt.git,
      subject: `Restore claude-tasks backup ${backup.id}`,
      body: `Task ${backup.meta.task}, run ${backup.meta.runId} (${backup.meta.reason}, ${backup.meta.createdAt}).`,
      task: backup.meta.task,
      runId: backup.meta.runId,
      trailers: { "Claude-Tasks-Backup": backup.id }
    });
    const tip = commit ?? wt.baseCommit;
    const moved = await updateBranch({
      git,
      branch,
      commit: tip,
      expectedOld: null,
      message: `claude-tasks: restore ${backup.id}`
    });
    if (!moved.updated) throw new UserError(`branch ${branch} was created by someone else meanwhile`);
    return { branch: shortBranch(branchRef(branch)), commit: tip, backupId: backup.id };
  } catch (_) {
    var _error = _, _hasError = true;
  } finally {
    var _promise = __callDispose(_stack, _error, _hasError);
    _promise && await _promise;
  }
}

// src/engine/run/run-log.ts
import { mkdir as mkdir3, open as open3, readFile as readFile4 } from "node:fs/promises";
import { dirname as dirname2, join as join7 } from "node:path";
var runLogPath = (state) => join7(state, "runs.jsonl");
var runReportDir = (state, runId) => join7(state, "runs", runId);
async function appendLog(file, entry) {
  await mkdir3(dirname2(file), { recursive: true });
  const fh = await open3(file, "a+");
  try {
    const { size } = await fh.stat();
    const last = Buffer.alloc(1);
    const torn = size > 0 && (await fh.read(last, 0, 1, size - 1)).bytesRead === 1 && last[0] !== 10;
    await fh.appendFile(`${torn ? "\n" : ""}${JSON.stringify(entry)}
`, "utf8");
  } finally {
    await fh.close();
  }
}
function taskEntry(runId, mode, r) {
  return {
    type: "task",
    runId,
    mode,
    task: r.task,
    status: r.status,
    message: r.message,
    at: (/* @__PURE__ */ new Date()).toISOString(),
    startedAt: r.startedAt,
    durationMs: r.durationMs,
    costUsd: r.agent?.costUsd,
    numTurns: r.agent?.numTurns,
    files: r.files.length,
    branch: r.branch,
    commit: r.commit,
    backup: r.backup,
    prUrl: r.pr?.url
  };
}
function parseLog(text) {
  const entries = [];
  const damagedLines = [];
  const lines = text.split("\n");
  lines.forEach((line, i) => {
    if (line.trim() === "") return;
    try {
      const value = JSON.parse(line);
      if (isEntry(value)) entries.push(value);
      else damagedLines.push(i + 1);
    } catch {
      damagedLines.push(i + 1);
    }
  });
  return { entries, damagedLines };
}
function isEntry(v) {
  if (!v || typeof v !== "object" || typeof v.runId !== "string") return false;
  if (v.type === "task") return typeof v.task === "string" && typeof v.status === "string";
  return v.type === "run-start" || v.type === "run-end";
}

export {
  formatProblem,
  UserError,
  ConfigError,
  TaskFailedError,
  InterruptedError,
  EXIT,
  signalExitCode,
  exitCodeFor,
  errorMessage,
  problemAt,
  silentLogger,
  stderrLogger,
  C_LOCALE,
  processEnv,
  runCommand,
  DEFAULT_IDENTITY,
  createGit,
  splitZ,
  apiFileChanges,
  isCode,
  isMissing,
  orIfMissing,
  compareCodeUnits,
  diffPath,
  resolveCommit,
  isSha,
  isAncestor,
  MODE,
  collectChanges,
  noteCommonDir,
  stateDir,
  backupsDir,
  sandboxesDir,
  assertSafeName,
  readBackup,
  listBackups,
  damagedBackups,
  NoBackupError,
  writeChangeBackup,
  readPatchText,
  removeTree,
  adminDirOf,
  createWorktree,
  listWorktrees,
  pruneWorktrees,
  BACKUP_REF_PREFIX,
  updateBranch,
  TRAILER_TASK,
  GITHUB_WEB_FLOW_EMAIL,
  userSignsCommits,
  commitTree,
  foreignCommits,
  mergeTreeCheck,
  rebaseOnto,
  pairwiseConflicts,
  snapshotRepo,
  compareRepo,
  restoreRepo,
  lsRemote,
  fetchRefs,
  pushRefs,
  restoreBackup,
  runLogPath,
  runReportDir,
  appendLog,
  taskEntry,
  parseLog,
  require_lib
};
