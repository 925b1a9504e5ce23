import { createRequire as __ctCreateRequire } from 'node:module';
import { fileURLToPath as __ctFileURLToPath } from 'node:url';
import { dirname as __ctDirname } from 'node:path';
const require = __ctCreateRequire(import.meta.url);
const __ctFilename = __ctFileURLToPath(import.meta.url);
const __ctDirnameOf = __ctDirname(__ctFilename);
import {
  FETCHED_STATE_REF,
  STATE_REF,
  STATUS_ICON,
  compileGlob,
  expectStateTip,
  formatCost,
  formatDuration,
  mdCode,
  mdFenced,
  mdText,
  normalizeGlob,
  outcomeOf,
  parseDuration,
  quotePath
} from "./chunk-2HPKXQ2T.js";
import {
  BACKUP_REF_PREFIX,
  C_LOCALE,
  GITHUB_WEB_FLOW_EMAIL,
  MODE,
  NoBackupError,
  UserError,
  adminDirOf,
  apiFileChanges,
  appendLog,
  collectChanges,
  commitTree,
  compareRepo,
  createGit,
  createWorktree,
  diffPath,
  errorMessage,
  fetchRefs,
  foreignCommits,
  isAncestor,
  isCode,
  listWorktrees,
  lsRemote,
  mergeTreeCheck,
  orIfMissing,
  pairwiseConflicts,
  processEnv,
  pushRefs,
  rebaseOnto,
  require_lib,
  resolveCommit,
  restoreRepo,
  runCommand,
  runLogPath,
  runReportDir,
  silentLogger,
  snapshotRepo,
  splitZ,
  stateDir,
  taskEntry,
  updateBranch,
  userSignsCommits,
  writeChangeBackup
} from "./chunk-Y7TVEGQG.js";
import {
  MARKER_VAR,
  killTree
} from "./chunk-AN4M62PA.js";
import {
  nodeHttp,
  nodeHttps
} from "./chunk-4B2DEY7O.js";
import {
  __callDispose,
  __commonJS,
  __require,
  __toESM,
  __using
} from "./chunk-MTYGN2KO.js";

// node_modules/isexe/windows.js
var require_windows = __commonJS({
  "node_modules/isexe/windows.js"(exports, module) {
    module.exports = isexe;
    isexe.sync = sync;
    var fs = __require("fs");
    function checkPathExt(path6, options) {
      var pathext = options.pathExt !== void 0 ? options.pathExt : process.env.PATHEXT;
      if (!pathext) {
        return true;
      }
      pathext = pathext.split(";");
      if (pathext.indexOf("") !== -1) {
        return true;
      }
      for (var i2 = 0; i2 < pathext.length; i2++) {
        var p = pathext[i2].toLowerCase();
        if (p && path6.substr(-p.length).toLowerCase() === p) {
          return true;
        }
      }
      return false;
    }
    function checkStat(stat, path6, options) {
      if (!stat.isSymbolicLink() && !stat.isFile()) {
        return false;
      }
      return checkPathExt(path6, options);
    }
    function isexe(path6, options, cb) {
      fs.stat(path6, function(er, stat) {
        cb(er, er ? false : checkStat(stat, path6, options));
      });
    }
    function sync(path6, options) {
      return checkStat(fs.statSync(path6), path6, options);
    }
  }
});

// node_modules/isexe/mode.js
var require_mode = __commonJS({
  "node_modules/isexe/mode.js"(exports, module) {
    module.exports = isexe;
    isexe.sync = sync;
    var fs = __require("fs");
    function isexe(path6, options, cb) {
      fs.stat(path6, function(er, stat) {
        cb(er, er ? false : checkStat(stat, options));
      });
    }
    function sync(path6, options) {
      return checkStat(fs.statSync(path6), options);
    }
    function checkStat(stat, options) {
      return stat.isFile() && checkMode(stat, options);
    }
    function checkMode(stat, options) {
      var mod = stat.mode;
      var uid = stat.uid;
      var gid = stat.gid;
      var myUid = options.uid !== void 0 ? options.uid : process.getuid && process.getuid();
      var myGid = options.gid !== void 0 ? options.gid : process.getgid && process.getgid();
      var u2 = parseInt("100", 8);
      var g = parseInt("010", 8);
      var o2 = parseInt("001", 8);
      var ug = u2 | g;
      var ret = mod & o2 || mod & g && gid === myGid || mod & u2 && uid === myUid || mod & ug && myUid === 0;
      return ret;
    }
  }
});

// node_modules/isexe/index.js
var require_isexe = __commonJS({
  "node_modules/isexe/index.js"(exports, module) {
    var fs = __require("fs");
    var core;
    if (process.platform === "win32" || global.TESTING_WINDOWS) {
      core = require_windows();
    } else {
      core = require_mode();
    }
    module.exports = isexe;
    isexe.sync = sync;
    function isexe(path6, options, cb) {
      if (typeof options === "function") {
        cb = options;
        options = {};
      }
      if (!cb) {
        if (typeof Promise !== "function") {
          throw new TypeError("callback not provided");
        }
        return new Promise(function(resolve2, reject) {
          isexe(path6, options || {}, function(er, is) {
            if (er) {
              reject(er);
            } else {
              resolve2(is);
            }
          });
        });
      }
      core(path6, options || {}, function(er, is) {
        if (er) {
          if (er.code === "EACCES" || options && options.ignoreErrors) {
            er = null;
            is = false;
          }
        }
        cb(er, is);
      });
    }
    function sync(path6, options) {
      try {
        return core.sync(path6, options || {});
      } catch (er) {
        if (options && options.ignoreErrors || er.code === "EACCES") {
          return false;
        } else {
          throw er;
        }
      }
    }
  }
});

// node_modules/which/which.js
var require_which = __commonJS({
  "node_modules/which/which.js"(exports, module) {
    var isWindows = process.platform === "win32" || process.env.OSTYPE === "cygwin" || process.env.OSTYPE === "msys";
    var path6 = __require("path");
    var COLON = isWindows ? ";" : ":";
    var isexe = require_isexe();
    var getNotFoundError = (cmd) => Object.assign(new Error(`not found: ${cmd}`), { code: "ENOENT" });
    var getPathInfo = (cmd, opt) => {
      const colon = opt.colon || COLON;
      const pathEnv = cmd.match(/\//) || isWindows && cmd.match(/\\/) ? [""] : [
        // windows always checks the cwd first
        ...isWindows ? [process.cwd()] : [],
        ...(opt.path || process.env.PATH || /* istanbul ignore next: very unusual */
        "").split(colon)
      ];
      const pathExtExe = isWindows ? opt.pathExt || process.env.PATHEXT || ".EXE;.CMD;.BAT;.COM" : "";
      const pathExt = isWindows ? pathExtExe.split(colon) : [""];
      if (isWindows) {
        if (cmd.indexOf(".") !== -1 && pathExt[0] !== "")
          pathExt.unshift("");
      }
      return {
        pathEnv,
        pathExt,
        pathExtExe
      };
    };
    var which = (cmd, opt, cb) => {
      if (typeof opt === "function") {
        cb = opt;
        opt = {};
      }
      if (!opt)
        opt = {};
      const { pathEnv, pathExt, pathExtExe } = getPathInfo(cmd, opt);
      const found = [];
      const step = (i2) => new Promise((resolve2, reject) => {
        if (i2 === pathEnv.length)
          return opt.all && found.length ? resolve2(found) : reject(getNotFoundError(cmd));
        const ppRaw = pathEnv[i2];
        const pathPart = /^".*"$/.test(ppRaw) ? ppRaw.slice(1, -1) : ppRaw;
        const pCmd = path6.join(pathPart, cmd);
        const p = !pathPart && /^\.[\\\/]/.test(cmd) ? cmd.slice(0, 2) + pCmd : pCmd;
        resolve2(subStep(p, i2, 0));
      });
      const subStep = (p, i2, ii) => new Promise((resolve2, reject) => {
        if (ii === pathExt.length)
          return resolve2(step(i2 + 1));
        const ext = pathExt[ii];
        isexe(p + ext, { pathExt: pathExtExe }, (er, is) => {
          if (!er && is) {
            if (opt.all)
              found.push(p + ext);
            else
              return resolve2(p + ext);
          }
          return resolve2(subStep(p, i2, ii + 1));
        });
      });
      return cb ? step(0).then((res) => cb(null, res), cb) : step(0);
    };
    var whichSync = (cmd, opt) => {
      opt = opt || {};
      const { pathEnv, pathExt, pathExtExe } = getPathInfo(cmd, opt);
      const found = [];
      for (let i2 = 0; i2 < pathEnv.length; i2++) {
        const ppRaw = pathEnv[i2];
        const pathPart = /^".*"$/.test(ppRaw) ? ppRaw.slice(1, -1) : ppRaw;
        const pCmd = path6.join(pathPart, cmd);
        const p = !pathPart && /^\.[\\\/]/.test(cmd) ? cmd.slice(0, 2) + pCmd : pCmd;
        for (let j = 0; j < pathExt.length; j++) {
          const cur = p + pathExt[j];
          try {
            const is = isexe.sync(cur, { pathExt: pathExtExe });
            if (is) {
              if (opt.all)
                found.push(cur);
              else
                return cur;
            }
          } catch (ex) {
          }
        }
      }
      if (opt.all && found.length)
        return found;
      if (opt.nothrow)
        return null;
      throw getNotFoundError(cmd);
    };
    module.exports = which;
    which.sync = whichSync;
  }
});

// node_modules/path-key/index.js
var require_path_key = __commonJS({
  "node_modules/path-key/index.js"(exports, module) {
    "use strict";
    var pathKey2 = (options = {}) => {
      const environment = options.env || process.env;
      const platform2 = options.platform || process.platform;
      if (platform2 !== "win32") {
        return "PATH";
      }
      return Object.keys(environment).reverse().find((key) => key.toUpperCase() === "PATH") || "Path";
    };
    module.exports = pathKey2;
    module.exports.default = pathKey2;
  }
});

// node_modules/cross-spawn/lib/util/resolveCommand.js
var require_resolveCommand = __commonJS({
  "node_modules/cross-spawn/lib/util/resolveCommand.js"(exports, module) {
    "use strict";
    var path6 = __require("path");
    var which = require_which();
    var getPathKey = require_path_key();
    function resolveCommandAttempt(parsed, withoutPathExt) {
      const env = parsed.options.env || process.env;
      const cwd = process.cwd();
      const hasCustomCwd = parsed.options.cwd != null;
      const shouldSwitchCwd = hasCustomCwd && process.chdir !== void 0 && !process.chdir.disabled;
      if (shouldSwitchCwd) {
        try {
          process.chdir(parsed.options.cwd);
        } catch (err) {
        }
      }
      let resolved;
      try {
        resolved = which.sync(parsed.command, {
          path: env[getPathKey({ env })],
          pathExt: withoutPathExt ? path6.delimiter : void 0
        });
      } catch (e) {
      } finally {
        if (shouldSwitchCwd) {
          process.chdir(cwd);
        }
      }
      if (resolved) {
        resolved = path6.resolve(hasCustomCwd ? parsed.options.cwd : "", resolved);
      }
      return resolved;
    }
    function resolveCommand(parsed) {
      return resolveCommandAttempt(parsed) || resolveCommandAttempt(parsed, true);
    }
    module.exports = resolveCommand;
  }
});

// node_modules/cross-spawn/lib/util/escape.js
var require_escape = __commonJS({
  "node_modules/cross-spawn/lib/util/escape.js"(exports, module) {
    "use strict";
    var metaCharsRegExp = /([()\][%!^"`<>&|;, *?])/g;
    function escapeCommand(arg) {
      arg = arg.replace(metaCharsRegExp, "^$1");
      return arg;
    }
    function escapeArgument(arg, doubleEscapeMetaChars) {
      arg = `${arg}`;
      arg = arg.replace(/(?=(\\+?)?)\1"/g, '$1$1\\"');
      arg = arg.replace(/(?=(\\+?)?)\1$/, "$1$1");
      arg = `"${arg}"`;
      arg = arg.replace(metaCharsRegExp, "^$1");
      if (doubleEscapeMetaChars) {
        arg = arg.replace(metaCharsRegExp, "^$1");
      }
      return arg;
    }
    module.exports.command = escapeCommand;
    module.exports.argument = escapeArgument;
  }
});

// node_modules/shebang-regex/index.js
var require_shebang_regex = __commonJS({
  "node_modules/shebang-regex/index.js"(exports, module) {
    "use strict";
    module.exports = /^#!(.*)/;
  }
});

// node_modules/shebang-command/index.js
var require_shebang_command = __commonJS({
  "node_modules/shebang-command/index.js"(exports, module) {
    "use strict";
    var shebangRegex = require_shebang_regex();
    module.exports = (string = "") => {
      const match = string.match(shebangRegex);
      if (!match) {
        return null;
      }
      const [path6, argument] = match[0].replace(/#! ?/, "").split(" ");
      const binary = path6.split("/").pop();
      if (binary === "env") {
        return argument;
      }
      return argument ? `${binary} ${argument}` : binary;
    };
  }
});

// node_modules/cross-spawn/lib/util/readShebang.js
var require_readShebang = __commonJS({
  "node_modules/cross-spawn/lib/util/readShebang.js"(exports, module) {
    "use strict";
    var fs = __require("fs");
    var shebangCommand = require_shebang_command();
    function readShebang(command) {
      const size = 150;
      const buffer = Buffer.alloc(size);
      let fd;
      try {
        fd = fs.openSync(command, "r");
        fs.readSync(fd, buffer, 0, size, 0);
        fs.closeSync(fd);
      } catch (e) {
      }
      return shebangCommand(buffer.toString());
    }
    module.exports = readShebang;
  }
});

// node_modules/cross-spawn/lib/parse.js
var require_parse = __commonJS({
  "node_modules/cross-spawn/lib/parse.js"(exports, module) {
    "use strict";
    var path6 = __require("path");
    var resolveCommand = require_resolveCommand();
    var escape = require_escape();
    var readShebang = require_readShebang();
    var isWin = process.platform === "win32";
    var isExecutableRegExp = /\.(?:com|exe)$/i;
    var isCmdShimRegExp = /node_modules[\\/].bin[\\/][^\\/]+\.cmd$/i;
    function detectShebang(parsed) {
      parsed.file = resolveCommand(parsed);
      const shebang = parsed.file && readShebang(parsed.file);
      if (shebang) {
        parsed.args.unshift(parsed.file);
        parsed.command = shebang;
        return resolveCommand(parsed);
      }
      return parsed.file;
    }
    function parseNonShell(parsed) {
      if (!isWin) {
        return parsed;
      }
      const commandFile = detectShebang(parsed);
      const needsShell = !isExecutableRegExp.test(commandFile);
      if (parsed.options.forceShell || needsShell) {
        const needsDoubleEscapeMetaChars = isCmdShimRegExp.test(commandFile);
        parsed.command = path6.normalize(parsed.command);
        parsed.command = escape.command(parsed.command);
        parsed.args = parsed.args.map((arg) => escape.argument(arg, needsDoubleEscapeMetaChars));
        const shellCommand = [parsed.command].concat(parsed.args).join(" ");
        parsed.args = ["/d", "/s", "/c", `"${shellCommand}"`];
        parsed.command = process.env.comspec || "cmd.exe";
        parsed.options.windowsVerbatimArguments = true;
      }
      return parsed;
    }
    function parse(command, args, options) {
      if (args && !Array.isArray(args)) {
        options = args;
        args = null;
      }
      args = args ? args.slice(0) : [];
      options = Object.assign({}, options);
      const parsed = {
        command,
        args,
        options,
        file: void 0,
        original: {
          command,
          args
        }
      };
      return options.shell ? parsed : parseNonShell(parsed);
    }
    module.exports = parse;
  }
});

// node_modules/cross-spawn/lib/enoent.js
var require_enoent = __commonJS({
  "node_modules/cross-spawn/lib/enoent.js"(exports, module) {
    "use strict";
    var isWin = process.platform === "win32";
    function notFoundError(original, syscall) {
      return Object.assign(new Error(`${syscall} ${original.command} ENOENT`), {
        code: "ENOENT",
        errno: "ENOENT",
        syscall: `${syscall} ${original.command}`,
        path: original.command,
        spawnargs: original.args
      });
    }
    function hookChildProcess(cp, parsed) {
      if (!isWin) {
        return;
      }
      const originalEmit = cp.emit;
      cp.emit = function(name, arg1) {
        if (name === "exit") {
          const err = verifyENOENT(arg1, parsed);
          if (err) {
            return originalEmit.call(cp, "error", err);
          }
        }
        return originalEmit.apply(cp, arguments);
      };
    }
    function verifyENOENT(status, parsed) {
      if (isWin && status === 1 && !parsed.file) {
        return notFoundError(parsed.original, "spawn");
      }
      return null;
    }
    function verifyENOENTSync(status, parsed) {
      if (isWin && status === 1 && !parsed.file) {
        return notFoundError(parsed.original, "spawnSync");
      }
      return null;
    }
    module.exports = {
      hookChildProcess,
      verifyENOENT,
      verifyENOENTSync,
      notFoundError
    };
  }
});

// node_modules/cross-spawn/index.js
var require_cross_spawn = __commonJS({
  "node_modules/cross-spawn/index.js"(exports, module) {
    "use strict";
    var cp = __require("child_process");
    var parse = require_parse();
    var enoent = require_enoent();
    function spawn2(command, args, options) {
      const parsed = parse(command, args, options);
      const spawned = cp.spawn(parsed.command, parsed.args, parsed.options);
      enoent.hookChildProcess(spawned, parsed);
      return spawned;
    }
    function spawnSync2(command, args, options) {
      const parsed = parse(command, args, options);
      const result = cp.spawnSync(parsed.command, parsed.args, parsed.options);
      result.error = result.error || enoent.verifyENOENTSync(result.status, parsed);
      return result;
    }
    module.exports = spawn2;
    module.exports.spawn = spawn2;
    module.exports.sync = spawnSync2;
    module.exports._parse = parse;
    module.exports._enoent = enoent;
  }
});

// src/engine/process/path.ts
import { accessSync, constants, statSync } from "node:fs";
import { delimiter, isAbsolute, join } from "node:path";
function findOnPath(name, path6 = process.env.PATH ?? "") {
  if (name === "") return void 0;
  if (name.includes("/")) return isAbsolute(name) && isExecutableFile(name) ? name : void 0;
  for (const dir of path6.split(delimiter)) {
    if (!isAbsolute(dir)) continue;
    const candidate = join(dir, name);
    if (isExecutableFile(candidate)) return candidate;
  }
  return void 0;
}
function isExecutableFile(file) {
  try {
    if (!statSync(file).isFile()) return false;
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

// src/engine/run/mutex.ts
function createMutex() {
  let tail = Promise.resolve();
  return (fn) => {
    const next = tail.then(fn);
    tail = Promise.allSettled([next]);
    return next;
  };
}

// src/engine/run/repo-context.ts
async function makeRepoContext(opts) {
  const [listed, state] = await Promise.all([opts.git.run(["remote"]), opts.state]);
  const remotes = listed.stdout.split("\n").filter(Boolean);
  const wanted = opts.remote ?? "origin";
  const remote = remotes.includes(wanted) ? wanted : void 0;
  if (opts.mode === "pr" && !remote) {
    throw new UserError(`cannot open pull requests: the repository has no remote \`${wanted}\``);
  }
  const fromRemote = remote !== void 0 && (opts.mode === "pr" || opts.mode === "dry-run" && !!opts.previewsPullRequests);
  return {
    git: opts.git,
    state,
    mode: opts.mode,
    remote,
    fromRemote,
    logger: opts.logger,
    serial: createMutex()
  };
}
async function defaultBranch(ctx) {
  if (ctx.remote) {
    const r = await ctx.git.run(["symbolic-ref", "--quiet", `refs/remotes/${ctx.remote}/HEAD`], {
      allowFailure: true
    });
    const m = /^refs\/remotes\/[^/]+\/(.+)$/.exec(r.stdout.trim());
    if (m) return m[1];
    if (ctx.fromRemote) {
      const s = await ctx.git.run(["ls-remote", "--symref", ctx.remote, "HEAD"], { allowFailure: true });
      const sm = /^ref: refs\/heads\/(\S+)\s+HEAD/m.exec(s.stdout);
      if (sm) return sm[1];
    }
  }
  const head = await ctx.git.run(["symbolic-ref", "--quiet", "--short", "HEAD"], { allowFailure: true });
  return head.stdout.trim() || "main";
}
var FETCHED_PREFIX = "refs/claude-tasks/remote/";
var fetchedRef = (branch) => `${FETCHED_PREFIX}${branch}`;
var prefetches = /* @__PURE__ */ new WeakMap();
function prefetchTips(ctx, bases, branches, opts = {}) {
  if (!ctx.fromRemote || !ctx.remote) return;
  const names = /* @__PURE__ */ new Set([...bases, ...branches]);
  const fetched = fetchTips(
    ctx,
    [...new Set(bases)],
    branches.filter((b) => !bases.includes(b)),
    opts.state === true
  );
  const done = fetched.then((f) => f.tips);
  done.catch(() => {
  });
  prefetches.set(ctx, { names, done });
  if (opts.state)
    expectStateTip(
      ctx.git,
      ctx.remote,
      STATE_REF,
      fetched.then((f) => f.state)
    );
}
async function fetchTips(ctx, exact, optional, withState) {
  const remote = ctx.remote;
  const patterns = [...new Set(optional)].filter(
    (b, _, all) => !exact.includes(b) && !all.some((o2) => o2 !== b && b.startsWith(o2))
  );
  const specs = (globExact) => [
    ...exact.map(
      (b) => globExact ? `+refs/heads/${b}*:${fetchedRef(b)}*` : `+refs/heads/${b}:${fetchedRef(b)}`
    ),
    ...patterns.map((b) => `+refs/heads/${b}*:${fetchedRef(b)}*`),
    // the schedule state and ledger, as `readRemoteState` fetches it (a pattern: it may not exist)
    ...withState ? [`+${STATE_REF}*:${FETCHED_STATE_REF}*`] : []
  ];
  return ctx.serial(async () => {
    const args = [
      "fetch",
      "--no-tags",
      "--no-write-fetch-head",
      "--quiet",
      "--prune",
      "--refmap=",
      "--",
      remote
    ];
    const r = await ctx.git.run([...args, ...specs(false)], { allowFailure: true });
    if (r.exitCode !== 0) {
      if (!/couldn't find remote ref/i.test(r.stderr)) await ctx.git.run([...args, ...specs(false)]);
      else if (exact.length > 0) {
        for (const b of exact) await ctx.git.run(["update-ref", "-d", fetchedRef(b)]);
        await ctx.git.run([...args, ...specs(true)]);
      }
    }
    return readFetched(ctx, withState);
  });
}
async function readFetched(ctx, withState = false) {
  const out = await ctx.git.run([
    "for-each-ref",
    "--format=%(objectname) %(refname)",
    FETCHED_PREFIX,
    ...withState ? [FETCHED_STATE_REF] : []
  ]);
  const tips = /* @__PURE__ */ new Map();
  let state = withState ? null : void 0;
  for (const line of out.stdout.split("\n")) {
    const i2 = line.indexOf(" ");
    if (i2 <= 0) continue;
    const ref = line.slice(i2 + 1);
    if (ref === FETCHED_STATE_REF) state = line.slice(0, i2);
    else if (ref.startsWith(FETCHED_PREFIX)) tips.set(ref.slice(FETCHED_PREFIX.length), line.slice(0, i2));
  }
  return { tips, state };
}
async function fetchBranch(ctx, branch) {
  if (!ctx.remote) return void 0;
  const pre = prefetches.get(ctx);
  if (pre?.names.has(branch)) return (await pre.done).get(branch);
  return (await fetchTips(ctx, [], [branch], false)).tips.get(branch);
}
async function fetchBranchNow(ctx, branch) {
  if (!ctx.remote) return void 0;
  return (await fetchTips(ctx, [], [branch], false)).tips.get(branch);
}
async function fetchOnto(ctx, onto, fresh = false) {
  if (!onto.fetchRef) return fresh ? freshTip(ctx, onto.branch) : fetchBranch(ctx, onto.branch);
  if (!ctx.remote) return void 0;
  const remote = ctx.remote;
  const local = `refs/claude-tasks/onto/${onto.fetchRef.replace(/^refs\//, "")}`;
  return ctx.serial(async () => {
    await fetchRefs({ git: ctx.git, remote, refspecs: [`+${onto.fetchRef}:${local}`] });
    return resolveCommit(ctx.git, local);
  });
}
async function freshTip(ctx, branch) {
  return (await fetchTips(ctx, [branch], [], false)).tips.get(branch);
}
async function baseTip(ctx, base, opts = {}) {
  const known = opts.local ? await opts.local() : void 0;
  const tip = ctx.fromRemote ? await (opts.fresh ? freshTip(ctx, base) : fetchBranch(ctx, base)) : known ? known.tips.get(`refs/heads/${base}`) ?? known.tips.get(`refs/remotes/${ctx.remote}/${base}`) : await resolveCommit(ctx.git, `refs/heads/${base}`) ?? (ctx.remote ? await resolveCommit(ctx.git, `refs/remotes/${ctx.remote}/${base}`) : void 0);
  if (!tip)
    throw new UserError(`base branch \`${base}\` not found${ctx.fromRemote ? ` on ${ctx.remote}` : ""}`);
  return tip;
}
function localRefs(ctx) {
  let read;
  return () => read ??= ctx.git.run(["for-each-ref", "--format=%(objectname) %(refname)", "refs/heads", "refs/tags", "refs/remotes"]).then(({ stdout }) => {
    const tips = /* @__PURE__ */ new Map();
    for (const line of stdout.split("\n")) {
      const i2 = line.indexOf(" ");
      if (i2 > 0) tips.set(line.slice(i2 + 1), line.slice(0, i2));
    }
    return { text: stdout, tips };
  });
}
async function localBase(ctx, base) {
  return (ctx.remote ? await resolveCommit(ctx.git, `refs/remotes/${ctx.remote}/${base}`) : void 0) ?? await resolveCommit(ctx.git, `refs/heads/${base}`);
}

// src/engine/run/run-tasks.ts
var import_write_file_atomic = __toESM(require_lib(), 1);
import { mkdir as mkdir3 } from "node:fs/promises";
import { join as join10 } from "node:path";

// src/engine/agent/env.ts
var DEFAULT_CLAUDE_MAX_RETRIES = 3;
var REMOVE_EXACT = /* @__PURE__ */ new Set([
  "GITHUB_TOKEN",
  "GH_TOKEN",
  "GITHUB_PAT",
  "GH_ENTERPRISE_TOKEN",
  "GITHUB_ENTERPRISE_TOKEN",
  "GITHUB_ENV",
  "GITHUB_PATH",
  "GITHUB_OUTPUT",
  "GITHUB_STATE",
  "GITHUB_STEP_SUMMARY",
  "SSH_AUTH_SOCK"
]);
var REMOVE_PREFIXES = ["INPUT_", "ACTIONS_"];
var SECRET_NAME = /TOKEN|SECRET|PASSWORD|PASSWD|PASSPHRASE|PRIVATE|CREDENTIAL|API_?KEY|ACCESS_KEY|_KEY$|^KEY$/i;
var SESSION_MARKERS = /* @__PURE__ */ new Set([
  "CLAUDECODE",
  "CLAUDE_CODE_ENTRYPOINT",
  "CLAUDE_CODE_CHILD_SESSION",
  "CLAUDE_CODE_SESSION_ID",
  "CLAUDE_CODE_SESSION_ATTENDED",
  "CLAUDE_CODE_SESSION_KIND",
  "CLAUDE_CODE_SESSION_ACCESS_TOKEN",
  "CLAUDE_CODE_SESSIONS_OAUTH_TOKEN",
  "CLAUDE_CODE_REMOTE_SESSION_ID",
  "CLAUDE_CODE_LAUNCHED_BY_SESSION_IDS",
  "CLAUDE_CODE_HOST_SESSION_ID",
  "CLAUDE_CODE_BRIDGE_SESSION_ID",
  "CLAUDE_CODE_MESSAGING_SOCKET",
  "CLAUDE_CODE_MESSAGING_TOKEN",
  "CLAUDE_CODE_CHILD_NOTES_DIR",
  "CLAUDE_CODE_EXECPATH",
  "CLAUDE_CODE_SSE_PORT",
  "CLAUDE_AGENT_SDK_VERSION",
  "CLAUDE_PID",
  "CLAUDE_EFFORT",
  "AI_AGENT"
]);
function isClaudeCredential(name) {
  return name.startsWith("ANTHROPIC_") || name === "CLAUDE_CODE_OAUTH_TOKEN" || name === "CLAUDE_CODE_API_KEY_HELPER_TTL_MS" || /^CLAUDE_CODE_(USE|SKIP)_(BEDROCK|VERTEX|FOUNDRY)(_AUTH)?$/.test(name);
}
var truthy = (v) => v !== void 0 && v !== "" && v !== "0" && v.toLowerCase() !== "false";
function providerCredential(name, env) {
  if (truthy(env.CLAUDE_CODE_USE_BEDROCK) && name.startsWith("AWS_")) return true;
  if (truthy(env.CLAUDE_CODE_USE_VERTEX) && (name === "GOOGLE_APPLICATION_CREDENTIALS" || name.startsWith("CLOUDSDK_") || name.startsWith("GOOGLE_"))) {
    return true;
  }
  if (truthy(env.CLAUDE_CODE_USE_FOUNDRY) && name.startsWith("AZURE_")) return true;
  return false;
}
function alwaysRemoved(name) {
  if (REMOVE_EXACT.has(name)) return "GitHub credential or workflow file";
  if (REMOVE_PREFIXES.some((p) => name.startsWith(p))) return "Actions input or runtime variable";
  if (SESSION_MARKERS.has(name)) return "marker of an enclosing Claude Code session";
  return void 0;
}
var MODEL_CREDENTIAL_VARS = [
  "ANTHROPIC_API_KEY",
  "ANTHROPIC_AUTH_TOKEN",
  "CLAUDE_CODE_OAUTH_TOKEN",
  "ANTHROPIC_BASE_URL"
];
function scrubbedEnv(env, opts = {}) {
  const drop = new Set(opts.modelCredentials === false ? MODEL_CREDENTIAL_VARS : []);
  const out = {};
  for (const [name, value] of Object.entries(env)) {
    if (value === void 0 || drop.has(name) || alwaysRemoved(name) !== void 0) continue;
    out[name] = value;
  }
  return out;
}
function scrubReason(name, env, kind = "claude") {
  const always = alwaysRemoved(name);
  if (always !== void 0) return always;
  if (kind === "claude" && (isClaudeCredential(name) || providerCredential(name, env))) return void 0;
  if (SECRET_NAME.test(name)) return "looks like a secret";
  return void 0;
}
function agentEnv(baseEnv, taskEnv = {}, options = {}) {
  const kind = options.kind ?? "claude";
  const merged = { ...baseEnv, ...taskEnv };
  const out = {};
  for (const [name, value] of Object.entries(baseEnv)) {
    if (value === void 0) continue;
    if (scrubReason(name, merged, kind) !== void 0) continue;
    out[name] = value;
  }
  Object.assign(out, taskEnv);
  if (kind === "claude") {
    out.CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC ??= "1";
    out.CLAUDE_CODE_MAX_RETRIES ??= String(options.maxRetries ?? DEFAULT_CLAUDE_MAX_RETRIES);
  }
  return out;
}

// src/engine/report/markdown.ts
var MAX_FILES_LISTED = 50;
var MAX_SUMMARY_CHARS = 6e3;
function holdsCredential(r) {
  return r.violations.some((v) => v.rule.startsWith("secret."));
}
function renderTaskMarkdown(r, links = {}) {
  const out = [];
  const secret = holdsCredential(r);
  out.push(`### ${STATUS_ICON[r.status] ?? ""} ${mdCode(r.task)} \u2014 ${r.status.replace("_", " ")}`, "");
  out.push(mdText(r.message), "");
  const facts = [
    [
      "Branch",
      `${mdCode(r.branch)} onto ${mdCode(r.base)}${r.baseCommit ? ` (${r.baseCommit.slice(0, 7)})` : ""}`
    ]
  ];
  if (r.trigger) facts.push(["Trigger", mdText(r.trigger)]);
  if (r.agent) {
    facts.push([
      "Agent",
      r.agent.kind === "claude" ? `Claude Code${r.agent.model ? ` (${mdText(r.agent.model)})` : ""}` : "command"
    ]);
    if (r.agent.numTurns !== void 0) facts.push(["Turns", String(r.agent.numTurns)]);
    if (r.agent.costUsd !== void 0) facts.push(["Cost", formatCost(r.agent.costUsd)]);
  }
  facts.push(["Duration", formatDuration(r.durationMs)]);
  if (r.attempts > 1) facts.push(["Attempts", String(r.attempts)]);
  facts.push(["Files changed", `${r.files.length} (+${r.additions} \u2212${r.deletions})`]);
  if (r.rebased) facts.push(["Rebased", "yes, onto the latest base"]);
  if (links.runUrl) facts.push(["Workflow run", `[open](${links.runUrl})`]);
  if (r.backup)
    facts.push([
      "Backup",
      links.artifactUrl && !secret ? `[${mdText(r.backup)}](${links.artifactUrl})` : mdCode(r.backup)
    ]);
  out.push("| | |", "|---|---|", ...facts.map(([k, v]) => `| ${k} | ${v} |`), "");
  if (secret) {
    out.push(
      "**The change holds what looks like a credential.** Its diff, its files' content and the agent's text are not shown; where it was found is listed below, never what.",
      ""
    );
  } else {
    if (r.agent?.summary) {
      const summary = r.agent.summary.length > MAX_SUMMARY_CHARS ? `${r.agent.summary.slice(0, MAX_SUMMARY_CHARS)}\u2026` : r.agent.summary;
      const who = r.agent.kind === "claude" ? "What the agent reported" : "The command's last output";
      out.push(`<details><summary>${who}</summary>`, "", mdFenced(summary), "", "</details>", "");
    }
    if (r.agent?.error) out.push(`**Agent error:** ${mdText(r.agent.error, 1e3)}`, "");
  }
  for (const w of r.warnings ?? []) out.push(`> [!WARNING]
> ${mdText(w)}`, "");
  if (r.violations.length > 0) {
    out.push("**Guard violations** (the change was not committed):", "");
    for (const v of r.violations) out.push(`- ${mdCode(v.rule)}: ${mdText(v.message)}`);
    out.push("");
  }
  if (r.conflicts.length > 0) {
    out.push("**Conflicts with the latest base:**", "", ...r.conflicts.map((f) => `- ${mdCode(f)}`), "");
  }
  if (r.files.length > 0) {
    out.push("<details><summary>Files</summary>", "", "| File | Change | + | \u2212 |", "|---|---|---|---|");
    for (const f of r.files.slice(0, MAX_FILES_LISTED)) {
      const name = f.oldPath ? `${mdCode(f.oldPath)} \u2192 ${mdCode(f.path)}` : mdCode(f.path);
      out.push(
        `| ${name} | ${mdText(f.status)} | ${f.binary ? "bin" : f.additions} | ${f.binary ? "bin" : f.deletions} |`
      );
    }
    if (r.files.length > MAX_FILES_LISTED) out.push(`| \u2026 ${r.files.length - MAX_FILES_LISTED} more | | | |`);
    out.push("", "</details>", "");
  }
  return out.join("\n").trimEnd() + "\n";
}
var ISOLATION_NONE_WARNING = "> [!WARNING]\n> `isolation: none`: the agents of this run had no sandbox \u2014 they could read this machine's credentials and change anything its user can.";
function renderRunMarkdown(report, links = {}) {
  const out = [];
  const title = report.mode === "dry-run" ? "claude-tasks dry run" : "claude-tasks run";
  out.push(`## ${title} ${mdCode(report.runId)}`, "");
  if (report.isolation === "none") out.push(ISOLATION_NONE_WARNING, "");
  out.push("| Task | Status | PR | Cost | Turns | Duration | Files |", "|---|---|---|---|---|---|---|");
  for (const r of report.results) {
    const pr = r.pr?.url ? `[#${r.pr.number}](${r.pr.url})` : r.pr?.action?.startsWith("would") ? r.pr.action : "\u2013";
    out.push(
      `| ${mdCode(r.task)} | ${STATUS_ICON[r.status] ?? ""} ${r.status} | ${pr} | ${formatCost(r.agent?.costUsd)} | ${r.agent?.numTurns ?? "\u2013"} | ${formatDuration(r.durationMs)} | ${r.files.length} |`
    );
  }
  out.push("", `Total cost: ${formatCost(report.totalCostUsd)} \xB7 ${formatDuration(report.durationMs)}`, "");
  if (report.crossConflicts.length > 0) {
    out.push("**Tasks whose changes conflict with each other:**", "");
    for (const c3 of report.crossConflicts)
      out.push(
        `- ${mdCode(c3.tasks[0])} \u2194 ${mdCode(c3.tasks[1])}: ${c3.files.map((f) => mdCode(f)).join(", ")}`
      );
    out.push("");
  }
  for (const r of report.results) {
    if (r.status === "skipped") continue;
    out.push(renderTaskMarkdown(r, links));
  }
  return out.join("\n").trimEnd() + "\n";
}

// src/engine/sandbox/credentials.ts
import { readFile } from "node:fs/promises";
import { join as join2 } from "node:path";
var CREDENTIAL_VARIABLE = {
  "auth-token": "ANTHROPIC_AUTH_TOKEN",
  "api-key": "ANTHROPIC_API_KEY",
  oauth: "CLAUDE_CODE_OAUTH_TOKEN"
};
function modelCredentialFrom(env) {
  for (const kind of ["auth-token", "api-key", "oauth"]) {
    const value = env[CREDENTIAL_VARIABLE[kind]];
    if (value) return { kind, value };
  }
  return void 0;
}
async function loginCredential(home, now = Date.now()) {
  if (!home) return void 0;
  let text;
  try {
    text = await readFile(join2(home, ".claude", ".credentials.json"), "utf8");
  } catch (err) {
    if (err.code === "ENOENT") return void 0;
    throw err;
  }
  let login;
  try {
    login = JSON.parse(text);
  } catch {
    return void 0;
  }
  const token = login.claudeAiOauth?.accessToken;
  const expires = login.claudeAiOauth?.expiresAt;
  if (typeof token !== "string" || token === "") return void 0;
  if (typeof expires === "number" && expires < now) return void 0;
  return { kind: "oauth", value: token };
}

// src/engine/sandbox/index.ts
import { mkdir as mkdir2, rm as rm2 } from "node:fs/promises";
import { join as join5 } from "node:path";

// src/engine/sandbox/agent-git.ts
import { copyFile, mkdir, readFile as readFile2, rm, writeFile } from "node:fs/promises";
import { join as join3 } from "node:path";
async function prepareAgentGitDir(opts) {
  const { dir } = opts;
  await rm(dir, { recursive: true, force: true });
  await mkdir(join3(dir, "objects", "info"), { recursive: true });
  await mkdir(join3(dir, "refs", "heads"), { recursive: true });
  await mkdir(join3(dir, "refs", "tags"), { recursive: true });
  await writeFile(join3(dir, "objects", "info", "alternates"), `${opts.objectsDir}
`);
  const head = (await readFile2(join3(opts.adminDir, "HEAD"), "utf8")).trim();
  await writeFile(join3(dir, "HEAD"), `${head}
`);
  const packed = opts.refs.split("\n").filter((l) => /^[0-9a-f]{40,64} refs\/(?:heads|tags|remotes)\/\S+$/.test(l)).join("\n");
  await writeFile(join3(dir, "packed-refs"), `# pack-refs with: sorted
${packed}
`);
  await writeFile(
    join3(dir, "config"),
    "[core]\n	repositoryformatversion = 0\n	filemode = true\n	bare = false\n	logallrefupdates = false\n"
  );
  try {
    await copyFile(join3(opts.adminDir, "index"), join3(dir, "index"));
  } catch (err) {
    if (!isCode(err, "ENOENT")) throw err;
  }
}

// src/engine/sandbox/bwrap.ts
import { existsSync, realpathSync, statSync as statSync2 } from "node:fs";
import { delimiter as delimiter2, dirname, join as join4, sep } from "node:path";
function bwrapArgs(plan) {
  const a2 = [
    "--unshare-user",
    "--unshare-pid",
    "--unshare-ipc",
    "--unshare-uts",
    "--unshare-cgroup-try",
    "--die-with-parent",
    "--new-session",
    "--cap-drop",
    "ALL"
  ];
  if (plan.uid !== void 0) a2.push("--uid", String(plan.uid), "--gid", String(plan.uid));
  a2.push("--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc");
  for (const dir of outermost(plan.hide)) a2.push("--tmpfs", dir);
  a2.push("--tmpfs", plan.home);
  for (const file of plan.blank) a2.push("--ro-bind", "/dev/null", file);
  for (const path6 of plan.expose) a2.push("--ro-bind", path6, path6);
  a2.push("--bind", plan.worktree, plan.worktree);
  const gitFile = join4(plan.worktree, ".git");
  a2.push("--ro-bind", gitFile, gitFile);
  a2.push("--ro-bind", plan.objectsDir, plan.objectsDir);
  a2.push("--bind", plan.agentGitDir, plan.adminDir);
  a2.push("--chdir", plan.cwd, "--", plan.command, ...plan.args);
  return a2;
}
function outermost(paths) {
  const unique = [...new Set(paths)];
  return unique.filter((p) => !unique.some((q) => q !== p && isInside(p, q)));
}
function isInside(path6, dir) {
  return dir === "/" ? path6 !== "/" : path6 === dir || path6.startsWith(dir + sep);
}
var NEVER_HIDE = /* @__PURE__ */ new Set([
  "/",
  "/usr",
  "/bin",
  "/sbin",
  "/lib",
  "/lib32",
  "/lib64",
  "/etc",
  "/opt",
  "/var",
  "/proc",
  "/dev",
  "/sys"
]);
var BLANK_FILES = ["/etc/shadow", "/etc/gshadow", "/etc/sudoers"];
function hostMounts(h2) {
  const e = h2.env;
  const candidates = [
    "/tmp",
    "/var/tmp",
    "/run",
    "/home",
    "/root",
    "/mnt",
    "/media",
    "/srv",
    "/etc/ssh",
    "/var/run",
    e.HOME,
    e.TMPDIR,
    e.XDG_RUNTIME_DIR,
    e.RUNNER_TEMP,
    e.RUNNER_WORKSPACE,
    e.GITHUB_WORKSPACE,
    h2.repoRoot,
    h2.commonDir,
    h2.stateDir,
    // sibling worktrees (other tasks of this and other runs) and other repositories' worktrees
    dirname(h2.worktree),
    dirname(dirname(h2.worktree)),
    e.CLAUDE_TASKS_WORKTREES
  ];
  const hide = candidates.filter((p) => typeof p === "string" && p.startsWith("/")).map(real).filter((p) => !NEVER_HIDE.has(p) && isDir(p));
  const hidden2 = (p) => hide.some((d) => isInside(p, d));
  const expose = [];
  const add = (p) => {
    if (!p || !existsSync(p)) return;
    const r = real(p);
    if (hidden2(r) && !expose.includes(r)) expose.push(r);
  };
  add(h2.command);
  for (const dir of (h2.path ?? "").split(delimiter2)) {
    if (!dir.startsWith("/") || !isDir(dir)) continue;
    if (dir.endsWith(`${sep}bin`) && existsSync(join4(dir, "node"))) add(dirname(dir));
    else if (dir.endsWith(`${sep}node_modules${sep}.bin`)) add(dirname(dir));
    else add(dir);
  }
  add(existsSync("/etc/resolv.conf") ? "/etc/resolv.conf" : void 0);
  const secret = [h2.repoRoot, h2.commonDir, h2.stateDir, e.RUNNER_TEMP, e.GITHUB_WORKSPACE].filter((p) => !!p && p.startsWith("/")).map(real);
  const safe = expose.filter((p) => !secret.some((s) => isInside(p, s) || isInside(s, p)));
  const blank = BLANK_FILES.filter((f) => existsSync(f));
  return { hide, expose: safe, blank };
}
function real(p) {
  try {
    return realpathSync(p);
  } catch {
    return p;
  }
}
function isDir(p) {
  try {
    return statSync2(p).isDirectory();
  } catch {
    return false;
  }
}
var probed;
function probeBwrap(env = process.env) {
  probed ??= (async () => {
    const bin = env.CLAUDE_TASKS_BWRAP || "bwrap";
    const probeEnv = processEnv({ PATH: env.PATH ?? "" }, C_LOCALE);
    const version = await runCommand(bin, ["--version"], { env: probeEnv, timeoutMs: 1e4 });
    if (version.exitCode !== 0 || version.startError) {
      return {
        ok: false,
        reason: "bubblewrap (bwrap) is not installed (Debian/Ubuntu: `apt-get install bubblewrap`)"
      };
    }
    const probe = await runCommand(
      bin,
      [
        "--unshare-user",
        "--unshare-pid",
        "--die-with-parent",
        "--ro-bind",
        "/",
        "/",
        "--proc",
        "/proc",
        "--dev",
        "/dev",
        "--",
        "true"
      ],
      { env: probeEnv, timeoutMs: 1e4 }
    );
    if (probe.exitCode !== 0 || probe.startError) {
      const why = probe.stderr.toString("utf8").trim().split("\n").at(-1) || `exit code ${probe.exitCode}`;
      return { ok: false, reason: `bubblewrap cannot create a sandbox here (${why})` };
    }
    const path6 = bin.includes("/") ? bin : findOnPath(bin, env.PATH ?? "");
    return { ok: true, path: path6 ?? bin, version: version.stdout.toString("utf8").trim() };
  })();
  return probed;
}
function resetBwrapProbe() {
  probed = void 0;
}

// src/engine/sandbox/types.ts
var ISOLATIONS = ["sandbox", "none"];

// src/engine/sandbox/index.ts
var SandboxUnavailableError = class extends UserError {
};
var HOST_SESSION_VARS = [
  "XDG_RUNTIME_DIR",
  "DBUS_SESSION_BUS_ADDRESS",
  "SSH_AUTH_SOCK",
  "GPG_AGENT_INFO",
  "DISPLAY",
  "WAYLAND_DISPLAY",
  "XAUTHORITY"
];
async function createSandboxProvider(opts) {
  if (opts.isolation === "none") return noneProvider;
  const platform2 = opts.platform ?? process.platform;
  if (platform2 !== "linux") {
    throw new SandboxUnavailableError(
      `no sandbox for agents on ${platform2} yet (claude-tasks uses bubblewrap on Linux); set \`isolation: none\` (Action input) or pass \`--isolation none\` (CLI) to run agents without one`
    );
  }
  const bwrap = await probeBwrap(opts.env);
  if (!bwrap.ok) {
    throw new SandboxUnavailableError(
      `agents cannot be sandboxed: ${bwrap.reason}; install bubblewrap, or set \`isolation: none\` (Action input) or pass \`--isolation none\` (CLI) to run agents without a sandbox`
    );
  }
  const hostEnv = opts.env;
  return {
    isolation: "sandbox",
    async open(target) {
      await mkdir2(target.privateDir, { recursive: true });
      const agentGitDir = join5(target.privateDir, "git");
      const objectsDir = join5(target.commonDir, "objects");
      const uid = process.getuid?.() === 0 ? 1e3 : void 0;
      return {
        kind: "bwrap",
        async wrap(launch) {
          await prepareAgentGitDir({
            dir: agentGitDir,
            adminDir: target.adminDir,
            objectsDir,
            refs: await target.refs()
          });
          const env = { ...launch.env };
          for (const name of HOST_SESSION_VARS) delete env[name];
          const home = env.HOME && env.HOME !== "/" ? env.HOME : "/tmp/home";
          env.HOME = home;
          env.TMPDIR = "/tmp";
          if (env.CLAUDE_CODE_TMPDIR) env.CLAUDE_CODE_TMPDIR = "/tmp";
          const command = launch.command.startsWith("/") ? launch.command : findOnPath(launch.command, env.PATH) ?? launch.command;
          const mounts = hostMounts({
            env: hostEnv,
            worktree: target.worktree,
            repoRoot: target.repoRoot,
            commonDir: target.commonDir,
            stateDir: target.privateDir,
            command,
            path: env.PATH
          });
          const args = bwrapArgs({
            command,
            args: launch.args,
            cwd: launch.cwd,
            worktree: target.worktree,
            agentGitDir,
            adminDir: target.adminDir,
            objectsDir,
            home,
            uid,
            ...mounts
          });
          return { command: bwrap.path, args, cwd: launch.cwd, env };
        },
        async [Symbol.asyncDispose]() {
          await rm2(target.privateDir, { recursive: true, force: true });
        }
      };
    }
  };
}
var noneProvider = {
  isolation: "none",
  async open() {
    return {
      kind: "none",
      wrap: async (launch) => launch,
      async [Symbol.asyncDispose]() {
      }
    };
  }
};

// src/engine/sandbox/model-proxy.ts
import { randomBytes, timingSafeEqual } from "node:crypto";
import { pipeline } from "node:stream";
var DEFAULT_UPSTREAM = "https://api.anthropic.com";
var PLACEHOLDER = {
  "api-key": "sk-ant-api03-claude-tasks-proxy-placeholder",
  oauth: "sk-ant-oat01-claude-tasks-proxy-placeholder",
  "auth-token": "claude-tasks-proxy-placeholder"
};
var HOP_BY_HOP = /* @__PURE__ */ new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "proxy-authenticate",
  "proxy-authorization",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade"
]);
var REQUEST_DROPPED = /* @__PURE__ */ new Set(["host", "expect", "x-api-key", "authorization"]);
async function startModelProxy(opts) {
  const { credential } = opts;
  if (!credential.value) throw new Error("model proxy: the credential is empty");
  const upstream = new URL(opts.upstream || DEFAULT_UPSTREAM);
  if (upstream.protocol !== "https:" && upstream.protocol !== "http:") {
    throw new Error(`model proxy: upstream must be an http(s) URL, not ${upstream.protocol}`);
  }
  if (upstream.username || upstream.password) {
    throw new Error("model proxy: the upstream URL must not carry a user name or password");
  }
  const http = await nodeHttp();
  const secure = upstream.protocol === "https:";
  const https = secure ? await nodeHttps() : void 0;
  const agentOptions = { keepAlive: true, proxyEnv: proxyVariables(opts.proxyEnv ?? process.env) };
  const agent = https ? new https.Agent(agentOptions) : new http.Agent(agentOptions);
  const upstreamPrefix = upstream.pathname.replace(/\/+$/, "");
  const nonce = randomBytes(24).toString("base64url");
  let requests = 0;
  const upstreamRequest = (method, path6, headers, signal) => (https ?? http).request({
    protocol: upstream.protocol,
    hostname: upstream.hostname.replace(/^\[(.*)\]$/, "$1"),
    port: upstream.port || void 0,
    method,
    path: path6,
    headers,
    agent,
    ...signal ? { signal } : {}
  });
  let preconnected = false;
  const preconnect = () => {
    if (preconnected) return;
    preconnected = true;
    const warm = upstreamRequest("HEAD", upstreamPath(upstreamPrefix, "/api/hello"), {});
    warm.on("response", (res) => res.resume());
    warm.on("error", () => {
    });
    warm.end();
  };
  const authHeaders = credential.kind === "api-key" ? { "x-api-key": credential.value } : { authorization: `Bearer ${credential.value}` };
  const handle = (req, res) => {
    const rest = afterNonce(req.url ?? "", nonce);
    if (rest === void 0) {
      sendError(res, 403, "permission_error", "claude-tasks model proxy: unknown path");
      req.resume();
      return;
    }
    if (hasDotSegment(rest)) {
      sendError(res, 400, "invalid_request_error", "claude-tasks model proxy: bad path");
      req.resume();
      return;
    }
    requests++;
    const controller = new AbortController();
    const out = upstreamRequest(
      req.method ?? "GET",
      upstreamPath(upstreamPrefix, rest),
      { ...requestHeaders(req.headers), ...authHeaders },
      controller.signal
    );
    out.on("response", (up) => {
      res.writeHead(up.statusCode ?? 502, up.statusMessage, responseHeaders(up.headers, credential.value));
      res.flushHeaders();
      pipeline(up, res, () => {
      });
    });
    out.on("error", (err) => {
      if (controller.signal.aborted) return;
      if (res.headersSent) {
        res.destroy();
        return;
      }
      const code2 = /^[A-Z0-9_]{1,40}$/.test(err.code ?? "") ? ` (${err.code})` : "";
      sendError(res, 502, "api_error", `claude-tasks model proxy: upstream unreachable${code2}`);
    });
    res.on("close", () => {
      if (!res.writableFinished) controller.abort();
    });
    req.pipe(out);
    req.on("error", () => controller.abort());
  };
  const server = http.createServer({ keepAliveTimeout: 12e4 }, handle);
  await new Promise((resolve2, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve2();
    });
  });
  const address = server.address();
  if (!address || typeof address === "string") throw new Error("model proxy has no TCP address");
  const baseUrl = `http://127.0.0.1:${address.port}/${nonce}`;
  return {
    baseUrl,
    agentEnv: {
      ANTHROPIC_BASE_URL: baseUrl,
      [CREDENTIAL_VARIABLE[credential.kind]]: PLACEHOLDER[credential.kind]
    },
    get requests() {
      return requests;
    },
    preconnect,
    close: () => new Promise((resolve2) => {
      server.close(() => resolve2());
      server.closeAllConnections();
      agent.destroy();
    })
  };
}
var PROXY_VARIABLES = ["HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "NO_PROXY", "no_proxy"];
function proxyVariables(env) {
  const out = {};
  for (const name of PROXY_VARIABLES) {
    const value = env[name];
    if (value) out[name] = value;
  }
  return out;
}
function afterNonce(url, nonce) {
  if (!url.startsWith("/")) return void 0;
  const end = url.slice(1).search(/[/?]/);
  const segment = end === -1 ? url.slice(1) : url.slice(1, end + 1);
  const given = Buffer.from(segment);
  const wanted = Buffer.from(nonce);
  if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) return void 0;
  return url.slice(1 + segment.length);
}
function upstreamPath(prefix, rest) {
  const path6 = rest.startsWith("/") ? rest : `/${rest}`;
  return prefix + path6;
}
function hasDotSegment(rest) {
  const path6 = rest.split("?")[0] ?? "";
  return path6.split("/").some((segment) => {
    try {
      const s = decodeURIComponent(segment);
      return s === "." || s === "..";
    } catch {
      return true;
    }
  });
}
function hopByHop(headers) {
  const named = String(headers.connection ?? "").split(",").map((s) => s.trim().toLowerCase()).filter(Boolean);
  return /* @__PURE__ */ new Set([...HOP_BY_HOP, ...named]);
}
function requestHeaders(headers) {
  const drop = hopByHop(headers);
  const out = {};
  for (const [name, value] of Object.entries(headers)) {
    if (!drop.has(name) && !REQUEST_DROPPED.has(name)) out[name] = value;
  }
  return out;
}
function responseHeaders(headers, secret) {
  const drop = hopByHop(headers);
  const out = {};
  for (const [name, value] of Object.entries(headers)) {
    if (drop.has(name) || value === void 0) continue;
    if ((Array.isArray(value) ? value : [value]).some((v) => v.includes(secret))) continue;
    out[name] = value;
  }
  return out;
}
function sendError(res, status, type, message) {
  const body = JSON.stringify({ type: "error", error: { type, message } });
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
  res.end(body);
}

// src/engine/agent/tool-rules.ts
import { lstatSync, readdirSync, readFileSync, realpathSync as realpathSync2 } from "node:fs";
import { homedir } from "node:os";
import { dirname as dirname2, isAbsolute as isAbsolute2, join as join6, relative, resolve, sep as sep2 } from "node:path";
var SCOPED_RULE = {
  Read: "Read",
  Edit: "Edit",
  Write: "Edit",
  MultiEdit: "Edit",
  NotebookEdit: "Edit",
  Glob: "Glob",
  Grep: "Grep"
};
var FILE_TOOLS = Object.keys(SCOPED_RULE);
function rulePath(abs) {
  const escaped = abs.replace(/[\\*?[\]!#()]/g, (c3) => `\\${c3}`).replace(/[\u0000-\u001f\u007f]/g, "?").replace(/ $/, "?");
  return `/${escaped}`;
}
function splitToolRules(list) {
  const out = [];
  for (const item of list) {
    let depth = 0;
    let current = "";
    for (let i2 = 0; i2 < item.length; i2++) {
      const c3 = item[i2] ?? "";
      if (c3 === "\\") {
        current += c3 + (item[++i2] ?? "");
        continue;
      }
      if (c3 === "(") depth++;
      else if (c3 === ")") depth = Math.max(0, depth - 1);
      if (depth === 0 && (c3 === "," || /\s/.test(c3))) {
        if (current) out.push(current);
        current = "";
      } else current += c3;
    }
    if (current) out.push(current);
  }
  return out;
}
function scopeAllowedTools(allowed, worktree) {
  const out = [];
  for (const tool of splitToolRules(allowed)) {
    const rule = SCOPED_RULE[tool];
    const mapped = rule ? `${rule}(${rulePath(worktree)}/**)` : tool;
    if (!out.includes(mapped)) out.push(mapped);
  }
  return out;
}
var fsLister = {
  list: (dir) => {
    try {
      return readdirSync(dir);
    } catch {
      return [];
    }
  },
  isDir: (path6) => {
    try {
      return lstatSync(path6).isDirectory();
    } catch {
      return false;
    }
  }
};
var isInside2 = (path6, dir) => {
  const rel = relative(dir, path6);
  return rel === "" || !rel.startsWith("..") && !isAbsolute2(rel);
};
function denyRules(worktree, roots, fs = fsLister) {
  const paths = [];
  const add = (path6, dir) => {
    if (!paths.some((p) => p.path === path6)) paths.push({ path: path6, dir });
  };
  for (const root of roots) {
    if (isInside2(root, worktree)) continue;
    if (!isInside2(worktree, root)) {
      add(root, true);
      continue;
    }
    for (let keep = worktree; keep !== root; keep = dirname2(keep)) {
      const parent = dirname2(keep);
      for (const name of fs.list(parent)) {
        const entry = join6(parent, name);
        if (entry !== keep) add(entry, fs.isDir(entry));
      }
    }
  }
  return paths.flatMap(({ path: path6, dir }) => {
    const body = dir ? `${rulePath(path6)}/**` : rulePath(path6);
    return [`Read(${body})`, `Edit(${body})`];
  });
}
function protectedRoots(worktree, env) {
  const roots = [env.HOME, homeOf(), env.RUNNER_TEMP, "/proc", ...repositoryOf(worktree)].filter((p) => !!p && isAbsolute2(p)).map(real2);
  return [...new Set(roots)];
}
function repositoryOf(worktree) {
  try {
    const dotGit = readFileSync(join6(worktree, ".git"), "utf8");
    const m = /^gitdir: (.+)$/m.exec(dotGit);
    if (!m?.[1]) return [];
    const adminDir = resolve(worktree, m[1].trim());
    const common2 = resolve(adminDir, readFileSync(join6(adminDir, "commondir"), "utf8").trim());
    return common2.endsWith(`${sep2}.git`) ? [common2, dirname2(common2)] : [common2];
  } catch {
    return [];
  }
}
function homeOf() {
  try {
    return homedir();
  } catch {
    return void 0;
  }
}
function real2(p) {
  try {
    return realpathSync2(p);
  } catch {
    return resolve(p);
  }
}
function toolScope(cwd, env) {
  const worktree = real2(cwd);
  return { worktree, deny: denyRules(worktree, protectedRoots(worktree, env)) };
}

// src/engine/agent/claude-args.ts
function buildClaudeArgs(settings, scope) {
  const argv = ["-p", "--output-format", "stream-json"];
  if (settings.model) argv.push("--model", settings.model);
  if (settings.max_turns !== void 0) argv.push("--max-turns", String(settings.max_turns));
  if (settings.max_budget_usd !== void 0) argv.push("--max-budget-usd", String(settings.max_budget_usd));
  if (settings.permission_mode) argv.push("--permission-mode", settings.permission_mode);
  if (settings.append_system_prompt) argv.push("--append-system-prompt", settings.append_system_prompt);
  const allowed = scope ? scopeAllowedTools(settings.allowed_tools ?? [], scope.worktree) : settings.allowed_tools ?? [];
  const disallowed = [...settings.disallowed_tools ?? [], ...scope?.deny ?? []];
  if (allowed.length) argv.push("--allowedTools", ...allowed);
  if (disallowed.length) argv.push("--disallowedTools", ...disallowed);
  argv.push("--verbose");
  if (settings.args?.length) argv.push(...settings.args);
  return argv;
}

// src/engine/agent/claude-stream.ts
import { isAbsolute as isAbsolute3, relative as relative2 } from "node:path";

// src/engine/agent/output.ts
import { StringDecoder } from "node:string_decoder";
var DEFAULT_TAIL_BYTES = 64 * 1024;
var TAIL_LINE_CHARS = 4 * 1024;
var LineSplitter = class {
  #decoder = new StringDecoder("utf8");
  #maxLineChars;
  #onLine;
  #pending = "";
  #overflow = false;
  constructor(maxLineChars, onLine) {
    this.#maxLineChars = maxLineChars;
    this.#onLine = onLine;
  }
  write(chunk) {
    const text = typeof chunk === "string" ? chunk : this.#decoder.write(chunk);
    let start = 0;
    for (; ; ) {
      const nl = text.indexOf("\n", start);
      if (nl < 0) {
        this.#append(start === 0 ? text : text.slice(start));
        return;
      }
      this.#append(text.slice(start, nl));
      this.#emit();
      start = nl + 1;
    }
  }
  /** Emits the last line if it has no trailing newline. */
  end() {
    this.#append(this.#decoder.end());
    if (this.#pending.length > 0 || this.#overflow) this.#emit();
  }
  #append(part) {
    if (this.#overflow || part.length === 0) return;
    const room = this.#maxLineChars - this.#pending.length;
    if (part.length > room) {
      this.#pending += part.slice(0, room);
      this.#overflow = true;
    } else {
      this.#pending += part;
    }
  }
  #emit() {
    const line = this.#pending.endsWith("\r") ? this.#pending.slice(0, -1) : this.#pending;
    const truncated = this.#overflow;
    this.#pending = "";
    this.#overflow = false;
    this.#onLine(line, truncated);
  }
};
var TailBuffer = class {
  #maxChars;
  #lineChars;
  #lines = [];
  #head = 0;
  #size = 0;
  #dropped = false;
  constructor(maxChars = DEFAULT_TAIL_BYTES, lineChars = TAIL_LINE_CHARS) {
    this.#maxChars = maxChars;
    this.#lineChars = lineChars;
  }
  push(line, truncated = false) {
    let text = line;
    if (text.length > this.#lineChars || truncated) {
      text = `${copyString(text.slice(0, this.#lineChars))} \u2026 [line truncated]`;
    }
    this.#lines.push(text);
    this.#size += text.length + 1;
    while (this.#size > this.#maxChars && this.#head < this.#lines.length - 1) {
      this.#size -= (this.#lines[this.#head]?.length ?? 0) + 1;
      this.#lines[this.#head] = "";
      this.#head++;
      this.#dropped = true;
    }
    if (this.#head > 1024 && this.#head * 2 > this.#lines.length) {
      this.#lines = this.#lines.slice(this.#head);
      this.#head = 0;
    }
  }
  /** The last lines, `n` at most. */
  lastLines(n3) {
    const start = Math.max(this.#head, this.#lines.length - n3);
    return this.#lines.slice(start);
  }
  toString() {
    const body = this.#lines.slice(this.#head).join("\n");
    return this.#dropped ? `[\u2026 earlier output omitted]
${body}` : body;
  }
};
function truncate(text, max) {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}\u2026`;
}
function truncateStart(text, max) {
  return text.length <= max ? text : `\u2026${text.slice(text.length - max + 1)}`;
}
function oneLine(text, max = 500) {
  return truncate(text.replace(/\s+/g, " ").trim(), max);
}
function formatDuration2(ms) {
  if (ms > 0 && ms % 36e5 === 0) return `${ms / 36e5}h`;
  if (ms > 0 && ms % 6e4 === 0) return `${ms / 6e4}m`;
  if (ms > 0 && ms % 1e3 === 0) return `${ms / 1e3}s`;
  return `${ms}ms`;
}
function copyString(s) {
  return Buffer.from(s, "utf8").toString("utf8");
}

// src/engine/agent/claude-stream.ts
var str = (v) => typeof v === "string" ? v : void 0;
var num = (v) => typeof v === "number" && Number.isFinite(v) ? v : void 0;
var obj = (v) => v !== null && typeof v === "object" && !Array.isArray(v) ? v : void 0;
function describeToolUse(tool, input, cwd) {
  const args = obj(input) ?? {};
  const path6 = str(args.file_path) ?? str(args.notebook_path) ?? str(args.path);
  const shown = (p) => {
    if (!cwd || !isAbsolute3(p)) return p;
    const rel = relative2(cwd, p);
    return rel && !rel.startsWith("..") && !isAbsolute3(rel) ? rel : p;
  };
  const command = str(args.command);
  if (command !== void 0) return `${tool}: ${oneLine(command.split("\n")[0] ?? "", 100)}`;
  if (path6 !== void 0 && (tool === "Read" || tool === "Write" || tool === "Edit" || tool === "NotebookEdit")) {
    return `${tool} ${shown(path6)}`;
  }
  const pattern = str(args.pattern);
  if (pattern !== void 0) return `${tool} ${oneLine(pattern, 80)}${path6 ? ` in ${shown(path6)}` : ""}`;
  const detail = str(args.url) ?? str(args.query) ?? str(args.description) ?? str(args.prompt);
  return detail ? `${tool}: ${oneLine(detail, 100)}` : tool;
}
var ClaudeStreamParser = class {
  #cwd;
  sessionId;
  model;
  result;
  /** `error` of the last assistant message (set on synthetic error messages). */
  lastAssistantError;
  /** The last text the assistant produced, in case no result line arrives. */
  lastText;
  lastRetry;
  nonJsonLines = 0;
  lastNonJsonLine;
  constructor(cwd) {
    this.#cwd = cwd;
  }
  /** Parses one stdout line; returns the events it carries (possibly none). */
  handleLine(line, truncated = false) {
    const trimmed = line.trim();
    if (!trimmed) return [];
    if (truncated || !trimmed.startsWith("{")) return this.#nonJson(trimmed);
    let message;
    try {
      message = obj(JSON.parse(trimmed));
    } catch {
      return this.#nonJson(trimmed);
    }
    if (!message) return this.#nonJson(trimmed);
    switch (message.type) {
      case "system":
        return this.#system(message);
      case "assistant":
        return this.#assistant(message);
      case "user":
        return this.#user(message);
      case "result":
        return this.#result(message);
      default:
        return [];
    }
  }
  #nonJson(line) {
    this.nonJsonLines++;
    this.lastNonJsonLine = oneLine(line, 300);
    return [];
  }
  #system(m) {
    if (m.subtype === "init") {
      this.sessionId = str(m.session_id) ?? this.sessionId;
      this.model = str(m.model) ?? this.model;
      const tools = Array.isArray(m.tools) ? m.tools.filter((t) => typeof t === "string") : [];
      return [
        {
          type: "init",
          sessionId: this.sessionId,
          model: this.model,
          tools,
          permissionMode: str(m.permissionMode),
          version: str(m.claude_code_version)
        }
      ];
    }
    if (m.subtype === "api_retry") {
      const status = num(m.error_status);
      this.lastRetry = { status, error: str(m.error) };
      return [
        {
          type: "api_retry",
          attempt: num(m.attempt) ?? 0,
          maxRetries: num(m.max_retries),
          delayMs: num(m.retry_delay_ms),
          status,
          error: str(m.error)
        }
      ];
    }
    if (m.subtype === "permission_denied") {
      return [
        { type: "permission_denied", tool: str(m.tool_name) ?? "?", message: oneLine(str(m.message) ?? "") }
      ];
    }
    return [];
  }
  #assistant(m) {
    const message = obj(m.message);
    this.lastAssistantError = str(m.error);
    if (message && str(message.model) !== "<synthetic>") this.model = str(message.model) ?? this.model;
    const events = [];
    const content = Array.isArray(message?.content) ? message.content : [];
    for (const raw of content) {
      const block = obj(raw);
      if (block?.type === "text") {
        const text = str(block.text) ?? "";
        if (text.trim()) {
          this.lastText = text;
          events.push({ type: "text", text });
        }
      } else if (block?.type === "tool_use") {
        const tool = str(block.name) ?? "?";
        events.push({
          type: "tool_use",
          tool,
          id: str(block.id),
          description: describeToolUse(tool, block.input, this.#cwd)
        });
      }
    }
    return events;
  }
  #user(m) {
    const content = obj(m.message)?.content;
    if (!Array.isArray(content)) return [];
    const events = [];
    for (const raw of content) {
      const block = obj(raw);
      if (block?.type === "tool_result") {
        events.push({ type: "tool_result", id: str(block.tool_use_id), isError: block.is_error === true });
      }
    }
    return events;
  }
  #result(m) {
    const denials = Array.isArray(m.permission_denials) ? m.permission_denials : [];
    const result = {
      subtype: str(m.subtype) ?? "unknown",
      isError: m.is_error === true,
      text: str(m.result) ?? "",
      numTurns: num(m.num_turns),
      costUsd: num(m.total_cost_usd),
      sessionId: str(m.session_id),
      apiErrorStatus: num(m.api_error_status),
      errors: Array.isArray(m.errors) ? m.errors.map((e) => oneLine(String(e), 300)).slice(0, 10) : [],
      permissionDenials: denials.slice(0, 100).map((d) => {
        const denial = obj(d) ?? {};
        const tool = str(denial.tool_name) ?? "?";
        return { tool, description: truncate(describeToolUse(tool, denial.tool_input, this.#cwd), 200) };
      })
    };
    this.result = result;
    this.sessionId = result.sessionId ?? this.sessionId;
    return [
      {
        type: "result",
        subtype: result.subtype,
        isError: result.isError,
        numTurns: result.numTurns,
        costUsd: result.costUsd
      }
    ];
  }
};

// src/engine/agent/run-process.ts
import { randomUUID } from "node:crypto";
import { statSync as statSync4 } from "node:fs";

// node_modules/is-plain-obj/index.js
function isPlainObject(value) {
  if (typeof value !== "object" || value === null) {
    return false;
  }
  const prototype = Object.getPrototypeOf(value);
  return (prototype === null || prototype === Object.prototype || Object.getPrototypeOf(prototype) === null) && !(Symbol.toStringTag in value) && !(Symbol.iterator in value);
}

// node_modules/execa/lib/arguments/file-url.js
import { fileURLToPath } from "node:url";
var safeNormalizeFileUrl = (file, name) => {
  const fileString = normalizeFileUrl(normalizeDenoExecPath(file));
  if (typeof fileString !== "string") {
    throw new TypeError(`${name} must be a string or a file URL: ${fileString}.`);
  }
  return fileString;
};
var normalizeDenoExecPath = (file) => isDenoExecPath(file) ? file.toString() : file;
var isDenoExecPath = (file) => typeof file !== "string" && file && Object.getPrototypeOf(file) === String.prototype;
var normalizeFileUrl = (file) => file instanceof URL ? fileURLToPath(file) : file;

// node_modules/execa/lib/methods/parameters.js
var normalizeParameters = (rawFile, rawArguments = [], rawOptions = {}) => {
  const filePath = safeNormalizeFileUrl(rawFile, "First argument");
  const [commandArguments, options] = isPlainObject(rawArguments) ? [[], rawArguments] : [rawArguments, rawOptions];
  if (!Array.isArray(commandArguments)) {
    throw new TypeError(`Second argument must be either an array of arguments or an options object: ${commandArguments}`);
  }
  if (commandArguments.some((commandArgument) => typeof commandArgument === "object" && commandArgument !== null)) {
    throw new TypeError(`Second argument must be an array of strings: ${commandArguments}`);
  }
  const normalizedArguments = commandArguments.map(String);
  const nullByteArgument = normalizedArguments.find((normalizedArgument) => normalizedArgument.includes("\0"));
  if (nullByteArgument !== void 0) {
    throw new TypeError(`Arguments cannot contain null bytes ("\\0"): ${nullByteArgument}`);
  }
  if (!isPlainObject(options)) {
    throw new TypeError(`Last argument must be an options object: ${options}`);
  }
  return [filePath, normalizedArguments, options];
};

// node_modules/execa/lib/methods/template.js
import { ChildProcess } from "node:child_process";

// node_modules/execa/lib/utils/uint-array.js
import { StringDecoder as StringDecoder2 } from "node:string_decoder";
var { toString: objectToString } = Object.prototype;
var isArrayBuffer = (value) => objectToString.call(value) === "[object ArrayBuffer]";
var isUint8Array = (value) => objectToString.call(value) === "[object Uint8Array]";
var bufferToUint8Array = (buffer) => new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
var textEncoder = new TextEncoder();
var stringToUint8Array = (string) => textEncoder.encode(string);
var textDecoder = new TextDecoder();
var uint8ArrayToString = (uint8Array) => textDecoder.decode(uint8Array);
var joinToString = (uint8ArraysOrStrings, encoding) => {
  const strings = uint8ArraysToStrings(uint8ArraysOrStrings, encoding);
  return strings.join("");
};
var uint8ArraysToStrings = (uint8ArraysOrStrings, encoding) => {
  if (encoding === "utf8" && uint8ArraysOrStrings.every((uint8ArrayOrString) => typeof uint8ArrayOrString === "string")) {
    return uint8ArraysOrStrings;
  }
  const decoder = new StringDecoder2(encoding);
  const strings = uint8ArraysOrStrings.map((uint8ArrayOrString) => typeof uint8ArrayOrString === "string" ? stringToUint8Array(uint8ArrayOrString) : uint8ArrayOrString).map((uint8Array) => decoder.write(uint8Array));
  const finalString = decoder.end();
  return finalString === "" ? strings : [...strings, finalString];
};
var joinToUint8Array = (uint8ArraysOrStrings) => {
  if (uint8ArraysOrStrings.length === 1 && isUint8Array(uint8ArraysOrStrings[0])) {
    return uint8ArraysOrStrings[0];
  }
  return concatUint8Arrays(stringsToUint8Arrays(uint8ArraysOrStrings));
};
var stringsToUint8Arrays = (uint8ArraysOrStrings) => uint8ArraysOrStrings.map((uint8ArrayOrString) => typeof uint8ArrayOrString === "string" ? stringToUint8Array(uint8ArrayOrString) : uint8ArrayOrString);
var concatUint8Arrays = (uint8Arrays) => {
  const result = new Uint8Array(getJoinLength(uint8Arrays));
  let index = 0;
  for (const uint8Array of uint8Arrays) {
    result.set(uint8Array, index);
    index += uint8Array.length;
  }
  return result;
};
var getJoinLength = (uint8Arrays) => {
  let joinLength = 0;
  for (const uint8Array of uint8Arrays) {
    joinLength += uint8Array.length;
  }
  return joinLength;
};

// node_modules/execa/lib/methods/template.js
var isTemplateString = (templates) => Array.isArray(templates) && Array.isArray(templates.raw);
var parseTemplates = (templates, expressions) => {
  let tokens = [];
  for (const [index, template] of templates.entries()) {
    tokens = parseTemplate({
      templates,
      expressions,
      tokens,
      index,
      template
    });
  }
  if (tokens.length === 0) {
    throw new TypeError("Template script must not be empty");
  }
  const [file, ...commandArguments] = tokens;
  return [file, commandArguments, {}];
};
var parseTemplate = ({ templates, expressions, tokens, index, template }) => {
  if (template === void 0) {
    throw new TypeError(`Invalid backslash sequence: ${templates.raw[index]}`);
  }
  const { nextTokens, leadingWhitespaces, trailingWhitespaces } = splitByWhitespaces(template, templates.raw[index]);
  const newTokens = concatTokens(tokens, nextTokens, leadingWhitespaces);
  if (index === expressions.length) {
    return newTokens;
  }
  const expression = expressions[index];
  const expressionTokens = Array.isArray(expression) ? expression.map((expression2) => parseExpression(expression2)) : [parseExpression(expression)];
  return concatTokens(newTokens, expressionTokens, trailingWhitespaces);
};
var splitByWhitespaces = (template, rawTemplate) => {
  if (rawTemplate.length === 0) {
    return { nextTokens: [], leadingWhitespaces: false, trailingWhitespaces: false };
  }
  const nextTokens = [];
  let templateStart = 0;
  const leadingWhitespaces = DELIMITERS.has(rawTemplate[0]);
  for (let templateIndex = 0, rawIndex = 0; templateIndex < template.length; templateIndex += 1, rawIndex += 1) {
    const rawCharacter = rawTemplate[rawIndex];
    if (DELIMITERS.has(rawCharacter)) {
      if (templateStart !== templateIndex) {
        nextTokens.push(template.slice(templateStart, templateIndex));
      }
      templateStart = templateIndex + 1;
    } else if (rawCharacter === "\\") {
      const nextRawCharacter = rawTemplate[rawIndex + 1];
      if (nextRawCharacter === "\n") {
        templateIndex -= 1;
        rawIndex += 1;
      } else if (nextRawCharacter === "u" && rawTemplate[rawIndex + 2] === "{") {
        rawIndex = rawTemplate.indexOf("}", rawIndex + 3);
      } else {
        rawIndex += ESCAPE_LENGTH[nextRawCharacter] ?? 1;
      }
    }
  }
  const trailingWhitespaces = templateStart === template.length;
  if (!trailingWhitespaces) {
    nextTokens.push(template.slice(templateStart));
  }
  return { nextTokens, leadingWhitespaces, trailingWhitespaces };
};
var DELIMITERS = /* @__PURE__ */ new Set([" ", "	", "\r", "\n"]);
var ESCAPE_LENGTH = { x: 3, u: 5 };
var concatTokens = (tokens, nextTokens, isSeparated) => isSeparated || tokens.length === 0 || nextTokens.length === 0 ? [...tokens, ...nextTokens] : [
  ...tokens.slice(0, -1),
  `${tokens.at(-1)}${nextTokens[0]}`,
  ...nextTokens.slice(1)
];
var parseExpression = (expression) => {
  const typeOfExpression = typeof expression;
  if (typeOfExpression === "string") {
    return expression;
  }
  if (typeOfExpression === "number") {
    return String(expression);
  }
  if (isPlainObject(expression) && ("stdout" in expression || "isMaxBuffer" in expression)) {
    return getSubprocessResult(expression);
  }
  if (expression instanceof ChildProcess || Object.prototype.toString.call(expression) === "[object Promise]") {
    throw new TypeError("Unexpected subprocess in template expression. Please use ${await subprocess} instead of ${subprocess}.");
  }
  throw new TypeError(`Unexpected "${typeOfExpression}" in template expression`);
};
var getSubprocessResult = ({ stdout }) => {
  if (typeof stdout === "string") {
    return stdout;
  }
  if (isUint8Array(stdout)) {
    return uint8ArrayToString(stdout);
  }
  if (stdout === void 0) {
    throw new TypeError(`Missing result.stdout in template expression. This is probably due to the previous subprocess' "stdout" option.`);
  }
  throw new TypeError(`Unexpected "${typeof stdout}" stdout in template expression`);
};

// node_modules/execa/lib/methods/main-sync.js
import { spawnSync } from "node:child_process";

// node_modules/execa/lib/arguments/specific.js
import { debuglog } from "node:util";

// node_modules/execa/lib/utils/standard-stream.js
import process2 from "node:process";
var isStandardStream = (stream) => STANDARD_STREAMS.includes(stream);
var STANDARD_STREAMS = [process2.stdin, process2.stdout, process2.stderr];
var STANDARD_STREAMS_ALIASES = ["stdin", "stdout", "stderr"];
var getStreamName = (fdNumber) => STANDARD_STREAMS_ALIASES[fdNumber] ?? `stdio[${fdNumber}]`;

// node_modules/execa/lib/arguments/specific.js
var normalizeFdSpecificOptions = (options) => {
  const optionsCopy = { ...options };
  for (const optionName of FD_SPECIFIC_OPTIONS) {
    optionsCopy[optionName] = normalizeFdSpecificOption(options, optionName);
  }
  return optionsCopy;
};
var normalizeFdSpecificOption = (options, optionName) => {
  const optionBaseArray = Array.from({ length: getStdioLength(options) + 1 });
  const optionArray = normalizeFdSpecificValue(options[optionName], optionBaseArray, optionName);
  return addDefaultValue(optionArray, optionName);
};
var getStdioLength = ({ stdio }) => Array.isArray(stdio) ? Math.max(stdio.length, STANDARD_STREAMS_ALIASES.length) : STANDARD_STREAMS_ALIASES.length;
var normalizeFdSpecificValue = (optionValue, optionArray, optionName) => isPlainObject(optionValue) ? normalizeOptionObject(optionValue, optionArray, optionName) : optionArray.fill(optionValue);
var normalizeOptionObject = (optionValue, optionArray, optionName) => {
  for (const fdName of Object.keys(optionValue).sort(compareFdName)) {
    for (const fdNumber of parseFdName(fdName, optionName, optionArray)) {
      optionArray[fdNumber] = optionValue[fdName];
    }
  }
  return optionArray;
};
var compareFdName = (fdNameA, fdNameB) => getFdNameOrder(fdNameA) < getFdNameOrder(fdNameB) ? 1 : -1;
var getFdNameOrder = (fdName) => {
  if (fdName === "stdout" || fdName === "stderr") {
    return 0;
  }
  return fdName === "all" ? 2 : 1;
};
var parseFdName = (fdName, optionName, optionArray) => {
  if (fdName === "ipc") {
    return [optionArray.length - 1];
  }
  const fdNumber = parseFd(fdName);
  if (fdNumber === void 0 || fdNumber === 0) {
    throw new TypeError(`"${optionName}.${fdName}" is invalid.
It must be "${optionName}.stdout", "${optionName}.stderr", "${optionName}.all", "${optionName}.ipc", or "${optionName}.fd3", "${optionName}.fd4" (and so on).`);
  }
  if (fdNumber >= optionArray.length) {
    throw new TypeError(`"${optionName}.${fdName}" is invalid: that file descriptor does not exist.
Please set the "stdio" option to ensure that file descriptor exists.`);
  }
  return fdNumber === "all" ? [1, 2] : [fdNumber];
};
var parseFd = (fdName) => {
  if (fdName === "all") {
    return fdName;
  }
  if (STANDARD_STREAMS_ALIASES.includes(fdName)) {
    return STANDARD_STREAMS_ALIASES.indexOf(fdName);
  }
  const regexpResult = FD_REGEXP.exec(fdName);
  if (regexpResult !== null) {
    return Number(regexpResult[1]);
  }
};
var FD_REGEXP = /^fd(\d+)$/;
var addDefaultValue = (optionArray, optionName) => optionArray.map((optionValue) => optionValue === void 0 ? DEFAULT_OPTIONS[optionName] : optionValue);
var verboseDefault = debuglog("execa").enabled ? "full" : "none";
var DEFAULT_OPTIONS = {
  lines: false,
  buffer: true,
  maxBuffer: 1e3 * 1e3 * 100,
  verbose: verboseDefault,
  stripFinalNewline: true
};
var FD_SPECIFIC_OPTIONS = ["lines", "buffer", "maxBuffer", "verbose", "stripFinalNewline"];
var getFdSpecificValue = (optionArray, fdNumber) => fdNumber === "ipc" ? optionArray.at(-1) : optionArray[fdNumber];

// node_modules/execa/lib/verbose/values.js
var isVerbose = ({ verbose }, fdNumber) => getFdVerbose(verbose, fdNumber) !== "none";
var isFullVerbose = ({ verbose }, fdNumber) => !["none", "short"].includes(getFdVerbose(verbose, fdNumber));
var getVerboseFunction = ({ verbose }, fdNumber) => {
  const fdVerbose = getFdVerbose(verbose, fdNumber);
  return isVerboseFunction(fdVerbose) ? fdVerbose : void 0;
};
var getFdVerbose = (verbose, fdNumber) => fdNumber === void 0 ? getFdGenericVerbose(verbose) : getFdSpecificValue(verbose, fdNumber);
var getFdGenericVerbose = (verbose) => verbose.find((fdVerbose) => isVerboseFunction(fdVerbose)) ?? VERBOSE_VALUES.findLast((fdVerbose) => verbose.includes(fdVerbose));
var isVerboseFunction = (fdVerbose) => typeof fdVerbose === "function";
var VERBOSE_VALUES = ["none", "short", "full"];

// node_modules/execa/lib/verbose/log.js
import { inspect } from "node:util";

// node_modules/execa/lib/arguments/escape.js
import { platform } from "node:process";
import { stripVTControlCharacters } from "node:util";
var joinCommand = (filePath, rawArguments) => {
  const fileAndArguments = [filePath, ...rawArguments];
  const command = fileAndArguments.join(" ");
  const escapedCommand = fileAndArguments.map((fileAndArgument) => quoteString(escapeControlCharacters(fileAndArgument))).join(" ");
  return { command, escapedCommand };
};
var escapeLines = (lines) => stripVTControlCharacters(lines).split("\n").map((line) => escapeControlCharacters(line)).join("\n");
var escapeControlCharacters = (line) => line.replaceAll(SPECIAL_CHAR_REGEXP, (character) => escapeControlCharacter(character));
var escapeControlCharacter = (character) => {
  const commonEscape = COMMON_ESCAPES[character];
  if (commonEscape !== void 0) {
    return commonEscape;
  }
  const codepoint = character.codePointAt(0);
  const codepointHex = codepoint.toString(16);
  return codepoint <= ASTRAL_START ? `\\u${codepointHex.padStart(4, "0")}` : `\\U${codepointHex}`;
};
var getSpecialCharRegExp = () => {
  try {
    return new RegExp("\\p{Separator}|\\p{Other}", "gu");
  } catch {
    return /[\s\u0000-\u001F\u007F-\u009F\u00AD]/g;
  }
};
var SPECIAL_CHAR_REGEXP = getSpecialCharRegExp();
var COMMON_ESCAPES = {
  " ": " ",
  "\b": "\\b",
  "\f": "\\f",
  "\n": "\\n",
  "\r": "\\r",
  "	": "\\t"
};
var ASTRAL_START = 65535;
var quoteString = (escapedArgument) => {
  if (NO_ESCAPE_REGEXP.test(escapedArgument)) {
    return escapedArgument;
  }
  return platform === "win32" ? `"${escapedArgument.replaceAll('"', '""')}"` : `'${escapedArgument.replaceAll("'", "'\\''")}'`;
};
var NO_ESCAPE_REGEXP = /^[\w./-]+$/;

// node_modules/is-unicode-supported/index.js
import process3 from "node:process";
function isUnicodeSupported() {
  const { env } = process3;
  const { TERM, TERM_PROGRAM } = env;
  if (process3.platform !== "win32") {
    return TERM !== "linux";
  }
  return Boolean(env.WT_SESSION) || Boolean(env.TERMINUS_SUBLIME) || env.ConEmuTask === "{cmd::Cmder}" || TERM_PROGRAM === "Terminus-Sublime" || TERM_PROGRAM === "vscode" || TERM === "xterm-256color" || TERM === "alacritty" || TERM === "rxvt-unicode" || TERM === "rxvt-unicode-256color" || env.TERMINAL_EMULATOR === "JetBrains-JediTerm";
}

// node_modules/figures/index.js
var common = {
  circleQuestionMark: "(?)",
  questionMarkPrefix: "(?)",
  square: "\u2588",
  squareDarkShade: "\u2593",
  squareMediumShade: "\u2592",
  squareLightShade: "\u2591",
  squareTop: "\u2580",
  squareBottom: "\u2584",
  squareLeft: "\u258C",
  squareRight: "\u2590",
  squareCenter: "\u25A0",
  bullet: "\u25CF",
  dot: "\u2024",
  ellipsis: "\u2026",
  pointerSmall: "\u203A",
  triangleUp: "\u25B2",
  triangleUpSmall: "\u25B4",
  triangleDown: "\u25BC",
  triangleDownSmall: "\u25BE",
  triangleLeftSmall: "\u25C2",
  triangleRightSmall: "\u25B8",
  home: "\u2302",
  heart: "\u2665",
  musicNote: "\u266A",
  musicNoteBeamed: "\u266B",
  arrowUp: "\u2191",
  arrowDown: "\u2193",
  arrowLeft: "\u2190",
  arrowRight: "\u2192",
  arrowLeftRight: "\u2194",
  arrowUpDown: "\u2195",
  almostEqual: "\u2248",
  notEqual: "\u2260",
  lessOrEqual: "\u2264",
  greaterOrEqual: "\u2265",
  identical: "\u2261",
  infinity: "\u221E",
  subscriptZero: "\u2080",
  subscriptOne: "\u2081",
  subscriptTwo: "\u2082",
  subscriptThree: "\u2083",
  subscriptFour: "\u2084",
  subscriptFive: "\u2085",
  subscriptSix: "\u2086",
  subscriptSeven: "\u2087",
  subscriptEight: "\u2088",
  subscriptNine: "\u2089",
  oneHalf: "\xBD",
  oneThird: "\u2153",
  oneQuarter: "\xBC",
  oneFifth: "\u2155",
  oneSixth: "\u2159",
  oneEighth: "\u215B",
  twoThirds: "\u2154",
  twoFifths: "\u2156",
  threeQuarters: "\xBE",
  threeFifths: "\u2157",
  threeEighths: "\u215C",
  fourFifths: "\u2158",
  fiveSixths: "\u215A",
  fiveEighths: "\u215D",
  sevenEighths: "\u215E",
  line: "\u2500",
  lineBold: "\u2501",
  lineDouble: "\u2550",
  lineDashed0: "\u2504",
  lineDashed1: "\u2505",
  lineDashed2: "\u2508",
  lineDashed3: "\u2509",
  lineDashed4: "\u254C",
  lineDashed5: "\u254D",
  lineDashed6: "\u2574",
  lineDashed7: "\u2576",
  lineDashed8: "\u2578",
  lineDashed9: "\u257A",
  lineDashed10: "\u257C",
  lineDashed11: "\u257E",
  lineDashed12: "\u2212",
  lineDashed13: "\u2013",
  lineDashed14: "\u2010",
  lineDashed15: "\u2043",
  lineVertical: "\u2502",
  lineVerticalBold: "\u2503",
  lineVerticalDouble: "\u2551",
  lineVerticalDashed0: "\u2506",
  lineVerticalDashed1: "\u2507",
  lineVerticalDashed2: "\u250A",
  lineVerticalDashed3: "\u250B",
  lineVerticalDashed4: "\u254E",
  lineVerticalDashed5: "\u254F",
  lineVerticalDashed6: "\u2575",
  lineVerticalDashed7: "\u2577",
  lineVerticalDashed8: "\u2579",
  lineVerticalDashed9: "\u257B",
  lineVerticalDashed10: "\u257D",
  lineVerticalDashed11: "\u257F",
  lineDownLeft: "\u2510",
  lineDownLeftArc: "\u256E",
  lineDownBoldLeftBold: "\u2513",
  lineDownBoldLeft: "\u2512",
  lineDownLeftBold: "\u2511",
  lineDownDoubleLeftDouble: "\u2557",
  lineDownDoubleLeft: "\u2556",
  lineDownLeftDouble: "\u2555",
  lineDownRight: "\u250C",
  lineDownRightArc: "\u256D",
  lineDownBoldRightBold: "\u250F",
  lineDownBoldRight: "\u250E",
  lineDownRightBold: "\u250D",
  lineDownDoubleRightDouble: "\u2554",
  lineDownDoubleRight: "\u2553",
  lineDownRightDouble: "\u2552",
  lineUpLeft: "\u2518",
  lineUpLeftArc: "\u256F",
  lineUpBoldLeftBold: "\u251B",
  lineUpBoldLeft: "\u251A",
  lineUpLeftBold: "\u2519",
  lineUpDoubleLeftDouble: "\u255D",
  lineUpDoubleLeft: "\u255C",
  lineUpLeftDouble: "\u255B",
  lineUpRight: "\u2514",
  lineUpRightArc: "\u2570",
  lineUpBoldRightBold: "\u2517",
  lineUpBoldRight: "\u2516",
  lineUpRightBold: "\u2515",
  lineUpDoubleRightDouble: "\u255A",
  lineUpDoubleRight: "\u2559",
  lineUpRightDouble: "\u2558",
  lineUpDownLeft: "\u2524",
  lineUpBoldDownBoldLeftBold: "\u252B",
  lineUpBoldDownBoldLeft: "\u2528",
  lineUpDownLeftBold: "\u2525",
  lineUpBoldDownLeftBold: "\u2529",
  lineUpDownBoldLeftBold: "\u252A",
  lineUpDownBoldLeft: "\u2527",
  lineUpBoldDownLeft: "\u2526",
  lineUpDoubleDownDoubleLeftDouble: "\u2563",
  lineUpDoubleDownDoubleLeft: "\u2562",
  lineUpDownLeftDouble: "\u2561",
  lineUpDownRight: "\u251C",
  lineUpBoldDownBoldRightBold: "\u2523",
  lineUpBoldDownBoldRight: "\u2520",
  lineUpDownRightBold: "\u251D",
  lineUpBoldDownRightBold: "\u2521",
  lineUpDownBoldRightBold: "\u2522",
  lineUpDownBoldRight: "\u251F",
  lineUpBoldDownRight: "\u251E",
  lineUpDoubleDownDoubleRightDouble: "\u2560",
  lineUpDoubleDownDoubleRight: "\u255F",
  lineUpDownRightDouble: "\u255E",
  lineDownLeftRight: "\u252C",
  lineDownBoldLeftBoldRightBold: "\u2533",
  lineDownLeftBoldRightBold: "\u252F",
  lineDownBoldLeftRight: "\u2530",
  lineDownBoldLeftBoldRight: "\u2531",
  lineDownBoldLeftRightBold: "\u2532",
  lineDownLeftRightBold: "\u252E",
  lineDownLeftBoldRight: "\u252D",
  lineDownDoubleLeftDoubleRightDouble: "\u2566",
  lineDownDoubleLeftRight: "\u2565",
  lineDownLeftDoubleRightDouble: "\u2564",
  lineUpLeftRight: "\u2534",
  lineUpBoldLeftBoldRightBold: "\u253B",
  lineUpLeftBoldRightBold: "\u2537",
  lineUpBoldLeftRight: "\u2538",
  lineUpBoldLeftBoldRight: "\u2539",
  lineUpBoldLeftRightBold: "\u253A",
  lineUpLeftRightBold: "\u2536",
  lineUpLeftBoldRight: "\u2535",
  lineUpDoubleLeftDoubleRightDouble: "\u2569",
  lineUpDoubleLeftRight: "\u2568",
  lineUpLeftDoubleRightDouble: "\u2567",
  lineUpDownLeftRight: "\u253C",
  lineUpBoldDownBoldLeftBoldRightBold: "\u254B",
  lineUpDownBoldLeftBoldRightBold: "\u2548",
  lineUpBoldDownLeftBoldRightBold: "\u2547",
  lineUpBoldDownBoldLeftRightBold: "\u254A",
  lineUpBoldDownBoldLeftBoldRight: "\u2549",
  lineUpBoldDownLeftRight: "\u2540",
  lineUpDownBoldLeftRight: "\u2541",
  lineUpDownLeftBoldRight: "\u253D",
  lineUpDownLeftRightBold: "\u253E",
  lineUpBoldDownBoldLeftRight: "\u2542",
  lineUpDownLeftBoldRightBold: "\u253F",
  lineUpBoldDownLeftBoldRight: "\u2543",
  lineUpBoldDownLeftRightBold: "\u2544",
  lineUpDownBoldLeftBoldRight: "\u2545",
  lineUpDownBoldLeftRightBold: "\u2546",
  lineUpDoubleDownDoubleLeftDoubleRightDouble: "\u256C",
  lineUpDoubleDownDoubleLeftRight: "\u256B",
  lineUpDownLeftDoubleRightDouble: "\u256A",
  lineCross: "\u2573",
  lineBackslash: "\u2572",
  lineSlash: "\u2571"
};
var specialMainSymbols = {
  tick: "\u2714",
  info: "\u2139",
  warning: "\u26A0",
  cross: "\u2718",
  squareSmall: "\u25FB",
  squareSmallFilled: "\u25FC",
  circle: "\u25EF",
  circleFilled: "\u25C9",
  circleDotted: "\u25CC",
  circleDouble: "\u25CE",
  circleCircle: "\u24DE",
  circleCross: "\u24E7",
  circlePipe: "\u24BE",
  radioOn: "\u25C9",
  radioOff: "\u25EF",
  checkboxOn: "\u2612",
  checkboxOff: "\u2610",
  checkboxCircleOn: "\u24E7",
  checkboxCircleOff: "\u24BE",
  pointer: "\u276F",
  triangleUpOutline: "\u25B3",
  triangleLeft: "\u25C0",
  triangleRight: "\u25B6",
  lozenge: "\u25C6",
  lozengeOutline: "\u25C7",
  hamburger: "\u2630",
  smiley: "\u32E1",
  mustache: "\u0DF4",
  star: "\u2605",
  play: "\u25B6",
  nodejs: "\u2B22",
  oneSeventh: "\u2150",
  oneNinth: "\u2151",
  oneTenth: "\u2152"
};
var specialFallbackSymbols = {
  tick: "\u221A",
  info: "i",
  warning: "\u203C",
  cross: "\xD7",
  squareSmall: "\u25A1",
  squareSmallFilled: "\u25A0",
  circle: "( )",
  circleFilled: "(*)",
  circleDotted: "( )",
  circleDouble: "( )",
  circleCircle: "(\u25CB)",
  circleCross: "(\xD7)",
  circlePipe: "(\u2502)",
  radioOn: "(*)",
  radioOff: "( )",
  checkboxOn: "[\xD7]",
  checkboxOff: "[ ]",
  checkboxCircleOn: "(\xD7)",
  checkboxCircleOff: "( )",
  pointer: ">",
  triangleUpOutline: "\u2206",
  triangleLeft: "\u25C4",
  triangleRight: "\u25BA",
  lozenge: "\u2666",
  lozengeOutline: "\u25CA",
  hamburger: "\u2261",
  smiley: "\u263A",
  mustache: "\u250C\u2500\u2510",
  star: "\u2736",
  play: "\u25BA",
  nodejs: "\u2666",
  oneSeventh: "1/7",
  oneNinth: "1/9",
  oneTenth: "1/10"
};
var mainSymbols = { ...common, ...specialMainSymbols };
var fallbackSymbols = { ...common, ...specialFallbackSymbols };
var shouldUseMain = isUnicodeSupported();
var figures = shouldUseMain ? mainSymbols : fallbackSymbols;
var figures_default = figures;
var replacements = Object.entries(specialMainSymbols);

// node_modules/yoctocolors/base.js
import tty from "node:tty";
var hasColors = tty?.WriteStream?.prototype?.hasColors?.() ?? false;
var format = (open, close) => {
  if (!hasColors) {
    return (input) => input;
  }
  const openCode = `\x1B[${open}m`;
  const closeCode = `\x1B[${close}m`;
  return (input) => {
    const string = input + "";
    let index = string.indexOf(closeCode);
    if (index === -1) {
      return openCode + string + closeCode;
    }
    let result = openCode;
    let lastIndex = 0;
    const reopenOnNestedClose = close === 22;
    const replaceCode = (reopenOnNestedClose ? closeCode : "") + openCode;
    while (index !== -1) {
      result += string.slice(lastIndex, index) + replaceCode;
      lastIndex = index + closeCode.length;
      index = string.indexOf(closeCode, lastIndex);
    }
    result += string.slice(lastIndex) + closeCode;
    return result;
  };
};
var reset = format(0, 0);
var bold = format(1, 22);
var dim = format(2, 22);
var italic = format(3, 23);
var underline = format(4, 24);
var underlineDouble = format("4:2", 24);
var underlineCurly = format("4:3", 24);
var underlineDotted = format("4:4", 24);
var underlineDashed = format("4:5", 24);
var overline = format(53, 55);
var inverse = format(7, 27);
var hidden = format(8, 28);
var strikethrough = format(9, 29);
var black = format(30, 39);
var red = format(31, 39);
var green = format(32, 39);
var yellow = format(33, 39);
var blue = format(34, 39);
var magenta = format(35, 39);
var cyan = format(36, 39);
var white = format(37, 39);
var gray = format(90, 39);
var bgBlack = format(40, 49);
var bgRed = format(41, 49);
var bgGreen = format(42, 49);
var bgYellow = format(43, 49);
var bgBlue = format(44, 49);
var bgMagenta = format(45, 49);
var bgCyan = format(46, 49);
var bgWhite = format(47, 49);
var bgGray = format(100, 49);
var redBright = format(91, 39);
var greenBright = format(92, 39);
var yellowBright = format(93, 39);
var blueBright = format(94, 39);
var magentaBright = format(95, 39);
var cyanBright = format(96, 39);
var whiteBright = format(97, 39);
var bgRedBright = format(101, 49);
var bgGreenBright = format(102, 49);
var bgYellowBright = format(103, 49);
var bgBlueBright = format(104, 49);
var bgMagentaBright = format(105, 49);
var bgCyanBright = format(106, 49);
var bgWhiteBright = format(107, 49);
var underlineBlack = format("58;5;0", 59);
var underlineRed = format("58;5;1", 59);
var underlineGreen = format("58;5;2", 59);
var underlineYellow = format("58;5;3", 59);
var underlineBlue = format("58;5;4", 59);
var underlineMagenta = format("58;5;5", 59);
var underlineCyan = format("58;5;6", 59);
var underlineWhite = format("58;5;7", 59);
var underlineGray = format("58;5;8", 59);
var underlineRedBright = format("58;5;9", 59);
var underlineGreenBright = format("58;5;10", 59);
var underlineYellowBright = format("58;5;11", 59);
var underlineBlueBright = format("58;5;12", 59);
var underlineMagentaBright = format("58;5;13", 59);
var underlineCyanBright = format("58;5;14", 59);
var underlineWhiteBright = format("58;5;15", 59);

// node_modules/execa/lib/verbose/default.js
var defaultVerboseFunction = ({
  type,
  message,
  timestamp,
  piped,
  commandId,
  result: { failed = false } = {},
  options: { reject = true }
}) => {
  const timestampString = serializeTimestamp(timestamp);
  const icon = ICONS[type]({ failed, reject, piped });
  const color = COLORS[type]({ reject });
  return `${gray(`[${timestampString}]`)} ${gray(`[${commandId}]`)} ${color(icon)} ${color(message)}`;
};
var serializeTimestamp = (timestamp) => `${padField(timestamp.getHours(), 2)}:${padField(timestamp.getMinutes(), 2)}:${padField(timestamp.getSeconds(), 2)}.${padField(timestamp.getMilliseconds(), 3)}`;
var padField = (field, padding) => String(field).padStart(padding, "0");
var getFinalIcon = ({ failed, reject }) => {
  if (!failed) {
    return figures_default.tick;
  }
  return reject ? figures_default.cross : figures_default.warning;
};
var ICONS = {
  command: ({ piped }) => piped ? "|" : "$",
  output: () => " ",
  ipc: () => "*",
  error: getFinalIcon,
  duration: getFinalIcon
};
var identity = (string) => string;
var COLORS = {
  command: () => bold,
  output: () => identity,
  ipc: () => identity,
  error: ({ reject }) => reject ? redBright : yellowBright,
  duration: () => gray
};

// node_modules/execa/lib/verbose/custom.js
var applyVerboseOnLines = (printedLines, verboseInfo, fdNumber) => {
  const verboseFunction = getVerboseFunction(verboseInfo, fdNumber);
  return printedLines.map(({ verboseLine, verboseObject }) => applyVerboseFunction(verboseLine, verboseObject, verboseFunction)).filter((printedLine) => printedLine !== void 0).map((printedLine) => appendNewline(printedLine)).join("");
};
var applyVerboseFunction = (verboseLine, verboseObject, verboseFunction) => {
  if (verboseFunction === void 0) {
    return verboseLine;
  }
  const printedLine = verboseFunction(verboseLine, verboseObject);
  if (typeof printedLine === "string") {
    return printedLine;
  }
};
var appendNewline = (printedLine) => printedLine.endsWith("\n") ? printedLine : `${printedLine}
`;

// node_modules/execa/lib/verbose/log.js
var verboseLog = ({ type, verboseMessage, fdNumber, verboseInfo, result }) => {
  const verboseObject = getVerboseObject({ type, result, verboseInfo });
  const printedLines = getPrintedLines(verboseMessage, verboseObject);
  const finalLines = applyVerboseOnLines(printedLines, verboseInfo, fdNumber);
  if (finalLines !== "") {
    console.warn(finalLines.slice(0, -1));
  }
};
var getVerboseObject = ({
  type,
  result,
  verboseInfo: { escapedCommand, commandId, rawOptions: { piped = false, ...options } }
}) => ({
  type,
  escapedCommand,
  commandId: `${commandId}`,
  timestamp: /* @__PURE__ */ new Date(),
  piped,
  result,
  options
});
var getPrintedLines = (verboseMessage, verboseObject) => verboseMessage.split("\n").map((message) => getPrintedLine({ ...verboseObject, message }));
var getPrintedLine = (verboseObject) => {
  const verboseLine = defaultVerboseFunction(verboseObject);
  return { verboseLine, verboseObject };
};
var serializeVerboseMessage = (message) => {
  const messageString = typeof message === "string" ? message : inspect(message);
  const escapedMessage = escapeLines(messageString);
  return escapedMessage.replaceAll("	", " ".repeat(TAB_SIZE));
};
var TAB_SIZE = 2;

// node_modules/execa/lib/verbose/start.js
var logCommand = (escapedCommand, verboseInfo) => {
  if (!isVerbose(verboseInfo)) {
    return;
  }
  verboseLog({
    type: "command",
    verboseMessage: escapedCommand,
    verboseInfo
  });
};

// node_modules/execa/lib/verbose/info.js
var getVerboseInfo = (verbose, escapedCommand, rawOptions) => {
  validateVerbose(verbose);
  const commandId = getCommandId(verbose);
  return {
    verbose,
    escapedCommand,
    commandId,
    rawOptions
  };
};
var getCommandId = (verbose) => isVerbose({ verbose }) ? COMMAND_ID++ : void 0;
var COMMAND_ID = 0n;
var validateVerbose = (verbose) => {
  for (const fdVerbose of verbose) {
    if (fdVerbose === false) {
      throw new TypeError(`The "verbose: false" option was renamed to "verbose: 'none'".`);
    }
    if (fdVerbose === true) {
      throw new TypeError(`The "verbose: true" option was renamed to "verbose: 'short'".`);
    }
    if (!VERBOSE_VALUES.includes(fdVerbose) && !isVerboseFunction(fdVerbose)) {
      const allowedValues = VERBOSE_VALUES.map((allowedValue) => `'${allowedValue}'`).join(", ");
      throw new TypeError(`The "verbose" option must not be ${fdVerbose}. Allowed values are: ${allowedValues} or a function.`);
    }
  }
};

// node_modules/execa/lib/return/duration.js
import { hrtime } from "node:process";
var getStartTime = () => hrtime.bigint();
var getDurationMs = (startTime) => Number(hrtime.bigint() - startTime) / 1e6;

// node_modules/execa/lib/arguments/command.js
var handleCommand = (filePath, rawArguments, rawOptions) => {
  const startTime = getStartTime();
  const { command, escapedCommand } = joinCommand(filePath, rawArguments);
  const verbose = normalizeFdSpecificOption(rawOptions, "verbose");
  const verboseInfo = getVerboseInfo(verbose, escapedCommand, { ...rawOptions });
  logCommand(escapedCommand, verboseInfo);
  return {
    command,
    escapedCommand,
    startTime,
    verboseInfo
  };
};

// node_modules/execa/lib/arguments/options.js
var import_cross_spawn = __toESM(require_cross_spawn(), 1);
import path5 from "node:path";
import process6 from "node:process";

// node_modules/npm-run-path/index.js
import process4 from "node:process";
import path2 from "node:path";

// node_modules/npm-run-path/node_modules/path-key/index.js
function pathKey(options = {}) {
  const {
    env = process.env,
    platform: platform2 = process.platform
  } = options;
  if (platform2 !== "win32") {
    return "PATH";
  }
  return Object.keys(env).reverse().find((key) => key.toUpperCase() === "PATH") || "Path";
}

// node_modules/unicorn-magic/node.js
import { promisify } from "node:util";
import { execFile as execFileCallback, execFileSync as execFileSyncOriginal } from "node:child_process";
import path from "node:path";
import { fileURLToPath as fileURLToPath2 } from "node:url";
var execFileOriginal = promisify(execFileCallback);
function toPath(urlOrPath) {
  return urlOrPath instanceof URL ? fileURLToPath2(urlOrPath) : urlOrPath;
}
function traversePathUp(startPath) {
  return {
    *[Symbol.iterator]() {
      let currentPath = path.resolve(toPath(startPath));
      let previousPath;
      while (previousPath !== currentPath) {
        yield currentPath;
        previousPath = currentPath;
        currentPath = path.resolve(currentPath, "..");
      }
    }
  };
}
var TEN_MEGABYTES_IN_BYTES = 10 * 1024 * 1024;

// node_modules/npm-run-path/index.js
var npmRunPath = ({
  cwd = process4.cwd(),
  path: pathOption = process4.env[pathKey()],
  preferLocal = true,
  execPath: execPath2 = process4.execPath,
  addExecPath = true
} = {}) => {
  const cwdPath = path2.resolve(toPath(cwd));
  const result = [];
  const pathParts = pathOption.split(path2.delimiter);
  if (preferLocal) {
    applyPreferLocal(result, pathParts, cwdPath);
  }
  if (addExecPath) {
    applyExecPath(result, pathParts, execPath2, cwdPath);
  }
  return pathOption === "" || pathOption === path2.delimiter ? `${result.join(path2.delimiter)}${pathOption}` : [...result, pathOption].join(path2.delimiter);
};
var applyPreferLocal = (result, pathParts, cwdPath) => {
  for (const directory of traversePathUp(cwdPath)) {
    const pathPart = path2.join(directory, "node_modules/.bin");
    if (!pathParts.includes(pathPart)) {
      result.push(pathPart);
    }
  }
};
var applyExecPath = (result, pathParts, execPath2, cwdPath) => {
  const pathPart = path2.resolve(cwdPath, toPath(execPath2), "..");
  if (!pathParts.includes(pathPart)) {
    result.push(pathPart);
  }
};
var npmRunPathEnv = ({ env = process4.env, ...options } = {}) => {
  env = { ...env };
  const pathName = pathKey({ env });
  options.path = env[pathName];
  env[pathName] = npmRunPath(options);
  return env;
};

// node_modules/execa/lib/terminate/kill.js
import { setTimeout as setTimeout2 } from "node:timers/promises";

// node_modules/execa/lib/return/final-error.js
var getFinalError = (originalError, message, isSync) => {
  const ErrorClass = isSync ? ExecaSyncError : ExecaError;
  const options = originalError instanceof DiscardedError ? {} : { cause: originalError };
  return new ErrorClass(message, options);
};
var DiscardedError = class extends Error {
};
var setErrorName = (ErrorClass, value) => {
  Object.defineProperty(ErrorClass.prototype, "name", {
    value,
    writable: true,
    enumerable: false,
    configurable: true
  });
  Object.defineProperty(ErrorClass.prototype, execaErrorSymbol, {
    value: true,
    writable: false,
    enumerable: false,
    configurable: false
  });
};
var isExecaError = (error) => isErrorInstance(error) && execaErrorSymbol in error;
var execaErrorSymbol = /* @__PURE__ */ Symbol("isExecaError");
var isErrorInstance = (value) => Object.prototype.toString.call(value) === "[object Error]";
var ExecaError = class extends Error {
};
setErrorName(ExecaError, ExecaError.name);
var ExecaSyncError = class extends Error {
};
setErrorName(ExecaSyncError, ExecaSyncError.name);

// node_modules/execa/lib/terminate/signal.js
import { constants as constants4 } from "node:os";

// node_modules/human-signals/build/src/main.js
import { constants as constants3 } from "node:os";

// node_modules/human-signals/build/src/realtime.js
var getRealtimeSignals = () => {
  const length = SIGRTMAX - SIGRTMIN + 1;
  return Array.from({ length }, getRealtimeSignal);
};
var getRealtimeSignal = (value, index) => ({
  name: `SIGRT${index + 1}`,
  number: SIGRTMIN + index,
  action: "terminate",
  description: "Application-specific signal (realtime)",
  standard: "posix"
});
var SIGRTMIN = 34;
var SIGRTMAX = 64;

// node_modules/human-signals/build/src/signals.js
import { constants as constants2 } from "node:os";

// node_modules/human-signals/build/src/core.js
var SIGNALS = [
  {
    name: "SIGHUP",
    number: 1,
    action: "terminate",
    description: "Terminal closed",
    standard: "posix"
  },
  {
    name: "SIGINT",
    number: 2,
    action: "terminate",
    description: "User interruption with CTRL-C",
    standard: "ansi"
  },
  {
    name: "SIGQUIT",
    number: 3,
    action: "core",
    description: "User interruption with CTRL-\\",
    standard: "posix"
  },
  {
    name: "SIGILL",
    number: 4,
    action: "core",
    description: "Invalid machine instruction",
    standard: "ansi"
  },
  {
    name: "SIGTRAP",
    number: 5,
    action: "core",
    description: "Debugger breakpoint",
    standard: "posix"
  },
  {
    name: "SIGABRT",
    number: 6,
    action: "core",
    description: "Aborted",
    standard: "ansi"
  },
  {
    name: "SIGIOT",
    number: 6,
    action: "core",
    description: "Aborted",
    standard: "bsd"
  },
  {
    name: "SIGBUS",
    number: 7,
    action: "core",
    description: "Bus error due to misaligned, non-existing address or paging error",
    standard: "bsd"
  },
  {
    name: "SIGEMT",
    number: 7,
    action: "terminate",
    description: "Command should be emulated but is not implemented",
    standard: "other"
  },
  {
    name: "SIGFPE",
    number: 8,
    action: "core",
    description: "Floating point arithmetic error",
    standard: "ansi"
  },
  {
    name: "SIGKILL",
    number: 9,
    action: "terminate",
    description: "Forced termination",
    standard: "posix",
    forced: true
  },
  {
    name: "SIGUSR1",
    number: 10,
    action: "terminate",
    description: "Application-specific signal",
    standard: "posix"
  },
  {
    name: "SIGSEGV",
    number: 11,
    action: "core",
    description: "Segmentation fault",
    standard: "ansi"
  },
  {
    name: "SIGUSR2",
    number: 12,
    action: "terminate",
    description: "Application-specific signal",
    standard: "posix"
  },
  {
    name: "SIGPIPE",
    number: 13,
    action: "terminate",
    description: "Broken pipe or socket",
    standard: "posix"
  },
  {
    name: "SIGALRM",
    number: 14,
    action: "terminate",
    description: "Timeout or timer",
    standard: "posix"
  },
  {
    name: "SIGTERM",
    number: 15,
    action: "terminate",
    description: "Termination",
    standard: "ansi"
  },
  {
    name: "SIGSTKFLT",
    number: 16,
    action: "terminate",
    description: "Stack is empty or overflowed",
    standard: "other"
  },
  {
    name: "SIGCHLD",
    number: 17,
    action: "ignore",
    description: "Child process terminated, paused or unpaused",
    standard: "posix"
  },
  {
    name: "SIGCLD",
    number: 17,
    action: "ignore",
    description: "Child process terminated, paused or unpaused",
    standard: "other"
  },
  {
    name: "SIGCONT",
    number: 18,
    action: "unpause",
    description: "Unpaused",
    standard: "posix",
    forced: true
  },
  {
    name: "SIGSTOP",
    number: 19,
    action: "pause",
    description: "Paused",
    standard: "posix",
    forced: true
  },
  {
    name: "SIGTSTP",
    number: 20,
    action: "pause",
    description: 'Paused using CTRL-Z or "suspend"',
    standard: "posix"
  },
  {
    name: "SIGTTIN",
    number: 21,
    action: "pause",
    description: "Background process cannot read terminal input",
    standard: "posix"
  },
  {
    name: "SIGBREAK",
    number: 21,
    action: "terminate",
    description: "User interruption with CTRL-BREAK",
    standard: "other"
  },
  {
    name: "SIGTTOU",
    number: 22,
    action: "pause",
    description: "Background process cannot write to terminal output",
    standard: "posix"
  },
  {
    name: "SIGURG",
    number: 23,
    action: "ignore",
    description: "Socket received out-of-band data",
    standard: "bsd"
  },
  {
    name: "SIGXCPU",
    number: 24,
    action: "core",
    description: "Process timed out",
    standard: "bsd"
  },
  {
    name: "SIGXFSZ",
    number: 25,
    action: "core",
    description: "File too big",
    standard: "bsd"
  },
  {
    name: "SIGVTALRM",
    number: 26,
    action: "terminate",
    description: "Timeout or timer",
    standard: "bsd"
  },
  {
    name: "SIGPROF",
    number: 27,
    action: "terminate",
    description: "Timeout or timer",
    standard: "bsd"
  },
  {
    name: "SIGWINCH",
    number: 28,
    action: "ignore",
    description: "Terminal window size changed",
    standard: "bsd"
  },
  {
    name: "SIGIO",
    number: 29,
    action: "terminate",
    description: "I/O is available",
    standard: "other"
  },
  {
    name: "SIGPOLL",
    number: 29,
    action: "terminate",
    description: "Watched event",
    standard: "other"
  },
  {
    name: "SIGINFO",
    number: 29,
    action: "ignore",
    description: "Request for process information",
    standard: "other"
  },
  {
    name: "SIGPWR",
    number: 30,
    action: "terminate",
    description: "Device running out of power",
    standard: "systemv"
  },
  {
    name: "SIGSYS",
    number: 31,
    action: "core",
    description: "Invalid system call",
    standard: "other"
  },
  {
    name: "SIGUNUSED",
    number: 31,
    action: "terminate",
    description: "Invalid system call",
    standard: "other"
  }
];

// node_modules/human-signals/build/src/signals.js
var getSignals = () => {
  const realtimeSignals = getRealtimeSignals();
  const signals2 = [...SIGNALS, ...realtimeSignals].map(normalizeSignal);
  return signals2;
};
var normalizeSignal = ({
  name,
  number: defaultNumber,
  description,
  action,
  forced = false,
  standard
}) => {
  const {
    signals: { [name]: constantSignal }
  } = constants2;
  const supported = constantSignal !== void 0;
  const number = supported ? constantSignal : defaultNumber;
  return { name, number, description, supported, action, forced, standard };
};

// node_modules/human-signals/build/src/main.js
var getSignalsByName = () => {
  const signals2 = getSignals();
  return Object.fromEntries(signals2.map(getSignalByName));
};
var getSignalByName = ({
  name,
  number,
  description,
  supported,
  action,
  forced,
  standard
}) => [name, { name, number, description, supported, action, forced, standard }];
var signalsByName = getSignalsByName();
var getSignalsByNumber = () => {
  const signals2 = getSignals();
  const length = SIGRTMAX + 1;
  const signalsA = Array.from(
    { length },
    (value, number) => getSignalByNumber(number, signals2)
  );
  return Object.assign({}, ...signalsA);
};
var getSignalByNumber = (number, signals2) => {
  const signal = findSignalByNumber(number, signals2);
  if (signal === void 0) {
    return {};
  }
  const { name, description, supported, action, forced, standard } = signal;
  return {
    [number]: {
      name,
      number,
      description,
      supported,
      action,
      forced,
      standard
    }
  };
};
var findSignalByNumber = (number, signals2) => {
  const signal = signals2.find(({ name }) => constants3.signals[name] === number);
  if (signal !== void 0) {
    return signal;
  }
  return signals2.find((signalA) => signalA.number === number);
};
var signalsByNumber = getSignalsByNumber();

// node_modules/execa/lib/terminate/signal.js
var normalizeKillSignal = (killSignal) => {
  const optionName = "option `killSignal`";
  if (killSignal === 0) {
    throw new TypeError(`Invalid ${optionName}: 0 cannot be used.`);
  }
  return normalizeSignal2(killSignal, optionName);
};
var normalizeSignalArgument = (signal) => signal === 0 ? signal : normalizeSignal2(signal, "`subprocess.kill()`'s argument");
var normalizeSignal2 = (signalNameOrInteger, optionName) => {
  if (Number.isInteger(signalNameOrInteger)) {
    return normalizeSignalInteger(signalNameOrInteger, optionName);
  }
  if (typeof signalNameOrInteger === "string") {
    return normalizeSignalName(signalNameOrInteger, optionName);
  }
  throw new TypeError(`Invalid ${optionName} ${String(signalNameOrInteger)}: it must be a string or an integer.
${getAvailableSignals()}`);
};
var normalizeSignalInteger = (signalInteger, optionName) => {
  if (signalsIntegerToName.has(signalInteger)) {
    return signalsIntegerToName.get(signalInteger);
  }
  throw new TypeError(`Invalid ${optionName} ${signalInteger}: this signal integer does not exist.
${getAvailableSignals()}`);
};
var getSignalsIntegerToName = () => new Map(Object.entries(constants4.signals).reverse().map(([signalName, signalInteger]) => [signalInteger, signalName]));
var signalsIntegerToName = getSignalsIntegerToName();
var normalizeSignalName = (signalName, optionName) => {
  if (signalName in constants4.signals) {
    return signalName;
  }
  if (signalName.toUpperCase() in constants4.signals) {
    throw new TypeError(`Invalid ${optionName} '${signalName}': please rename it to '${signalName.toUpperCase()}'.`);
  }
  throw new TypeError(`Invalid ${optionName} '${signalName}': this signal name does not exist.
${getAvailableSignals()}`);
};
var getAvailableSignals = () => `Available signal names: ${getAvailableSignalNames()}.
Available signal numbers: ${getAvailableSignalIntegers()}.`;
var getAvailableSignalNames = () => Object.keys(constants4.signals).sort().map((signalName) => `'${signalName}'`).join(", ");
var getAvailableSignalIntegers = () => [...new Set(Object.values(constants4.signals).sort((signalInteger, signalIntegerTwo) => signalInteger - signalIntegerTwo))].join(", ");
var getSignalDescription = (signal) => signalsByName[signal].description;

// node_modules/execa/lib/terminate/kill.js
var normalizeForceKillAfterDelay = (forceKillAfterDelay) => {
  if (forceKillAfterDelay === false) {
    return forceKillAfterDelay;
  }
  if (forceKillAfterDelay === true) {
    return DEFAULT_FORCE_KILL_TIMEOUT;
  }
  if (!Number.isFinite(forceKillAfterDelay) || forceKillAfterDelay < 0) {
    throw new TypeError(`Expected the \`forceKillAfterDelay\` option to be a non-negative integer, got \`${forceKillAfterDelay}\` (${typeof forceKillAfterDelay})`);
  }
  return forceKillAfterDelay;
};
var DEFAULT_FORCE_KILL_TIMEOUT = 1e3 * 5;
var subprocessKill = ({ kill, options: { forceKillAfterDelay, killSignal }, onInternalError, context, controller }, signalOrError, errorArgument) => {
  const { signal, error } = parseKillArguments(signalOrError, errorArgument, killSignal);
  emitKillError(error, onInternalError);
  const killResult = kill(signal);
  setKillTimeout({
    kill,
    signal,
    forceKillAfterDelay,
    killSignal,
    killResult,
    context,
    controller
  });
  return killResult;
};
var parseKillArguments = (signalOrError, errorArgument, killSignal) => {
  const [signal = killSignal, error] = isErrorInstance(signalOrError) ? [void 0, signalOrError] : [signalOrError, errorArgument];
  if (typeof signal !== "string" && !Number.isInteger(signal)) {
    throw new TypeError(`The first argument must be an error instance or a signal name string/integer: ${String(signal)}`);
  }
  if (error !== void 0 && !isErrorInstance(error)) {
    throw new TypeError(`The second argument is optional. If specified, it must be an error instance: ${error}`);
  }
  return { signal: normalizeSignalArgument(signal), error };
};
var emitKillError = (error, onInternalError) => {
  if (error !== void 0) {
    onInternalError.reject(error);
  }
};
var setKillTimeout = async ({ kill, signal, forceKillAfterDelay, killSignal, killResult, context, controller }) => {
  if (signal === killSignal && killResult) {
    killOnTimeout({
      kill,
      forceKillAfterDelay,
      context,
      controllerSignal: controller.signal
    });
  }
};
var killOnTimeout = async ({ kill, forceKillAfterDelay, context, controllerSignal }) => {
  if (forceKillAfterDelay === false) {
    return;
  }
  try {
    await setTimeout2(forceKillAfterDelay, void 0, { signal: controllerSignal });
    if (kill("SIGKILL")) {
      context.isForcefullyTerminated ??= true;
    }
  } catch {
  }
};

// node_modules/execa/lib/utils/abort-signal.js
import { once } from "node:events";
var onAbortedSignal = async (mainSignal, stopSignal) => {
  if (!mainSignal.aborted) {
    await once(mainSignal, "abort", { signal: stopSignal });
  }
};

// node_modules/execa/lib/terminate/cancel.js
var validateCancelSignal = ({ cancelSignal }) => {
  if (cancelSignal !== void 0 && Object.prototype.toString.call(cancelSignal) !== "[object AbortSignal]") {
    throw new Error(`The \`cancelSignal\` option must be an AbortSignal: ${String(cancelSignal)}`);
  }
};
var throwOnCancel = ({ subprocess, cancelSignal, gracefulCancel, context, controller }) => cancelSignal === void 0 || gracefulCancel ? [] : [terminateOnCancel(subprocess, cancelSignal, context, controller)];
var terminateOnCancel = async (subprocess, cancelSignal, context, { signal }) => {
  await onAbortedSignal(cancelSignal, signal);
  context.terminationReason ??= "cancel";
  subprocess.kill();
  throw cancelSignal.reason;
};

// node_modules/execa/lib/ipc/graceful.js
import { scheduler as scheduler2 } from "node:timers/promises";

// node_modules/execa/lib/ipc/send.js
import { promisify as promisify2 } from "node:util";

// node_modules/execa/lib/ipc/validation.js
var validateIpcMethod = ({ methodName, isSubprocess, ipc, isConnected: isConnected2 }) => {
  validateIpcOption(methodName, isSubprocess, ipc);
  validateConnection(methodName, isSubprocess, isConnected2);
};
var validateIpcOption = (methodName, isSubprocess, ipc) => {
  if (!ipc) {
    throw new Error(`${getMethodName(methodName, isSubprocess)} can only be used if the \`ipc\` option is \`true\`.`);
  }
};
var validateConnection = (methodName, isSubprocess, isConnected2) => {
  if (!isConnected2) {
    throw new Error(`${getMethodName(methodName, isSubprocess)} cannot be used: the ${getOtherProcessName(isSubprocess)} has already exited or disconnected.`);
  }
};
var throwOnEarlyDisconnect = (isSubprocess) => {
  throw new Error(`${getMethodName("getOneMessage", isSubprocess)} could not complete: the ${getOtherProcessName(isSubprocess)} exited or disconnected.`);
};
var throwOnStrictDeadlockError = (isSubprocess) => {
  throw new Error(`${getMethodName("sendMessage", isSubprocess)} failed: the ${getOtherProcessName(isSubprocess)} is sending a message too, instead of listening to incoming messages.
This can be fixed by both sending a message and listening to incoming messages at the same time:

const [receivedMessage] = await Promise.all([
	${getMethodName("getOneMessage", isSubprocess)},
	${getMethodName("sendMessage", isSubprocess, "message, {strict: true}")},
]);`);
};
var getStrictResponseError = (error, isSubprocess) => new Error(`${getMethodName("sendMessage", isSubprocess)} failed when sending an acknowledgment response to the ${getOtherProcessName(isSubprocess)}.`, { cause: error });
var throwOnMissingStrict = (isSubprocess) => {
  throw new Error(`${getMethodName("sendMessage", isSubprocess)} failed: the ${getOtherProcessName(isSubprocess)} is not listening to incoming messages.`);
};
var throwOnStrictDisconnect = (isSubprocess) => {
  throw new Error(`${getMethodName("sendMessage", isSubprocess)} failed: the ${getOtherProcessName(isSubprocess)} exited without listening to incoming messages.`);
};
var getAbortDisconnectError = () => new Error(`\`cancelSignal\` aborted: the ${getOtherProcessName(true)} disconnected.`);
var throwOnMissingParent = () => {
  throw new Error("`getCancelSignal()` cannot be used without setting the `cancelSignal` subprocess option.");
};
var handleEpipeError = ({ error, methodName, isSubprocess }) => {
  if (error.code === "EPIPE") {
    throw new Error(`${getMethodName(methodName, isSubprocess)} cannot be used: the ${getOtherProcessName(isSubprocess)} is disconnecting.`, { cause: error });
  }
};
var handleSerializationError = ({ error, methodName, isSubprocess, message }) => {
  if (isSerializationError(error)) {
    throw new Error(`${getMethodName(methodName, isSubprocess)}'s argument type is invalid: the message cannot be serialized: ${String(message)}.`, { cause: error });
  }
};
var isSerializationError = ({ code: code2, message }) => SERIALIZATION_ERROR_CODES.has(code2) || SERIALIZATION_ERROR_MESSAGES.some((serializationErrorMessage) => message.includes(serializationErrorMessage));
var SERIALIZATION_ERROR_CODES = /* @__PURE__ */ new Set([
  // Message is `undefined`
  "ERR_MISSING_ARGS",
  // Message is a function, a bigint, a symbol
  "ERR_INVALID_ARG_TYPE"
]);
var SERIALIZATION_ERROR_MESSAGES = [
  // Message is a promise or a proxy, with `serialization: 'advanced'`
  "could not be cloned",
  // Message has cycles, with `serialization: 'json'`
  "circular structure",
  // Message has cycles inside toJSON(), with `serialization: 'json'`
  "call stack size exceeded"
];
var getMethodName = (methodName, isSubprocess, parameters = "") => methodName === "cancelSignal" ? "`cancelSignal`'s `controller.abort()`" : `${getNamespaceName(isSubprocess)}${methodName}(${parameters})`;
var getNamespaceName = (isSubprocess) => isSubprocess ? "" : "subprocess.";
var getOtherProcessName = (isSubprocess) => isSubprocess ? "parent process" : "subprocess";
var disconnect = (anyProcess) => {
  if (anyProcess.connected) {
    anyProcess.disconnect();
  }
};

// node_modules/execa/lib/utils/deferred.js
var createDeferred = () => {
  const methods = {};
  const promise = new Promise((resolve2, reject) => {
    Object.assign(methods, { resolve: resolve2, reject });
  });
  return Object.assign(promise, methods);
};

// node_modules/execa/lib/arguments/fd-options.js
var getToStream = (destination, to = "stdin") => {
  const isWritable = true;
  const { options, fileDescriptors } = SUBPROCESS_OPTIONS.get(destination);
  const fdNumber = getFdNumber(fileDescriptors, to, isWritable);
  const destinationStream = destination.stdio[fdNumber];
  if (destinationStream === null) {
    throw new TypeError(getInvalidStdioOptionMessage(fdNumber, to, options, isWritable));
  }
  return destinationStream;
};
var getFromStream = (source, from = "stdout") => {
  const isWritable = false;
  const { options, fileDescriptors } = SUBPROCESS_OPTIONS.get(source);
  const fdNumber = getFdNumber(fileDescriptors, from, isWritable);
  const sourceStream = fdNumber === "all" ? source.all : source.stdio[fdNumber];
  if (sourceStream === null || sourceStream === void 0) {
    throw new TypeError(getInvalidStdioOptionMessage(fdNumber, from, options, isWritable));
  }
  return sourceStream;
};
var SUBPROCESS_OPTIONS = /* @__PURE__ */ new WeakMap();
var getFdNumber = (fileDescriptors, fdName, isWritable) => {
  const fdNumber = parseFdNumber(fdName, isWritable);
  validateFdNumber(fdNumber, fdName, isWritable, fileDescriptors);
  return fdNumber;
};
var parseFdNumber = (fdName, isWritable) => {
  const fdNumber = parseFd(fdName);
  if (fdNumber !== void 0) {
    return fdNumber;
  }
  const { validOptions, defaultValue } = isWritable ? { validOptions: '"stdin"', defaultValue: "stdin" } : { validOptions: '"stdout", "stderr", "all"', defaultValue: "stdout" };
  throw new TypeError(`"${getOptionName(isWritable)}" must not be "${fdName}".
It must be ${validOptions} or "fd3", "fd4" (and so on).
It is optional and defaults to "${defaultValue}".`);
};
var validateFdNumber = (fdNumber, fdName, isWritable, fileDescriptors) => {
  const fileDescriptor = fileDescriptors[getUsedDescriptor(fdNumber)];
  if (fileDescriptor === void 0) {
    throw new TypeError(`"${getOptionName(isWritable)}" must not be ${fdName}. That file descriptor does not exist.
Please set the "stdio" option to ensure that file descriptor exists.`);
  }
  if (fileDescriptor.direction === "input" && !isWritable) {
    throw new TypeError(`"${getOptionName(isWritable)}" must not be ${fdName}. It must be a readable stream, not writable.`);
  }
  if (fileDescriptor.direction !== "input" && isWritable) {
    throw new TypeError(`"${getOptionName(isWritable)}" must not be ${fdName}. It must be a writable stream, not readable.`);
  }
};
var getInvalidStdioOptionMessage = (fdNumber, fdName, options, isWritable) => {
  if (fdNumber === "all" && !options.all) {
    return `The "all" option must be true to use "from: 'all'".`;
  }
  const { optionName, optionValue } = getInvalidStdioOption(fdNumber, options);
  return `The "${optionName}: ${serializeOptionValue(optionValue)}" option is incompatible with using "${getOptionName(isWritable)}: ${serializeOptionValue(fdName)}".
Please set this option with "pipe" instead.`;
};
var getInvalidStdioOption = (fdNumber, { stdin, stdout, stderr, stdio }) => {
  const usedDescriptor = getUsedDescriptor(fdNumber);
  if (usedDescriptor === 0 && stdin !== void 0) {
    return { optionName: "stdin", optionValue: stdin };
  }
  if (usedDescriptor === 1 && stdout !== void 0) {
    return { optionName: "stdout", optionValue: stdout };
  }
  if (usedDescriptor === 2 && stderr !== void 0) {
    return { optionName: "stderr", optionValue: stderr };
  }
  return { optionName: `stdio[${usedDescriptor}]`, optionValue: stdio[usedDescriptor] };
};
var getUsedDescriptor = (fdNumber) => fdNumber === "all" ? 1 : fdNumber;
var getOptionName = (isWritable) => isWritable ? "to" : "from";
var serializeOptionValue = (value) => {
  if (typeof value === "string") {
    return `'${value}'`;
  }
  return typeof value === "number" ? `${value}` : "Stream";
};

// node_modules/execa/lib/ipc/strict.js
import { once as once3 } from "node:events";

// node_modules/execa/lib/utils/max-listeners.js
import { addAbortListener } from "node:events";
var incrementMaxListeners = (eventEmitter, maxListenersIncrement, signal) => {
  const maxListeners = eventEmitter.getMaxListeners();
  if (maxListeners === 0 || maxListeners === Number.POSITIVE_INFINITY) {
    return;
  }
  eventEmitter.setMaxListeners(maxListeners + maxListenersIncrement);
  addAbortListener(signal, () => {
    eventEmitter.setMaxListeners(eventEmitter.getMaxListeners() - maxListenersIncrement);
  });
};

// node_modules/execa/lib/ipc/forward.js
import { EventEmitter } from "node:events";

// node_modules/execa/lib/ipc/incoming.js
import { once as once2 } from "node:events";
import { scheduler } from "node:timers/promises";

// node_modules/execa/lib/ipc/reference.js
var addReference = (channel, reference) => {
  if (reference) {
    addReferenceCount(channel);
  }
};
var addReferenceCount = (channel) => {
  channel.refCounted();
};
var removeReference = (channel, reference) => {
  if (reference) {
    removeReferenceCount(channel);
  }
};
var removeReferenceCount = (channel) => {
  channel.unrefCounted();
};
var undoAddedReferences = (channel, isSubprocess) => {
  if (isSubprocess) {
    removeReferenceCount(channel);
    removeReferenceCount(channel);
  }
};
var redoAddedReferences = (channel, isSubprocess) => {
  if (isSubprocess) {
    addReferenceCount(channel);
    addReferenceCount(channel);
  }
};

// node_modules/execa/lib/ipc/incoming.js
var onMessage = async ({ anyProcess, channel, isSubprocess, ipcEmitter }, wrappedMessage) => {
  if (handleStrictResponse(wrappedMessage) || handleAbort(wrappedMessage)) {
    return;
  }
  if (!INCOMING_MESSAGES.has(anyProcess)) {
    INCOMING_MESSAGES.set(anyProcess, []);
  }
  const incomingMessages = INCOMING_MESSAGES.get(anyProcess);
  incomingMessages.push(wrappedMessage);
  if (incomingMessages.length > 1) {
    return;
  }
  while (incomingMessages.length > 0) {
    await waitForOutgoingMessages(anyProcess, ipcEmitter, wrappedMessage);
    await scheduler.yield();
    const message = await handleStrictRequest({
      wrappedMessage: incomingMessages[0],
      anyProcess,
      channel,
      isSubprocess,
      ipcEmitter
    });
    incomingMessages.shift();
    ipcEmitter.emit("message", message);
    ipcEmitter.emit("message:done");
  }
};
var onDisconnect = async ({ anyProcess, channel, isSubprocess, ipcEmitter, boundOnMessage }) => {
  abortOnDisconnect();
  const incomingMessages = INCOMING_MESSAGES.get(anyProcess);
  while (incomingMessages?.length > 0) {
    await once2(ipcEmitter, "message:done");
  }
  anyProcess.removeListener("message", boundOnMessage);
  redoAddedReferences(channel, isSubprocess);
  ipcEmitter.connected = false;
  ipcEmitter.emit("disconnect");
};
var INCOMING_MESSAGES = /* @__PURE__ */ new WeakMap();

// node_modules/execa/lib/ipc/forward.js
var getIpcEmitter = (anyProcess, channel, isSubprocess) => {
  if (IPC_EMITTERS.has(anyProcess)) {
    return IPC_EMITTERS.get(anyProcess);
  }
  const ipcEmitter = new EventEmitter();
  ipcEmitter.connected = true;
  IPC_EMITTERS.set(anyProcess, ipcEmitter);
  forwardEvents({
    ipcEmitter,
    anyProcess,
    channel,
    isSubprocess
  });
  return ipcEmitter;
};
var IPC_EMITTERS = /* @__PURE__ */ new WeakMap();
var forwardEvents = ({ ipcEmitter, anyProcess, channel, isSubprocess }) => {
  const boundOnMessage = onMessage.bind(void 0, {
    anyProcess,
    channel,
    isSubprocess,
    ipcEmitter
  });
  anyProcess.on("message", boundOnMessage);
  anyProcess.once("disconnect", onDisconnect.bind(void 0, {
    anyProcess,
    channel,
    isSubprocess,
    ipcEmitter,
    boundOnMessage
  }));
  undoAddedReferences(channel, isSubprocess);
};
var isConnected = (anyProcess) => {
  const ipcEmitter = IPC_EMITTERS.get(anyProcess);
  return ipcEmitter === void 0 ? anyProcess.channel !== null : ipcEmitter.connected;
};

// node_modules/execa/lib/ipc/strict.js
var handleSendStrict = ({ anyProcess, channel, isSubprocess, message, strict }) => {
  if (!strict) {
    return message;
  }
  const ipcEmitter = getIpcEmitter(anyProcess, channel, isSubprocess);
  const hasListeners = hasMessageListeners(anyProcess, ipcEmitter);
  return {
    id: count++,
    type: REQUEST_TYPE,
    message,
    hasListeners
  };
};
var count = 0n;
var validateStrictDeadlock = (outgoingMessages, wrappedMessage) => {
  if (wrappedMessage?.type !== REQUEST_TYPE || wrappedMessage.hasListeners) {
    return;
  }
  for (const { id } of outgoingMessages) {
    if (id !== void 0) {
      STRICT_RESPONSES[id].resolve({ isDeadlock: true, hasListeners: false });
    }
  }
};
var handleStrictRequest = async ({ wrappedMessage, anyProcess, channel, isSubprocess, ipcEmitter }) => {
  if (wrappedMessage?.type !== REQUEST_TYPE || !anyProcess.connected) {
    return wrappedMessage;
  }
  const { id, message } = wrappedMessage;
  const response = { id, type: RESPONSE_TYPE, message: hasMessageListeners(anyProcess, ipcEmitter) };
  try {
    await sendMessage({
      anyProcess,
      channel,
      isSubprocess,
      ipc: true
    }, response);
  } catch (error) {
    ipcEmitter.emit("strict:error", error);
  }
  return message;
};
var handleStrictResponse = (wrappedMessage) => {
  if (wrappedMessage?.type !== RESPONSE_TYPE) {
    return false;
  }
  const { id, message: hasListeners } = wrappedMessage;
  STRICT_RESPONSES[id]?.resolve({ isDeadlock: false, hasListeners });
  return true;
};
var waitForStrictResponse = async (wrappedMessage, anyProcess, isSubprocess) => {
  if (wrappedMessage?.type !== REQUEST_TYPE) {
    return;
  }
  const deferred = createDeferred();
  STRICT_RESPONSES[wrappedMessage.id] = deferred;
  const controller = new AbortController();
  try {
    const { isDeadlock, hasListeners } = await Promise.race([
      deferred,
      throwOnDisconnect(anyProcess, isSubprocess, controller)
    ]);
    if (isDeadlock) {
      throwOnStrictDeadlockError(isSubprocess);
    }
    if (!hasListeners) {
      throwOnMissingStrict(isSubprocess);
    }
  } finally {
    controller.abort();
    delete STRICT_RESPONSES[wrappedMessage.id];
  }
};
var STRICT_RESPONSES = {};
var throwOnDisconnect = async (anyProcess, isSubprocess, { signal }) => {
  incrementMaxListeners(anyProcess, 1, signal);
  await once3(anyProcess, "disconnect", { signal });
  throwOnStrictDisconnect(isSubprocess);
};
var REQUEST_TYPE = "execa:ipc:request";
var RESPONSE_TYPE = "execa:ipc:response";

// node_modules/execa/lib/ipc/outgoing.js
var startSendMessage = (anyProcess, wrappedMessage, strict) => {
  if (!OUTGOING_MESSAGES.has(anyProcess)) {
    OUTGOING_MESSAGES.set(anyProcess, /* @__PURE__ */ new Set());
  }
  const outgoingMessages = OUTGOING_MESSAGES.get(anyProcess);
  const onMessageSent = createDeferred();
  const id = strict ? wrappedMessage.id : void 0;
  const outgoingMessage = { onMessageSent, id };
  outgoingMessages.add(outgoingMessage);
  return { outgoingMessages, outgoingMessage };
};
var endSendMessage = ({ outgoingMessages, outgoingMessage }) => {
  outgoingMessages.delete(outgoingMessage);
  outgoingMessage.onMessageSent.resolve();
};
var waitForOutgoingMessages = async (anyProcess, ipcEmitter, wrappedMessage) => {
  while (!hasMessageListeners(anyProcess, ipcEmitter) && OUTGOING_MESSAGES.get(anyProcess)?.size > 0) {
    const outgoingMessages = [...OUTGOING_MESSAGES.get(anyProcess)];
    validateStrictDeadlock(outgoingMessages, wrappedMessage);
    await Promise.all(outgoingMessages.map(({ onMessageSent }) => onMessageSent));
  }
};
var OUTGOING_MESSAGES = /* @__PURE__ */ new WeakMap();
var hasMessageListeners = (anyProcess, ipcEmitter) => ipcEmitter.listenerCount("message") > getMinListenerCount(anyProcess);
var getMinListenerCount = (anyProcess) => SUBPROCESS_OPTIONS.has(anyProcess) && !getFdSpecificValue(SUBPROCESS_OPTIONS.get(anyProcess).options.buffer, "ipc") ? 1 : 0;

// node_modules/execa/lib/ipc/send.js
var sendMessage = ({ anyProcess, channel, isSubprocess, ipc }, message, { strict = false } = {}) => {
  const methodName = "sendMessage";
  validateIpcMethod({
    methodName,
    isSubprocess,
    ipc,
    isConnected: anyProcess.connected
  });
  return sendMessageAsync({
    anyProcess,
    channel,
    methodName,
    isSubprocess,
    message,
    strict
  });
};
var sendMessageAsync = async ({ anyProcess, channel, methodName, isSubprocess, message, strict }) => {
  const wrappedMessage = handleSendStrict({
    anyProcess,
    channel,
    isSubprocess,
    message,
    strict
  });
  const outgoingMessagesState = startSendMessage(anyProcess, wrappedMessage, strict);
  try {
    await sendOneMessage({
      anyProcess,
      methodName,
      isSubprocess,
      wrappedMessage,
      message
    });
  } catch (error) {
    disconnect(anyProcess);
    throw error;
  } finally {
    endSendMessage(outgoingMessagesState);
  }
};
var sendOneMessage = async ({ anyProcess, methodName, isSubprocess, wrappedMessage, message }) => {
  const sendMethod = getSendMethod(anyProcess);
  try {
    await Promise.all([
      waitForStrictResponse(wrappedMessage, anyProcess, isSubprocess),
      sendMethod(wrappedMessage)
    ]);
  } catch (error) {
    handleEpipeError({ error, methodName, isSubprocess });
    handleSerializationError({
      error,
      methodName,
      isSubprocess,
      message
    });
    throw error;
  }
};
var getSendMethod = (anyProcess) => {
  if (PROCESS_SEND_METHODS.has(anyProcess)) {
    return PROCESS_SEND_METHODS.get(anyProcess);
  }
  const sendMethod = promisify2(anyProcess.send.bind(anyProcess));
  PROCESS_SEND_METHODS.set(anyProcess, sendMethod);
  return sendMethod;
};
var PROCESS_SEND_METHODS = /* @__PURE__ */ new WeakMap();

// node_modules/execa/lib/ipc/graceful.js
var sendAbort = (subprocess, message) => {
  const methodName = "cancelSignal";
  validateConnection(methodName, false, subprocess.connected);
  return sendOneMessage({
    anyProcess: subprocess,
    methodName,
    isSubprocess: false,
    wrappedMessage: { type: GRACEFUL_CANCEL_TYPE, message },
    message
  });
};
var getCancelSignal = async ({ anyProcess, channel, isSubprocess, ipc }) => {
  await startIpc({
    anyProcess,
    channel,
    isSubprocess,
    ipc
  });
  return cancelController.signal;
};
var startIpc = async ({ anyProcess, channel, isSubprocess, ipc }) => {
  if (cancelListening) {
    return;
  }
  cancelListening = true;
  if (!ipc) {
    throwOnMissingParent();
    return;
  }
  if (channel === null) {
    abortOnDisconnect();
    return;
  }
  getIpcEmitter(anyProcess, channel, isSubprocess);
  await scheduler2.yield();
};
var cancelListening = false;
var handleAbort = (wrappedMessage) => {
  if (wrappedMessage?.type !== GRACEFUL_CANCEL_TYPE) {
    return false;
  }
  cancelController.abort(wrappedMessage.message);
  return true;
};
var GRACEFUL_CANCEL_TYPE = "execa:ipc:cancel";
var abortOnDisconnect = () => {
  cancelController.abort(getAbortDisconnectError());
};
var cancelController = new AbortController();

// node_modules/execa/lib/terminate/graceful.js
var validateGracefulCancel = ({ gracefulCancel, cancelSignal, ipc, serialization }) => {
  if (!gracefulCancel) {
    return;
  }
  if (cancelSignal === void 0) {
    throw new Error("The `cancelSignal` option must be defined when setting the `gracefulCancel` option.");
  }
  if (!ipc) {
    throw new Error("The `ipc` option cannot be false when setting the `gracefulCancel` option.");
  }
  if (serialization === "json") {
    throw new Error("The `serialization` option cannot be 'json' when setting the `gracefulCancel` option.");
  }
};
var throwOnGracefulCancel = ({
  subprocess,
  cancelSignal,
  gracefulCancel,
  forceKillAfterDelay,
  context,
  controller
}) => gracefulCancel ? [sendOnAbort({
  subprocess,
  cancelSignal,
  forceKillAfterDelay,
  context,
  controller
})] : [];
var sendOnAbort = async ({ subprocess, cancelSignal, forceKillAfterDelay, context, controller: { signal } }) => {
  await onAbortedSignal(cancelSignal, signal);
  const reason = getReason(cancelSignal);
  await sendAbort(subprocess, reason);
  killOnTimeout({
    kill: subprocess.kill,
    forceKillAfterDelay,
    context,
    controllerSignal: signal
  });
  context.terminationReason ??= "gracefulCancel";
  throw cancelSignal.reason;
};
var getReason = ({ reason }) => {
  if (!(reason instanceof DOMException)) {
    return reason;
  }
  const error = new Error(reason.message);
  Object.defineProperty(error, "stack", {
    value: reason.stack,
    enumerable: false,
    configurable: true,
    writable: true
  });
  return error;
};

// node_modules/execa/lib/terminate/timeout.js
import { setTimeout as setTimeout3 } from "node:timers/promises";
var validateTimeout = ({ timeout }) => {
  if (timeout !== void 0 && (!Number.isFinite(timeout) || timeout < 0)) {
    throw new TypeError(`Expected the \`timeout\` option to be a non-negative integer, got \`${timeout}\` (${typeof timeout})`);
  }
};
var throwOnTimeout = (subprocess, timeout, context, controller) => timeout === 0 || timeout === void 0 ? [] : [killAfterTimeout(subprocess, timeout, context, controller)];
var killAfterTimeout = async (subprocess, timeout, context, { signal }) => {
  await setTimeout3(timeout, void 0, { signal });
  context.terminationReason ??= "timeout";
  subprocess.kill();
  throw new DiscardedError();
};

// node_modules/execa/lib/methods/node.js
import { execPath, execArgv } from "node:process";
import path3 from "node:path";
var mapNode = ({ options }) => {
  if (options.node === false) {
    throw new TypeError('The "node" option cannot be false with `execaNode()`.');
  }
  return { options: { ...options, node: true } };
};
var handleNodeOption = (file, commandArguments, {
  node: shouldHandleNode = false,
  nodePath = execPath,
  nodeOptions = execArgv.filter((nodeOption) => !nodeOption.startsWith("--inspect")),
  cwd,
  execPath: formerNodePath,
  ...options
}) => {
  if (formerNodePath !== void 0) {
    throw new TypeError('The "execPath" option has been removed. Please use the "nodePath" option instead.');
  }
  const normalizedNodePath = safeNormalizeFileUrl(nodePath, 'The "nodePath" option');
  const resolvedNodePath = path3.resolve(cwd, normalizedNodePath);
  const newOptions = {
    ...options,
    nodePath: resolvedNodePath,
    node: shouldHandleNode,
    cwd
  };
  if (!shouldHandleNode) {
    return [file, commandArguments, newOptions];
  }
  if (path3.basename(file, ".exe") === "node") {
    throw new TypeError('When the "node" option is true, the first argument does not need to be "node".');
  }
  return [
    resolvedNodePath,
    [...nodeOptions, file, ...commandArguments],
    { ipc: true, ...newOptions, shell: false }
  ];
};

// node_modules/execa/lib/ipc/ipc-input.js
import { serialize } from "node:v8";
var validateIpcInputOption = ({ ipcInput, ipc, serialization }) => {
  if (ipcInput === void 0) {
    return;
  }
  if (!ipc) {
    throw new Error("The `ipcInput` option cannot be set unless the `ipc` option is `true`.");
  }
  validateIpcInput[serialization](ipcInput);
};
var validateAdvancedInput = (ipcInput) => {
  try {
    serialize(ipcInput);
  } catch (error) {
    throw new Error("The `ipcInput` option is not serializable with a structured clone.", { cause: error });
  }
};
var validateJsonInput = (ipcInput) => {
  try {
    JSON.stringify(ipcInput);
  } catch (error) {
    throw new Error("The `ipcInput` option is not serializable with JSON.", { cause: error });
  }
};
var validateIpcInput = {
  advanced: validateAdvancedInput,
  json: validateJsonInput
};
var sendIpcInput = async (subprocess, ipcInput) => {
  if (ipcInput === void 0) {
    return;
  }
  await subprocess.sendMessage(ipcInput);
};

// node_modules/execa/lib/arguments/encoding-option.js
var validateEncoding = ({ encoding }) => {
  if (ENCODINGS.has(encoding)) {
    return;
  }
  const correctEncoding = getCorrectEncoding(encoding);
  if (correctEncoding !== void 0) {
    throw new TypeError(`Invalid option \`encoding: ${serializeEncoding(encoding)}\`.
Please rename it to ${serializeEncoding(correctEncoding)}.`);
  }
  const correctEncodings = [...ENCODINGS].map((correctEncoding2) => serializeEncoding(correctEncoding2)).join(", ");
  throw new TypeError(`Invalid option \`encoding: ${serializeEncoding(encoding)}\`.
Please rename it to one of: ${correctEncodings}.`);
};
var TEXT_ENCODINGS = /* @__PURE__ */ new Set(["utf8", "utf16le"]);
var BINARY_ENCODINGS = /* @__PURE__ */ new Set(["buffer", "hex", "base64", "base64url", "latin1", "ascii"]);
var ENCODINGS = /* @__PURE__ */ new Set([...TEXT_ENCODINGS, ...BINARY_ENCODINGS]);
var getCorrectEncoding = (encoding) => {
  if (encoding === null) {
    return "buffer";
  }
  if (typeof encoding !== "string") {
    return;
  }
  const lowerEncoding = encoding.toLowerCase();
  if (lowerEncoding in ENCODING_ALIASES) {
    return ENCODING_ALIASES[lowerEncoding];
  }
  if (ENCODINGS.has(lowerEncoding)) {
    return lowerEncoding;
  }
};
var ENCODING_ALIASES = {
  // eslint-disable-next-line unicorn/text-encoding-identifier-case
  "utf-8": "utf8",
  "utf-16le": "utf16le",
  "ucs-2": "utf16le",
  ucs2: "utf16le",
  binary: "latin1"
};
var serializeEncoding = (encoding) => typeof encoding === "string" ? `"${encoding}"` : String(encoding);

// node_modules/execa/lib/arguments/cwd.js
import { statSync as statSync3 } from "node:fs";
import path4 from "node:path";
import process5 from "node:process";
var normalizeCwd = (cwd = getDefaultCwd()) => {
  const cwdString = safeNormalizeFileUrl(cwd, 'The "cwd" option');
  return path4.resolve(cwdString);
};
var getDefaultCwd = () => {
  try {
    return process5.cwd();
  } catch (error) {
    error.message = `The current directory does not exist.
${error.message}`;
    throw error;
  }
};
var fixCwdError = (originalMessage, cwd) => {
  if (cwd === getDefaultCwd()) {
    return originalMessage;
  }
  let cwdStat;
  try {
    cwdStat = statSync3(cwd);
  } catch (error) {
    return `The "cwd" option is invalid: ${cwd}.
${error.message}
${originalMessage}`;
  }
  if (!cwdStat.isDirectory()) {
    return `The "cwd" option is not a directory: ${cwd}.
${originalMessage}`;
  }
  return originalMessage;
};

// node_modules/execa/lib/arguments/options.js
var normalizeOptions = (filePath, rawArguments, rawOptions) => {
  rawOptions.cwd = normalizeCwd(rawOptions.cwd);
  const [processedFile, processedArguments, processedOptions] = handleNodeOption(filePath, rawArguments, rawOptions);
  const { command: file, args: commandArguments, options: initialOptions } = import_cross_spawn.default._parse(processedFile, processedArguments, processedOptions);
  const fdOptions = normalizeFdSpecificOptions(initialOptions);
  const options = addDefaultOptions(fdOptions);
  validateTimeout(options);
  validateEncoding(options);
  validateIpcInputOption(options);
  validateCancelSignal(options);
  validateGracefulCancel(options);
  options.shell = normalizeFileUrl(options.shell);
  options.env = getEnv(options);
  options.killSignal = normalizeKillSignal(options.killSignal);
  options.forceKillAfterDelay = normalizeForceKillAfterDelay(options.forceKillAfterDelay);
  options.lines = options.lines.map((lines, fdNumber) => lines && !BINARY_ENCODINGS.has(options.encoding) && options.buffer[fdNumber]);
  if (process6.platform === "win32" && path5.basename(file, ".exe") === "cmd") {
    commandArguments.unshift("/q");
  }
  return { file, commandArguments, options };
};
var addDefaultOptions = ({
  extendEnv = true,
  preferLocal = false,
  cwd,
  localDir: localDirectory = cwd,
  encoding = "utf8",
  reject = true,
  cleanup = true,
  all = false,
  windowsHide = true,
  killSignal = "SIGTERM",
  forceKillAfterDelay = true,
  gracefulCancel = false,
  ipcInput,
  ipc = ipcInput !== void 0 || gracefulCancel,
  serialization = "advanced",
  ...options
}) => ({
  ...options,
  extendEnv,
  preferLocal,
  cwd,
  localDirectory,
  encoding,
  reject,
  cleanup,
  all,
  windowsHide,
  killSignal,
  forceKillAfterDelay,
  gracefulCancel,
  ipcInput,
  ipc,
  serialization
});
var getEnv = ({ env: envOption, extendEnv, preferLocal, node, localDirectory, nodePath }) => {
  const env = extendEnv ? { ...process6.env, ...envOption } : envOption;
  if (preferLocal || node) {
    return npmRunPathEnv({
      env,
      cwd: localDirectory,
      execPath: nodePath,
      preferLocal,
      addExecPath: node
    });
  }
  return env;
};

// node_modules/execa/lib/arguments/shell.js
var concatenateShell = (file, commandArguments, options) => options.shell && commandArguments.length > 0 ? [[file, ...commandArguments].join(" "), [], options] : [file, commandArguments, options];

// node_modules/execa/lib/return/message.js
import { inspect as inspect2 } from "node:util";

// node_modules/strip-final-newline/index.js
function stripFinalNewline(input) {
  if (typeof input === "string") {
    return stripFinalNewlineString(input);
  }
  if (!(ArrayBuffer.isView(input) && input.BYTES_PER_ELEMENT === 1)) {
    throw new Error("Input must be a string or a Uint8Array");
  }
  return stripFinalNewlineBinary(input);
}
var stripFinalNewlineString = (input) => input.at(-1) === LF ? input.slice(0, input.at(-2) === CR ? -2 : -1) : input;
var stripFinalNewlineBinary = (input) => input.at(-1) === LF_BINARY ? input.subarray(0, input.at(-2) === CR_BINARY ? -2 : -1) : input;
var LF = "\n";
var LF_BINARY = LF.codePointAt(0);
var CR = "\r";
var CR_BINARY = CR.codePointAt(0);

// node_modules/get-stream/source/index.js
import { on } from "node:events";
import { finished } from "node:stream/promises";

// node_modules/is-stream/index.js
function isStream(stream, { checkOpen = true } = {}) {
  return stream !== null && typeof stream === "object" && (stream.writable || stream.readable || !checkOpen || stream.writable === void 0 && stream.readable === void 0) && typeof stream.pipe === "function";
}
function isWritableStream(stream, { checkOpen = true } = {}) {
  return isStream(stream, { checkOpen }) && (stream.writable || !checkOpen) && typeof stream.write === "function" && typeof stream.end === "function" && typeof stream.writable === "boolean" && typeof stream.writableObjectMode === "boolean" && typeof stream.destroy === "function" && typeof stream.destroyed === "boolean";
}
function isReadableStream(stream, { checkOpen = true } = {}) {
  return isStream(stream, { checkOpen }) && (stream.readable || !checkOpen) && typeof stream.read === "function" && typeof stream.readable === "boolean" && typeof stream.readableObjectMode === "boolean" && typeof stream.destroy === "function" && typeof stream.destroyed === "boolean";
}
function isDuplexStream(stream, options) {
  return isWritableStream(stream, options) && isReadableStream(stream, options);
}

// node_modules/@sec-ant/readable-stream/dist/ponyfill/asyncIterator.js
var a = Object.getPrototypeOf(
  Object.getPrototypeOf(
    /* istanbul ignore next */
    async function* () {
    }
  ).prototype
);
var c = class {
  #t;
  #n;
  #r = false;
  #e = void 0;
  constructor(e, t) {
    this.#t = e, this.#n = t;
  }
  next() {
    const e = () => this.#s();
    return this.#e = this.#e ? this.#e.then(e, e) : e(), this.#e;
  }
  return(e) {
    const t = () => this.#i(e);
    return this.#e ? this.#e.then(t, t) : t();
  }
  async #s() {
    if (this.#r)
      return {
        done: true,
        value: void 0
      };
    let e;
    try {
      e = await this.#t.read();
    } catch (t) {
      throw this.#e = void 0, this.#r = true, this.#t.releaseLock(), t;
    }
    return e.done && (this.#e = void 0, this.#r = true, this.#t.releaseLock()), e;
  }
  async #i(e) {
    if (this.#r)
      return {
        done: true,
        value: e
      };
    if (this.#r = true, !this.#n) {
      const t = this.#t.cancel(e);
      return this.#t.releaseLock(), await t, {
        done: true,
        value: e
      };
    }
    return this.#t.releaseLock(), {
      done: true,
      value: e
    };
  }
};
var n = /* @__PURE__ */ Symbol();
function i() {
  return this[n].next();
}
Object.defineProperty(i, "name", { value: "next" });
function o(r) {
  return this[n].return(r);
}
Object.defineProperty(o, "name", { value: "return" });
var u = Object.create(a, {
  next: {
    enumerable: true,
    configurable: true,
    writable: true,
    value: i
  },
  return: {
    enumerable: true,
    configurable: true,
    writable: true,
    value: o
  }
});
function h({ preventCancel: r = false } = {}) {
  const e = this.getReader(), t = new c(
    e,
    r
  ), s = Object.create(u);
  return s[n] = t, s;
}

// node_modules/get-stream/source/stream.js
var getAsyncIterable = (stream) => {
  if (isReadableStream(stream, { checkOpen: false }) && nodeImports.on !== void 0) {
    return getStreamIterable(stream);
  }
  if (typeof stream?.[Symbol.asyncIterator] === "function") {
    return stream;
  }
  if (toString.call(stream) === "[object ReadableStream]") {
    return h.call(stream);
  }
  throw new TypeError("The first argument must be a Readable, a ReadableStream, or an async iterable.");
};
var { toString } = Object.prototype;
var getStreamIterable = async function* (stream) {
  const controller = new AbortController();
  const state = {};
  handleStreamEnd(stream, controller, state);
  try {
    for await (const [chunk] of nodeImports.on(stream, "data", { signal: controller.signal })) {
      yield chunk;
    }
  } catch (error) {
    if (state.error !== void 0) {
      throw state.error;
    } else if (!controller.signal.aborted) {
      throw error;
    }
  } finally {
    stream.destroy();
  }
};
var handleStreamEnd = async (stream, controller, state) => {
  try {
    await nodeImports.finished(stream, {
      cleanup: true,
      readable: true,
      writable: false,
      error: false
    });
  } catch (error) {
    state.error = error;
  } finally {
    controller.abort();
  }
};
var nodeImports = {};

// node_modules/get-stream/source/contents.js
var getStreamContents = async (stream, { init, convertChunk, getSize, truncateChunk, addChunk, getFinalChunk, finalize }, { maxBuffer = Number.POSITIVE_INFINITY } = {}) => {
  const asyncIterable = getAsyncIterable(stream);
  const state = init();
  state.length = 0;
  try {
    for await (const chunk of asyncIterable) {
      const chunkType = getChunkType(chunk);
      const convertedChunk = convertChunk[chunkType](chunk, state);
      appendChunk({
        convertedChunk,
        state,
        getSize,
        truncateChunk,
        addChunk,
        maxBuffer
      });
    }
    appendFinalChunk({
      state,
      convertChunk,
      getSize,
      truncateChunk,
      addChunk,
      getFinalChunk,
      maxBuffer
    });
    return finalize(state);
  } catch (error) {
    const normalizedError = typeof error === "object" && error !== null ? error : new Error(error);
    normalizedError.bufferedData = finalize(state);
    throw normalizedError;
  }
};
var appendFinalChunk = ({ state, getSize, truncateChunk, addChunk, getFinalChunk, maxBuffer }) => {
  const convertedChunk = getFinalChunk(state);
  if (convertedChunk !== void 0) {
    appendChunk({
      convertedChunk,
      state,
      getSize,
      truncateChunk,
      addChunk,
      maxBuffer
    });
  }
};
var appendChunk = ({ convertedChunk, state, getSize, truncateChunk, addChunk, maxBuffer }) => {
  const chunkSize = getSize(convertedChunk);
  const newLength = state.length + chunkSize;
  if (newLength <= maxBuffer) {
    addNewChunk(convertedChunk, state, addChunk, newLength);
    return;
  }
  const truncatedChunk = truncateChunk(convertedChunk, maxBuffer - state.length);
  if (truncatedChunk !== void 0) {
    addNewChunk(truncatedChunk, state, addChunk, maxBuffer);
  }
  throw new MaxBufferError();
};
var addNewChunk = (convertedChunk, state, addChunk, newLength) => {
  state.contents = addChunk(convertedChunk, state, newLength);
  state.length = newLength;
};
var getChunkType = (chunk) => {
  const typeOfChunk = typeof chunk;
  if (typeOfChunk === "string") {
    return "string";
  }
  if (typeOfChunk !== "object" || chunk === null) {
    return "others";
  }
  if (globalThis.Buffer?.isBuffer(chunk)) {
    return "buffer";
  }
  const prototypeName = objectToString2.call(chunk);
  if (prototypeName === "[object ArrayBuffer]") {
    return "arrayBuffer";
  }
  if (prototypeName === "[object DataView]") {
    return "dataView";
  }
  if (Number.isInteger(chunk.byteLength) && Number.isInteger(chunk.byteOffset) && objectToString2.call(chunk.buffer) === "[object ArrayBuffer]") {
    return "typedArray";
  }
  return "others";
};
var { toString: objectToString2 } = Object.prototype;
var MaxBufferError = class extends Error {
  name = "MaxBufferError";
  constructor() {
    super("maxBuffer exceeded");
  }
};

// node_modules/get-stream/source/utils.js
var identity2 = (value) => value;
var noop = () => void 0;
var getContentsProperty = ({ contents }) => contents;
var throwObjectStream = (chunk) => {
  throw new Error(`Streams in object mode are not supported: ${String(chunk)}`);
};
var getLengthProperty = (convertedChunk) => convertedChunk.length;

// node_modules/get-stream/source/array.js
async function getStreamAsArray(stream, options) {
  return getStreamContents(stream, arrayMethods, options);
}
var initArray = () => ({ contents: [] });
var increment = () => 1;
var addArrayChunk = (convertedChunk, { contents }) => {
  contents.push(convertedChunk);
  return contents;
};
var arrayMethods = {
  init: initArray,
  convertChunk: {
    string: identity2,
    buffer: identity2,
    arrayBuffer: identity2,
    dataView: identity2,
    typedArray: identity2,
    others: identity2
  },
  getSize: increment,
  truncateChunk: noop,
  addChunk: addArrayChunk,
  getFinalChunk: noop,
  finalize: getContentsProperty
};

// node_modules/get-stream/source/array-buffer.js
async function getStreamAsArrayBuffer(stream, options) {
  return getStreamContents(stream, arrayBufferMethods, options);
}
var initArrayBuffer = () => ({ contents: new ArrayBuffer(0) });
var useTextEncoder = (chunk) => textEncoder2.encode(chunk);
var textEncoder2 = new TextEncoder();
var useUint8Array = (chunk) => new Uint8Array(chunk);
var useUint8ArrayWithOffset = (chunk) => new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
var truncateArrayBufferChunk = (convertedChunk, chunkSize) => convertedChunk.slice(0, chunkSize);
var addArrayBufferChunk = (convertedChunk, { contents, length: previousLength }, length) => {
  const newContents = hasArrayBufferResize() ? resizeArrayBuffer(contents, length) : resizeArrayBufferSlow(contents, length);
  new Uint8Array(newContents).set(convertedChunk, previousLength);
  return newContents;
};
var resizeArrayBufferSlow = (contents, length) => {
  if (length <= contents.byteLength) {
    return contents;
  }
  const arrayBuffer = new ArrayBuffer(getNewContentsLength(length));
  new Uint8Array(arrayBuffer).set(new Uint8Array(contents), 0);
  return arrayBuffer;
};
var resizeArrayBuffer = (contents, length) => {
  if (length <= contents.maxByteLength) {
    contents.resize(length);
    return contents;
  }
  const arrayBuffer = new ArrayBuffer(length, { maxByteLength: getNewContentsLength(length) });
  new Uint8Array(arrayBuffer).set(new Uint8Array(contents), 0);
  return arrayBuffer;
};
var getNewContentsLength = (length) => SCALE_FACTOR ** Math.ceil(Math.log(length) / Math.log(SCALE_FACTOR));
var SCALE_FACTOR = 2;
var finalizeArrayBuffer = ({ contents, length }) => hasArrayBufferResize() ? contents : contents.slice(0, length);
var hasArrayBufferResize = () => "resize" in ArrayBuffer.prototype;
var arrayBufferMethods = {
  init: initArrayBuffer,
  convertChunk: {
    string: useTextEncoder,
    buffer: useUint8Array,
    arrayBuffer: useUint8Array,
    dataView: useUint8ArrayWithOffset,
    typedArray: useUint8ArrayWithOffset,
    others: throwObjectStream
  },
  getSize: getLengthProperty,
  truncateChunk: truncateArrayBufferChunk,
  addChunk: addArrayBufferChunk,
  getFinalChunk: noop,
  finalize: finalizeArrayBuffer
};

// node_modules/get-stream/source/string.js
async function getStreamAsString(stream, options) {
  return getStreamContents(stream, stringMethods, options);
}
var initString = () => ({ contents: "", textDecoder: new TextDecoder() });
var useTextDecoder = (chunk, { textDecoder: textDecoder2 }) => textDecoder2.decode(chunk, { stream: true });
var addStringChunk = (convertedChunk, { contents }) => contents + convertedChunk;
var truncateStringChunk = (convertedChunk, chunkSize) => convertedChunk.slice(0, chunkSize);
var getFinalStringChunk = ({ textDecoder: textDecoder2 }) => {
  const finalChunk = textDecoder2.decode();
  return finalChunk === "" ? void 0 : finalChunk;
};
var stringMethods = {
  init: initString,
  convertChunk: {
    string: identity2,
    buffer: useTextDecoder,
    arrayBuffer: useTextDecoder,
    dataView: useTextDecoder,
    typedArray: useTextDecoder,
    others: throwObjectStream
  },
  getSize: getLengthProperty,
  truncateChunk: truncateStringChunk,
  addChunk: addStringChunk,
  getFinalChunk: getFinalStringChunk,
  finalize: getContentsProperty
};

// node_modules/get-stream/source/index.js
Object.assign(nodeImports, { on, finished });

// node_modules/execa/lib/io/max-buffer.js
var handleMaxBuffer = ({ error, stream, readableObjectMode, lines, encoding, fdNumber }) => {
  if (!(error instanceof MaxBufferError)) {
    throw error;
  }
  if (fdNumber === "all") {
    return error;
  }
  const unit = getMaxBufferUnit(readableObjectMode, lines, encoding);
  error.maxBufferInfo = { fdNumber, unit };
  stream.destroy();
  throw error;
};
var getMaxBufferUnit = (readableObjectMode, lines, encoding) => {
  if (readableObjectMode) {
    return "objects";
  }
  if (lines) {
    return "lines";
  }
  if (encoding === "buffer") {
    return "bytes";
  }
  return "characters";
};
var checkIpcMaxBuffer = (subprocess, ipcOutput, maxBuffer) => {
  if (ipcOutput.length !== maxBuffer) {
    return;
  }
  const error = new MaxBufferError();
  error.maxBufferInfo = { fdNumber: "ipc" };
  throw error;
};
var getMaxBufferMessage = (error, maxBuffer) => {
  const { streamName, threshold, unit } = getMaxBufferInfo(error, maxBuffer);
  return `Command's ${streamName} was larger than ${threshold} ${unit}`;
};
var getMaxBufferInfo = (error, maxBuffer) => {
  if (error?.maxBufferInfo === void 0) {
    return { streamName: "output", threshold: maxBuffer[1], unit: "bytes" };
  }
  const { maxBufferInfo: { fdNumber, unit } } = error;
  delete error.maxBufferInfo;
  const threshold = getFdSpecificValue(maxBuffer, fdNumber);
  if (fdNumber === "ipc") {
    return { streamName: "IPC output", threshold, unit: "messages" };
  }
  return { streamName: getStreamName(fdNumber), threshold, unit };
};
var isMaxBufferSync = (resultError, output, maxBuffer) => resultError?.code === "ENOBUFS" && output !== null && output.some((result) => result !== null && result.length > getMaxBufferSync(maxBuffer));
var truncateMaxBufferSync = (result, isMaxBuffer, maxBuffer) => {
  if (!isMaxBuffer) {
    return result;
  }
  const maxBufferValue = getMaxBufferSync(maxBuffer);
  return result.length > maxBufferValue ? result.slice(0, maxBufferValue) : result;
};
var getMaxBufferSync = ([, stdoutMaxBuffer]) => stdoutMaxBuffer;

// node_modules/execa/lib/return/message.js
var createMessages = ({
  stdio,
  all,
  ipcOutput,
  originalError,
  signal,
  signalDescription,
  exitCode,
  escapedCommand,
  timedOut,
  isCanceled,
  isGracefullyCanceled,
  isMaxBuffer,
  isForcefullyTerminated,
  forceKillAfterDelay,
  killSignal,
  maxBuffer,
  timeout,
  cwd
}) => {
  const errorCode = originalError?.code;
  const prefix = getErrorPrefix({
    originalError,
    timedOut,
    timeout,
    isMaxBuffer,
    maxBuffer,
    errorCode,
    signal,
    signalDescription,
    exitCode,
    isCanceled,
    isGracefullyCanceled,
    isForcefullyTerminated,
    forceKillAfterDelay,
    killSignal
  });
  const originalMessage = getOriginalMessage(originalError, cwd);
  const suffix = originalMessage === void 0 ? "" : `
${originalMessage}`;
  const shortMessage = `${prefix}: ${escapedCommand}${suffix}`;
  const messageStdio = all === void 0 ? [stdio[2], stdio[1]] : [all];
  const message = [
    shortMessage,
    ...messageStdio,
    ...stdio.slice(3),
    ipcOutput.map((ipcMessage) => serializeIpcMessage(ipcMessage)).join("\n")
  ].map((messagePart) => escapeLines(stripFinalNewline(serializeMessagePart(messagePart)))).filter(Boolean).join("\n\n");
  return { originalMessage, shortMessage, message };
};
var getErrorPrefix = ({
  originalError,
  timedOut,
  timeout,
  isMaxBuffer,
  maxBuffer,
  errorCode,
  signal,
  signalDescription,
  exitCode,
  isCanceled,
  isGracefullyCanceled,
  isForcefullyTerminated,
  forceKillAfterDelay,
  killSignal
}) => {
  const forcefulSuffix = getForcefulSuffix(isForcefullyTerminated, forceKillAfterDelay);
  if (timedOut) {
    return `Command timed out after ${timeout} milliseconds${forcefulSuffix}`;
  }
  if (isGracefullyCanceled) {
    if (signal === void 0) {
      return `Command was gracefully canceled with exit code ${exitCode}`;
    }
    return isForcefullyTerminated ? `Command was gracefully canceled${forcefulSuffix}` : `Command was gracefully canceled with ${signal} (${signalDescription})`;
  }
  if (isCanceled) {
    return `Command was canceled${forcefulSuffix}`;
  }
  if (isMaxBuffer) {
    return `${getMaxBufferMessage(originalError, maxBuffer)}${forcefulSuffix}`;
  }
  if (errorCode !== void 0) {
    return `Command failed with ${errorCode}${forcefulSuffix}`;
  }
  if (isForcefullyTerminated) {
    return `Command was killed with ${killSignal} (${getSignalDescription(killSignal)})${forcefulSuffix}`;
  }
  if (signal !== void 0) {
    return `Command was killed with ${signal} (${signalDescription})`;
  }
  if (exitCode !== void 0) {
    return `Command failed with exit code ${exitCode}`;
  }
  return "Command failed";
};
var getForcefulSuffix = (isForcefullyTerminated, forceKillAfterDelay) => isForcefullyTerminated ? ` and was forcefully terminated after ${forceKillAfterDelay} milliseconds` : "";
var getOriginalMessage = (originalError, cwd) => {
  if (originalError instanceof DiscardedError) {
    return;
  }
  const originalMessage = isExecaError(originalError) ? originalError.originalMessage : String(originalError?.message ?? originalError);
  const escapedOriginalMessage = escapeLines(fixCwdError(originalMessage, cwd));
  return escapedOriginalMessage === "" ? void 0 : escapedOriginalMessage;
};
var serializeIpcMessage = (ipcMessage) => typeof ipcMessage === "string" ? ipcMessage : inspect2(ipcMessage);
var serializeMessagePart = (messagePart) => Array.isArray(messagePart) ? messagePart.map((messageItem) => stripFinalNewline(serializeMessageItem(messageItem))).filter(Boolean).join("\n") : serializeMessageItem(messagePart);
var serializeMessageItem = (messageItem) => {
  if (typeof messageItem === "string") {
    return messageItem;
  }
  if (isUint8Array(messageItem)) {
    return uint8ArrayToString(messageItem);
  }
  return "";
};

// node_modules/execa/lib/return/result.js
var makeSuccessResult = ({
  command,
  escapedCommand,
  stdio,
  all,
  ipcOutput,
  options: { cwd },
  startTime
}) => omitUndefinedProperties({
  command,
  escapedCommand,
  cwd,
  durationMs: getDurationMs(startTime),
  failed: false,
  timedOut: false,
  isCanceled: false,
  isGracefullyCanceled: false,
  isTerminated: false,
  isMaxBuffer: false,
  isForcefullyTerminated: false,
  exitCode: 0,
  stdout: stdio[1],
  stderr: stdio[2],
  all,
  stdio,
  ipcOutput,
  pipedFrom: []
});
var makeEarlyError = ({
  error,
  command,
  escapedCommand,
  fileDescriptors,
  options,
  startTime,
  isSync
}) => makeError({
  error,
  command,
  escapedCommand,
  startTime,
  timedOut: false,
  isCanceled: false,
  isGracefullyCanceled: false,
  isMaxBuffer: false,
  isForcefullyTerminated: false,
  stdio: Array.from({ length: fileDescriptors.length }),
  ipcOutput: [],
  options,
  isSync
});
var makeError = ({
  error: originalError,
  command,
  escapedCommand,
  startTime,
  timedOut,
  isCanceled,
  isGracefullyCanceled,
  isMaxBuffer,
  isForcefullyTerminated,
  exitCode: rawExitCode,
  signal: rawSignal,
  stdio,
  all,
  ipcOutput,
  options: {
    timeoutDuration,
    timeout = timeoutDuration,
    forceKillAfterDelay,
    killSignal,
    cwd,
    maxBuffer
  },
  isSync
}) => {
  const { exitCode, signal, signalDescription } = normalizeExitPayload(rawExitCode, rawSignal);
  const { originalMessage, shortMessage, message } = createMessages({
    stdio,
    all,
    ipcOutput,
    originalError,
    signal,
    signalDescription,
    exitCode,
    escapedCommand,
    timedOut,
    isCanceled,
    isGracefullyCanceled,
    isMaxBuffer,
    isForcefullyTerminated,
    forceKillAfterDelay,
    killSignal,
    maxBuffer,
    timeout,
    cwd
  });
  const error = getFinalError(originalError, message, isSync);
  Object.assign(error, getErrorProperties({
    error,
    command,
    escapedCommand,
    startTime,
    timedOut,
    isCanceled,
    isGracefullyCanceled,
    isMaxBuffer,
    isForcefullyTerminated,
    exitCode,
    signal,
    signalDescription,
    stdio,
    all,
    ipcOutput,
    cwd,
    originalMessage,
    shortMessage
  }));
  return error;
};
var getErrorProperties = ({
  error,
  command,
  escapedCommand,
  startTime,
  timedOut,
  isCanceled,
  isGracefullyCanceled,
  isMaxBuffer,
  isForcefullyTerminated,
  exitCode,
  signal,
  signalDescription,
  stdio,
  all,
  ipcOutput,
  cwd,
  originalMessage,
  shortMessage
}) => omitUndefinedProperties({
  shortMessage,
  originalMessage,
  command,
  escapedCommand,
  cwd,
  durationMs: getDurationMs(startTime),
  failed: true,
  timedOut,
  isCanceled,
  isGracefullyCanceled,
  isTerminated: signal !== void 0,
  isMaxBuffer,
  isForcefullyTerminated,
  exitCode,
  signal,
  signalDescription,
  code: error.cause?.code,
  stdout: stdio[1],
  stderr: stdio[2],
  all,
  stdio,
  ipcOutput,
  pipedFrom: []
});
var omitUndefinedProperties = (result) => Object.fromEntries(Object.entries(result).filter(([, value]) => value !== void 0));
var normalizeExitPayload = (rawExitCode, rawSignal) => {
  const exitCode = rawExitCode === null ? void 0 : rawExitCode;
  const signal = rawSignal === null ? void 0 : rawSignal;
  const signalDescription = signal === void 0 ? void 0 : getSignalDescription(rawSignal);
  return { exitCode, signal, signalDescription };
};

// node_modules/parse-ms/index.js
var toZeroIfInfinity = (value) => Number.isFinite(value) ? value : 0;
function parseNumber(milliseconds) {
  return {
    days: Math.trunc(milliseconds / 864e5),
    hours: Math.trunc(milliseconds / 36e5 % 24),
    minutes: Math.trunc(milliseconds / 6e4 % 60),
    seconds: Math.trunc(milliseconds / 1e3 % 60),
    milliseconds: Math.trunc(milliseconds % 1e3),
    microseconds: Math.trunc(toZeroIfInfinity(milliseconds * 1e3) % 1e3),
    nanoseconds: Math.trunc(toZeroIfInfinity(milliseconds * 1e6) % 1e3)
  };
}
function parseBigint(milliseconds) {
  return {
    days: milliseconds / 86400000n,
    hours: milliseconds / 3600000n % 24n,
    minutes: milliseconds / 60000n % 60n,
    seconds: milliseconds / 1000n % 60n,
    milliseconds: milliseconds % 1000n,
    microseconds: 0n,
    nanoseconds: 0n
  };
}
function parseMilliseconds(milliseconds) {
  switch (typeof milliseconds) {
    case "number": {
      if (Number.isFinite(milliseconds)) {
        return parseNumber(milliseconds);
      }
      break;
    }
    case "bigint": {
      return parseBigint(milliseconds);
    }
  }
  throw new TypeError("Expected a finite number or bigint");
}

// node_modules/pretty-ms/index.js
var isZero = (value) => value === 0 || value === 0n;
var pluralize = (word, count2) => count2 === 1 || count2 === 1n ? word : `${word}s`;
var SECOND_ROUNDING_EPSILON = 1e-7;
var ONE_DAY_IN_MILLISECONDS = 24n * 60n * 60n * 1000n;
function prettyMilliseconds(milliseconds, options) {
  const isBigInt = typeof milliseconds === "bigint";
  if (!isBigInt && !Number.isFinite(milliseconds)) {
    throw new TypeError("Expected a finite number or bigint");
  }
  options = { ...options };
  const sign = milliseconds < 0 ? "-" : "";
  milliseconds = milliseconds < 0 ? -milliseconds : milliseconds;
  if (options.colonNotation) {
    options.compact = false;
    options.formatSubMilliseconds = false;
    options.separateMilliseconds = false;
    options.verbose = false;
  }
  if (options.compact) {
    options.unitCount = 1;
    options.secondsDecimalDigits = 0;
    options.millisecondsDecimalDigits = 0;
  }
  let result = [];
  const floorDecimals = (value, decimalDigits) => {
    const flooredInterimValue = Math.floor(value * 10 ** decimalDigits + SECOND_ROUNDING_EPSILON);
    const flooredValue = Math.round(flooredInterimValue) / 10 ** decimalDigits;
    return flooredValue.toFixed(decimalDigits);
  };
  const add = (value, long, short, valueString) => {
    if ((result.length === 0 || !options.colonNotation) && isZero(value) && !(options.colonNotation && short === "m")) {
      return;
    }
    valueString ??= String(value);
    if (options.colonNotation) {
      const wholeDigits = valueString.includes(".") ? valueString.split(".")[0].length : valueString.length;
      const minLength = result.length > 0 ? 2 : 1;
      valueString = "0".repeat(Math.max(0, minLength - wholeDigits)) + valueString;
    } else {
      valueString += options.verbose ? " " + pluralize(long, value) : short;
    }
    result.push(valueString);
  };
  const parsed = parseMilliseconds(milliseconds);
  const days = BigInt(parsed.days);
  if (options.hideYearAndDays) {
    add(BigInt(days) * 24n + BigInt(parsed.hours), "hour", "h");
  } else {
    if (options.hideYear) {
      add(days, "day", "d");
    } else {
      add(days / 365n, "year", "y");
      add(days % 365n, "day", "d");
    }
    add(Number(parsed.hours), "hour", "h");
  }
  add(Number(parsed.minutes), "minute", "m");
  if (!options.hideSeconds) {
    if (options.separateMilliseconds || options.formatSubMilliseconds || !options.colonNotation && milliseconds < 1e3 && !options.subSecondsAsDecimals) {
      const seconds = Number(parsed.seconds);
      const milliseconds2 = Number(parsed.milliseconds);
      const microseconds = Number(parsed.microseconds);
      const nanoseconds = Number(parsed.nanoseconds);
      add(seconds, "second", "s");
      if (options.formatSubMilliseconds) {
        add(milliseconds2, "millisecond", "ms");
        add(microseconds, "microsecond", "\xB5s");
        add(nanoseconds, "nanosecond", "ns");
      } else {
        const millisecondsAndBelow = milliseconds2 + microseconds / 1e3 + nanoseconds / 1e6;
        const millisecondsDecimalDigits = typeof options.millisecondsDecimalDigits === "number" ? options.millisecondsDecimalDigits : 0;
        const roundedMilliseconds = millisecondsAndBelow >= 1 ? Math.round(millisecondsAndBelow) : Math.ceil(millisecondsAndBelow);
        const maximumMilliseconds = 1e3 - 10 ** -millisecondsDecimalDigits;
        const millisecondsString = millisecondsDecimalDigits ? Math.min(millisecondsAndBelow, maximumMilliseconds).toFixed(millisecondsDecimalDigits) : Math.min(roundedMilliseconds, maximumMilliseconds);
        add(
          Number.parseFloat(millisecondsString),
          "millisecond",
          "ms",
          millisecondsString
        );
      }
    } else {
      const seconds = (isBigInt ? Number(milliseconds % ONE_DAY_IN_MILLISECONDS) : milliseconds) / 1e3 % 60;
      const secondsDecimalDigits = typeof options.secondsDecimalDigits === "number" ? options.secondsDecimalDigits : 1;
      const secondsFixed = floorDecimals(seconds, secondsDecimalDigits);
      const secondsString = options.keepDecimalsOnWholeSeconds ? secondsFixed : secondsFixed.replace(/\.0+$/, "");
      add(Number.parseFloat(secondsString), "second", "s", secondsString);
    }
  }
  if (result.length === 0) {
    return sign + "0" + (options.verbose ? " milliseconds" : "ms");
  }
  const separator = options.colonNotation ? ":" : " ";
  if (typeof options.unitCount === "number") {
    result = result.slice(0, Math.max(options.unitCount, 1));
  }
  return sign + result.join(separator);
}

// node_modules/execa/lib/verbose/error.js
var logError = (result, verboseInfo) => {
  if (result.failed) {
    verboseLog({
      type: "error",
      verboseMessage: result.shortMessage,
      verboseInfo,
      result
    });
  }
};

// node_modules/execa/lib/verbose/complete.js
var logResult = (result, verboseInfo) => {
  if (!isVerbose(verboseInfo)) {
    return;
  }
  logError(result, verboseInfo);
  logDuration(result, verboseInfo);
};
var logDuration = (result, verboseInfo) => {
  const verboseMessage = `(done in ${prettyMilliseconds(result.durationMs)})`;
  verboseLog({
    type: "duration",
    verboseMessage,
    verboseInfo,
    result
  });
};

// node_modules/execa/lib/return/reject.js
var handleResult = (result, verboseInfo, { reject }) => {
  logResult(result, verboseInfo);
  if (result.failed && reject) {
    throw result;
  }
  return result;
};

// node_modules/execa/lib/stdio/handle-sync.js
import { readFileSync as readFileSync3 } from "node:fs";

// node_modules/execa/lib/stdio/type.js
var getStdioItemType = (value, optionName) => {
  if (isAsyncGenerator(value)) {
    return "asyncGenerator";
  }
  if (isSyncGenerator(value)) {
    return "generator";
  }
  if (isUrl(value)) {
    return "fileUrl";
  }
  if (isFilePathObject(value)) {
    return "filePath";
  }
  if (isWebStream(value)) {
    return "webStream";
  }
  if (isStream(value, { checkOpen: false })) {
    return "native";
  }
  if (isUint8Array(value)) {
    return "uint8Array";
  }
  if (isAsyncIterableObject(value)) {
    return "asyncIterable";
  }
  if (isIterableObject(value)) {
    return "iterable";
  }
  if (isTransformStream(value)) {
    return getTransformStreamType({ transform: value }, optionName);
  }
  if (isTransformOptions(value)) {
    return getTransformObjectType(value, optionName);
  }
  return "native";
};
var getTransformObjectType = (value, optionName) => {
  if (isDuplexStream(value.transform, { checkOpen: false })) {
    return getDuplexType(value, optionName);
  }
  if (isTransformStream(value.transform)) {
    return getTransformStreamType(value, optionName);
  }
  return getGeneratorObjectType(value, optionName);
};
var getDuplexType = (value, optionName) => {
  validateNonGeneratorType(value, optionName, "Duplex stream");
  return "duplex";
};
var getTransformStreamType = (value, optionName) => {
  validateNonGeneratorType(value, optionName, "web TransformStream");
  return "webTransform";
};
var validateNonGeneratorType = ({ final, binary, objectMode }, optionName, typeName) => {
  checkUndefinedOption(final, `${optionName}.final`, typeName);
  checkUndefinedOption(binary, `${optionName}.binary`, typeName);
  checkBooleanOption(objectMode, `${optionName}.objectMode`);
};
var checkUndefinedOption = (value, optionName, typeName) => {
  if (value !== void 0) {
    throw new TypeError(`The \`${optionName}\` option can only be defined when using a generator, not a ${typeName}.`);
  }
};
var getGeneratorObjectType = ({ transform, final, binary, objectMode }, optionName) => {
  if (transform !== void 0 && !isGenerator(transform)) {
    throw new TypeError(`The \`${optionName}.transform\` option must be a generator, a Duplex stream or a web TransformStream.`);
  }
  if (isDuplexStream(final, { checkOpen: false })) {
    throw new TypeError(`The \`${optionName}.final\` option must not be a Duplex stream.`);
  }
  if (isTransformStream(final)) {
    throw new TypeError(`The \`${optionName}.final\` option must not be a web TransformStream.`);
  }
  if (final !== void 0 && !isGenerator(final)) {
    throw new TypeError(`The \`${optionName}.final\` option must be a generator.`);
  }
  checkBooleanOption(binary, `${optionName}.binary`);
  checkBooleanOption(objectMode, `${optionName}.objectMode`);
  return isAsyncGenerator(transform) || isAsyncGenerator(final) ? "asyncGenerator" : "generator";
};
var checkBooleanOption = (value, optionName) => {
  if (value !== void 0 && typeof value !== "boolean") {
    throw new TypeError(`The \`${optionName}\` option must use a boolean.`);
  }
};
var isGenerator = (value) => isAsyncGenerator(value) || isSyncGenerator(value);
var isAsyncGenerator = (value) => Object.prototype.toString.call(value) === "[object AsyncGeneratorFunction]";
var isSyncGenerator = (value) => Object.prototype.toString.call(value) === "[object GeneratorFunction]";
var isTransformOptions = (value) => isPlainObject(value) && (value.transform !== void 0 || value.final !== void 0);
var isUrl = (value) => Object.prototype.toString.call(value) === "[object URL]";
var isRegularUrl = (value) => isUrl(value) && value.protocol !== "file:";
var isFilePathObject = (value) => isPlainObject(value) && Object.keys(value).length > 0 && Object.keys(value).every((key) => FILE_PATH_KEYS.has(key)) && isFilePathString(value.file);
var FILE_PATH_KEYS = /* @__PURE__ */ new Set(["file", "append"]);
var isFilePathString = (file) => typeof file === "string";
var isUnknownStdioString = (type, value) => type === "native" && typeof value === "string" && !KNOWN_STDIO_STRINGS.has(value);
var KNOWN_STDIO_STRINGS = /* @__PURE__ */ new Set(["ipc", "ignore", "inherit", "overlapped", "pipe"]);
var isReadableStream2 = (value) => Object.prototype.toString.call(value) === "[object ReadableStream]";
var isWritableStream2 = (value) => Object.prototype.toString.call(value) === "[object WritableStream]";
var isWebStream = (value) => isReadableStream2(value) || isWritableStream2(value);
var isTransformStream = (value) => isReadableStream2(value?.readable) && isWritableStream2(value?.writable);
var isAsyncIterableObject = (value) => isObject(value) && typeof value[Symbol.asyncIterator] === "function";
var isIterableObject = (value) => isObject(value) && typeof value[Symbol.iterator] === "function";
var isObject = (value) => typeof value === "object" && value !== null;
var TRANSFORM_TYPES = /* @__PURE__ */ new Set(["generator", "asyncGenerator", "duplex", "webTransform"]);
var FILE_TYPES = /* @__PURE__ */ new Set(["fileUrl", "filePath", "fileNumber"]);
var SPECIAL_DUPLICATE_TYPES_SYNC = /* @__PURE__ */ new Set(["fileUrl", "filePath"]);
var SPECIAL_DUPLICATE_TYPES = /* @__PURE__ */ new Set([...SPECIAL_DUPLICATE_TYPES_SYNC, "webStream", "nodeStream"]);
var FORBID_DUPLICATE_TYPES = /* @__PURE__ */ new Set(["webTransform", "duplex"]);
var TYPE_TO_MESSAGE = {
  generator: "a generator",
  asyncGenerator: "an async generator",
  fileUrl: "a file URL",
  filePath: "a file path string",
  fileNumber: "a file descriptor number",
  webStream: "a web stream",
  nodeStream: "a Node.js stream",
  webTransform: "a web TransformStream",
  duplex: "a Duplex stream",
  native: "any value",
  iterable: "an iterable",
  asyncIterable: "an async iterable",
  string: "a string",
  uint8Array: "a Uint8Array"
};

// node_modules/execa/lib/transform/object-mode.js
var getTransformObjectModes = (objectMode, index, newTransforms, direction) => direction === "output" ? getOutputObjectModes(objectMode, index, newTransforms) : getInputObjectModes(objectMode, index, newTransforms);
var getOutputObjectModes = (objectMode, index, newTransforms) => {
  const writableObjectMode = index !== 0 && newTransforms[index - 1].value.readableObjectMode;
  const readableObjectMode = objectMode ?? writableObjectMode;
  return { writableObjectMode, readableObjectMode };
};
var getInputObjectModes = (objectMode, index, newTransforms) => {
  const writableObjectMode = index === 0 ? objectMode === true : newTransforms[index - 1].value.readableObjectMode;
  const readableObjectMode = index !== newTransforms.length - 1 && (objectMode ?? writableObjectMode);
  return { writableObjectMode, readableObjectMode };
};
var getFdObjectMode = (stdioItems, direction) => {
  const lastTransform = stdioItems.findLast(({ type }) => TRANSFORM_TYPES.has(type));
  if (lastTransform === void 0) {
    return false;
  }
  return direction === "input" ? lastTransform.value.writableObjectMode : lastTransform.value.readableObjectMode;
};

// node_modules/execa/lib/transform/normalize.js
var normalizeTransforms = (stdioItems, optionName, direction, options) => [
  ...stdioItems.filter(({ type }) => !TRANSFORM_TYPES.has(type)),
  ...getTransforms(stdioItems, optionName, direction, options)
];
var getTransforms = (stdioItems, optionName, direction, { encoding }) => {
  const transforms = stdioItems.filter(({ type }) => TRANSFORM_TYPES.has(type));
  const newTransforms = Array.from({ length: transforms.length });
  for (const [index, stdioItem] of Object.entries(transforms)) {
    newTransforms[index] = normalizeTransform({
      stdioItem,
      index: Number(index),
      newTransforms,
      optionName,
      direction,
      encoding
    });
  }
  return sortTransforms(newTransforms, direction);
};
var normalizeTransform = ({ stdioItem, stdioItem: { type }, index, newTransforms, optionName, direction, encoding }) => {
  if (type === "duplex") {
    return normalizeDuplex({ stdioItem, optionName });
  }
  if (type === "webTransform") {
    return normalizeTransformStream({
      stdioItem,
      index,
      newTransforms,
      direction
    });
  }
  return normalizeGenerator({
    stdioItem,
    index,
    newTransforms,
    direction,
    encoding
  });
};
var normalizeDuplex = ({
  stdioItem,
  stdioItem: {
    value: {
      transform,
      transform: { writableObjectMode, readableObjectMode },
      objectMode = readableObjectMode
    }
  },
  optionName
}) => {
  if (objectMode && !readableObjectMode) {
    throw new TypeError(`The \`${optionName}.objectMode\` option can only be \`true\` if \`new Duplex({objectMode: true})\` is used.`);
  }
  if (!objectMode && readableObjectMode) {
    throw new TypeError(`The \`${optionName}.objectMode\` option cannot be \`false\` if \`new Duplex({objectMode: true})\` is used.`);
  }
  return {
    ...stdioItem,
    value: { transform, writableObjectMode, readableObjectMode }
  };
};
var normalizeTransformStream = ({ stdioItem, stdioItem: { value }, index, newTransforms, direction }) => {
  const { transform, objectMode } = isPlainObject(value) ? value : { transform: value };
  const { writableObjectMode, readableObjectMode } = getTransformObjectModes(objectMode, index, newTransforms, direction);
  return {
    ...stdioItem,
    value: { transform, writableObjectMode, readableObjectMode }
  };
};
var normalizeGenerator = ({ stdioItem, stdioItem: { value }, index, newTransforms, direction, encoding }) => {
  const {
    transform,
    final,
    binary: binaryOption = false,
    preserveNewlines = false,
    objectMode
  } = isPlainObject(value) ? value : { transform: value };
  const binary = binaryOption || BINARY_ENCODINGS.has(encoding);
  const { writableObjectMode, readableObjectMode } = getTransformObjectModes(objectMode, index, newTransforms, direction);
  return {
    ...stdioItem,
    value: {
      transform,
      final,
      binary,
      preserveNewlines,
      writableObjectMode,
      readableObjectMode
    }
  };
};
var sortTransforms = (newTransforms, direction) => direction === "input" ? newTransforms.reverse() : newTransforms;

// node_modules/execa/lib/stdio/direction.js
import process7 from "node:process";
var getStreamDirection = (stdioItems, fdNumber, optionName) => {
  const directions = stdioItems.map((stdioItem) => getStdioItemDirection(stdioItem, fdNumber));
  if (directions.includes("input") && directions.includes("output")) {
    throw new TypeError(`The \`${optionName}\` option must not be an array of both readable and writable values.`);
  }
  return directions.find(Boolean) ?? DEFAULT_DIRECTION;
};
var getStdioItemDirection = ({ type, value }, fdNumber) => KNOWN_DIRECTIONS[fdNumber] ?? guessStreamDirection[type](value);
var KNOWN_DIRECTIONS = ["input", "output", "output"];
var anyDirection = () => void 0;
var alwaysInput = () => "input";
var guessStreamDirection = {
  generator: anyDirection,
  asyncGenerator: anyDirection,
  fileUrl: anyDirection,
  filePath: anyDirection,
  iterable: alwaysInput,
  asyncIterable: alwaysInput,
  uint8Array: alwaysInput,
  webStream: (value) => isWritableStream2(value) ? "output" : "input",
  nodeStream(value) {
    if (!isReadableStream(value, { checkOpen: false })) {
      return "output";
    }
    return isWritableStream(value, { checkOpen: false }) ? void 0 : "input";
  },
  webTransform: anyDirection,
  duplex: anyDirection,
  native(value) {
    const standardStreamDirection = getStandardStreamDirection(value);
    if (standardStreamDirection !== void 0) {
      return standardStreamDirection;
    }
    if (isStream(value, { checkOpen: false })) {
      return guessStreamDirection.nodeStream(value);
    }
  }
};
var getStandardStreamDirection = (value) => {
  if ([0, process7.stdin].includes(value)) {
    return "input";
  }
  if ([1, 2, process7.stdout, process7.stderr].includes(value)) {
    return "output";
  }
};
var DEFAULT_DIRECTION = "output";

// node_modules/execa/lib/ipc/array.js
var normalizeIpcStdioArray = (stdioArray, ipc) => ipc && !stdioArray.includes("ipc") ? [...stdioArray, "ipc"] : stdioArray;

// node_modules/execa/lib/stdio/stdio-option.js
var normalizeStdioOption = ({ stdio, ipc, buffer, ...options }, verboseInfo, isSync) => {
  const stdioArray = getStdioArray(stdio, options).map((stdioOption, fdNumber) => addDefaultValue2(stdioOption, fdNumber));
  return isSync ? normalizeStdioSync(stdioArray, buffer, verboseInfo) : normalizeIpcStdioArray(stdioArray, ipc);
};
var getStdioArray = (stdio, options) => {
  if (stdio === void 0) {
    return STANDARD_STREAMS_ALIASES.map((alias) => options[alias]);
  }
  if (hasAlias(options)) {
    throw new Error(`It's not possible to provide \`stdio\` in combination with one of ${STANDARD_STREAMS_ALIASES.map((alias) => `\`${alias}\``).join(", ")}`);
  }
  if (typeof stdio === "string") {
    return [stdio, stdio, stdio];
  }
  if (!Array.isArray(stdio)) {
    throw new TypeError(`Expected \`stdio\` to be of type \`string\` or \`Array\`, got \`${typeof stdio}\``);
  }
  const length = Math.max(stdio.length, STANDARD_STREAMS_ALIASES.length);
  return Array.from({ length }, (_, fdNumber) => stdio[fdNumber]);
};
var hasAlias = (options) => STANDARD_STREAMS_ALIASES.some((alias) => options[alias] !== void 0);
var addDefaultValue2 = (stdioOption, fdNumber) => {
  if (Array.isArray(stdioOption)) {
    return stdioOption.map((item) => addDefaultValue2(item, fdNumber));
  }
  if (stdioOption === null || stdioOption === void 0) {
    return fdNumber >= STANDARD_STREAMS_ALIASES.length ? "ignore" : "pipe";
  }
  return stdioOption;
};
var normalizeStdioSync = (stdioArray, buffer, verboseInfo) => stdioArray.map((stdioOption, fdNumber) => !buffer[fdNumber] && fdNumber !== 0 && !isFullVerbose(verboseInfo, fdNumber) && isOutputPipeOnly(stdioOption) ? "ignore" : stdioOption);
var isOutputPipeOnly = (stdioOption) => stdioOption === "pipe" || Array.isArray(stdioOption) && stdioOption.every((item) => item === "pipe");

// node_modules/execa/lib/stdio/native.js
import { readFileSync as readFileSync2 } from "node:fs";
import tty2 from "node:tty";
var handleNativeStream = ({ stdioItem, stdioItem: { type }, isStdioArray, fdNumber, direction, isSync }) => {
  if (!isStdioArray || type !== "native") {
    return stdioItem;
  }
  return isSync ? handleNativeStreamSync({ stdioItem, fdNumber, direction }) : handleNativeStreamAsync({ stdioItem, fdNumber });
};
var handleNativeStreamSync = ({ stdioItem, stdioItem: { value, optionName }, fdNumber, direction }) => {
  const targetFd = getTargetFd({
    value,
    optionName,
    fdNumber,
    direction
  });
  if (targetFd !== void 0) {
    return targetFd;
  }
  if (isStream(value, { checkOpen: false })) {
    throw new TypeError(`The \`${optionName}: Stream\` option cannot both be an array and include a stream with synchronous methods.`);
  }
  return stdioItem;
};
var getTargetFd = ({ value, optionName, fdNumber, direction }) => {
  const targetFdNumber = getTargetFdNumber(value, fdNumber);
  if (targetFdNumber === void 0) {
    return;
  }
  if (direction === "output") {
    return { type: "fileNumber", value: targetFdNumber, optionName };
  }
  if (tty2.isatty(targetFdNumber)) {
    throw new TypeError(`The \`${optionName}: ${serializeOptionValue(value)}\` option is invalid: it cannot be a TTY with synchronous methods.`);
  }
  return { type: "uint8Array", value: bufferToUint8Array(readFileSync2(targetFdNumber)), optionName };
};
var getTargetFdNumber = (value, fdNumber) => {
  if (value === "inherit") {
    return fdNumber;
  }
  if (typeof value === "number") {
    return value;
  }
  const standardStreamIndex = STANDARD_STREAMS.indexOf(value);
  if (standardStreamIndex !== -1) {
    return standardStreamIndex;
  }
};
var handleNativeStreamAsync = ({ stdioItem, stdioItem: { value, optionName }, fdNumber }) => {
  if (value === "inherit") {
    return { type: "nodeStream", value: getStandardStream(fdNumber, value, optionName), optionName };
  }
  if (typeof value === "number") {
    return { type: "nodeStream", value: getStandardStream(value, value, optionName), optionName };
  }
  if (isStream(value, { checkOpen: false })) {
    return { type: "nodeStream", value, optionName };
  }
  return stdioItem;
};
var getStandardStream = (fdNumber, value, optionName) => {
  const standardStream = STANDARD_STREAMS[fdNumber];
  if (standardStream === void 0) {
    throw new TypeError(`The \`${optionName}: ${value}\` option is invalid: no such standard stream.`);
  }
  return standardStream;
};

// node_modules/execa/lib/stdio/input-option.js
var handleInputOptions = ({ input, inputFile }, fdNumber) => fdNumber === 0 ? [
  ...handleInputOption(input),
  ...handleInputFileOption(inputFile)
] : [];
var handleInputOption = (input) => input === void 0 ? [] : [{
  type: getInputType(input),
  value: input,
  optionName: "input"
}];
var getInputType = (input) => {
  if (isReadableStream(input, { checkOpen: false })) {
    return "nodeStream";
  }
  if (typeof input === "string") {
    return "string";
  }
  if (isUint8Array(input)) {
    return "uint8Array";
  }
  throw new Error("The `input` option must be a string, a Uint8Array or a Node.js Readable stream.");
};
var handleInputFileOption = (inputFile) => inputFile === void 0 ? [] : [{
  ...getInputFileType(inputFile),
  optionName: "inputFile"
}];
var getInputFileType = (inputFile) => {
  if (isUrl(inputFile)) {
    return { type: "fileUrl", value: inputFile };
  }
  if (isFilePathString(inputFile)) {
    return { type: "filePath", value: { file: inputFile } };
  }
  throw new Error("The `inputFile` option must be a file path string or a file URL.");
};

// node_modules/execa/lib/stdio/duplicate.js
var filterDuplicates = (stdioItems) => stdioItems.filter((stdioItemOne, indexOne) => stdioItems.every((stdioItemTwo, indexTwo) => stdioItemOne.value !== stdioItemTwo.value || indexOne >= indexTwo || stdioItemOne.type === "generator" || stdioItemOne.type === "asyncGenerator"));
var getDuplicateStream = ({ stdioItem: { type, value, optionName }, direction, fileDescriptors, isSync }) => {
  const otherStdioItems = getOtherStdioItems(fileDescriptors, type);
  if (otherStdioItems.length === 0) {
    return;
  }
  if (isSync) {
    validateDuplicateStreamSync({
      otherStdioItems,
      type,
      value,
      optionName,
      direction
    });
    return;
  }
  if (SPECIAL_DUPLICATE_TYPES.has(type)) {
    return getDuplicateStreamInstance({
      otherStdioItems,
      type,
      value,
      optionName,
      direction
    });
  }
  if (FORBID_DUPLICATE_TYPES.has(type)) {
    validateDuplicateTransform({
      otherStdioItems,
      type,
      value,
      optionName
    });
  }
};
var getOtherStdioItems = (fileDescriptors, type) => fileDescriptors.flatMap(({ direction, stdioItems }) => stdioItems.filter((stdioItem) => stdioItem.type === type).map(((stdioItem) => ({ ...stdioItem, direction }))));
var validateDuplicateStreamSync = ({ otherStdioItems, type, value, optionName, direction }) => {
  if (SPECIAL_DUPLICATE_TYPES_SYNC.has(type)) {
    getDuplicateStreamInstance({
      otherStdioItems,
      type,
      value,
      optionName,
      direction
    });
  }
};
var getDuplicateStreamInstance = ({ otherStdioItems, type, value, optionName, direction }) => {
  const duplicateStdioItems = otherStdioItems.filter((stdioItem) => hasSameValue(stdioItem, value));
  if (duplicateStdioItems.length === 0) {
    return;
  }
  const differentStdioItem = duplicateStdioItems.find((stdioItem) => stdioItem.direction !== direction);
  throwOnDuplicateStream(differentStdioItem, optionName, type);
  return direction === "output" ? duplicateStdioItems[0].stream : void 0;
};
var hasSameValue = ({ type, value }, secondValue) => {
  if (type === "filePath") {
    return value.file === secondValue.file;
  }
  if (type === "fileUrl") {
    return value.href === secondValue.href;
  }
  return value === secondValue;
};
var validateDuplicateTransform = ({ otherStdioItems, type, value, optionName }) => {
  const duplicateStdioItem = otherStdioItems.find(({ value: { transform } }) => transform === value.transform);
  throwOnDuplicateStream(duplicateStdioItem, optionName, type);
};
var throwOnDuplicateStream = (stdioItem, optionName, type) => {
  if (stdioItem !== void 0) {
    throw new TypeError(`The \`${stdioItem.optionName}\` and \`${optionName}\` options must not target ${TYPE_TO_MESSAGE[type]} that is the same.`);
  }
};

// node_modules/execa/lib/stdio/handle.js
var handleStdio = (addProperties3, options, verboseInfo, isSync) => {
  const stdio = normalizeStdioOption(options, verboseInfo, isSync);
  const initialFileDescriptors = stdio.map((stdioOption, fdNumber) => getFileDescriptor({
    stdioOption,
    fdNumber,
    options,
    isSync
  }));
  const fileDescriptors = getFinalFileDescriptors({
    initialFileDescriptors,
    addProperties: addProperties3,
    options,
    isSync
  });
  options.stdio = fileDescriptors.map(({ stdioItems }) => forwardStdio(stdioItems));
  return fileDescriptors;
};
var getFileDescriptor = ({ stdioOption, fdNumber, options, isSync }) => {
  const optionName = getStreamName(fdNumber);
  const { stdioItems: initialStdioItems, isStdioArray } = initializeStdioItems({
    stdioOption,
    fdNumber,
    options,
    optionName
  });
  const direction = getStreamDirection(initialStdioItems, fdNumber, optionName);
  const stdioItems = initialStdioItems.map((stdioItem) => handleNativeStream({
    stdioItem,
    isStdioArray,
    fdNumber,
    direction,
    isSync
  }));
  const normalizedStdioItems = normalizeTransforms(stdioItems, optionName, direction, options);
  const objectMode = getFdObjectMode(normalizedStdioItems, direction);
  validateFileObjectMode(normalizedStdioItems, objectMode);
  return { direction, objectMode, stdioItems: normalizedStdioItems };
};
var initializeStdioItems = ({ stdioOption, fdNumber, options, optionName }) => {
  const values = Array.isArray(stdioOption) ? stdioOption : [stdioOption];
  const initialStdioItems = [
    ...values.map((value) => initializeStdioItem(value, optionName)),
    ...handleInputOptions(options, fdNumber)
  ];
  const stdioItems = filterDuplicates(initialStdioItems);
  const isStdioArray = stdioItems.length > 1;
  validateStdioArray(stdioItems, isStdioArray, optionName);
  validateStreams(stdioItems);
  return { stdioItems, isStdioArray };
};
var initializeStdioItem = (value, optionName) => ({
  type: getStdioItemType(value, optionName),
  value,
  optionName
});
var validateStdioArray = (stdioItems, isStdioArray, optionName) => {
  if (stdioItems.length === 0) {
    throw new TypeError(`The \`${optionName}\` option must not be an empty array.`);
  }
  if (!isStdioArray) {
    return;
  }
  for (const { value, optionName: optionName2 } of stdioItems) {
    if (INVALID_STDIO_ARRAY_OPTIONS.has(value)) {
      throw new Error(`The \`${optionName2}\` option must not include \`${value}\`.`);
    }
  }
};
var INVALID_STDIO_ARRAY_OPTIONS = /* @__PURE__ */ new Set(["ignore", "ipc"]);
var validateStreams = (stdioItems) => {
  for (const stdioItem of stdioItems) {
    validateFileStdio(stdioItem);
  }
};
var validateFileStdio = ({ type, value, optionName }) => {
  if (isRegularUrl(value)) {
    throw new TypeError(`The \`${optionName}: URL\` option must use the \`file:\` scheme.
For example, you can use the \`pathToFileURL()\` method of the \`url\` core module.`);
  }
  if (isUnknownStdioString(type, value)) {
    throw new TypeError(`The \`${optionName}: { file: '...' }\` option must be used instead of \`${optionName}: '...'\`.`);
  }
};
var validateFileObjectMode = (stdioItems, objectMode) => {
  if (!objectMode) {
    return;
  }
  const fileStdioItem = stdioItems.find(({ type }) => FILE_TYPES.has(type));
  if (fileStdioItem !== void 0) {
    throw new TypeError(`The \`${fileStdioItem.optionName}\` option cannot use both files and transforms in objectMode.`);
  }
};
var getFinalFileDescriptors = ({ initialFileDescriptors, addProperties: addProperties3, options, isSync }) => {
  const fileDescriptors = [];
  try {
    for (const fileDescriptor of initialFileDescriptors) {
      fileDescriptors.push(getFinalFileDescriptor({
        fileDescriptor,
        fileDescriptors,
        addProperties: addProperties3,
        options,
        isSync
      }));
    }
    return fileDescriptors;
  } catch (error) {
    cleanupCustomStreams(fileDescriptors);
    throw error;
  }
};
var getFinalFileDescriptor = ({
  fileDescriptor: { direction, objectMode, stdioItems },
  fileDescriptors,
  addProperties: addProperties3,
  options,
  isSync
}) => {
  const finalStdioItems = stdioItems.map((stdioItem) => addStreamProperties({
    stdioItem,
    addProperties: addProperties3,
    direction,
    options,
    fileDescriptors,
    isSync
  }));
  return { direction, objectMode, stdioItems: finalStdioItems };
};
var addStreamProperties = ({ stdioItem, addProperties: addProperties3, direction, options, fileDescriptors, isSync }) => {
  const duplicateStream = getDuplicateStream({
    stdioItem,
    direction,
    fileDescriptors,
    isSync
  });
  if (duplicateStream !== void 0) {
    return { ...stdioItem, stream: duplicateStream };
  }
  return {
    ...stdioItem,
    ...addProperties3[direction][stdioItem.type](stdioItem, options)
  };
};
var cleanupCustomStreams = (fileDescriptors) => {
  for (const { stdioItems } of fileDescriptors) {
    for (const { stream } of stdioItems) {
      if (stream !== void 0 && !isStandardStream(stream)) {
        stream.destroy();
      }
    }
  }
};
var forwardStdio = (stdioItems) => {
  if (stdioItems.length > 1) {
    return stdioItems.some(({ value: value2 }) => value2 === "overlapped") ? "overlapped" : "pipe";
  }
  const [{ type, value }] = stdioItems;
  return type === "native" ? value : "pipe";
};

// node_modules/execa/lib/stdio/handle-sync.js
var handleStdioSync = (options, verboseInfo) => handleStdio(addPropertiesSync, options, verboseInfo, true);
var forbiddenIfSync = ({ type, optionName }) => {
  throwInvalidSyncValue(optionName, TYPE_TO_MESSAGE[type]);
};
var forbiddenNativeIfSync = ({ optionName, value }) => {
  if (value === "ipc" || value === "overlapped") {
    throwInvalidSyncValue(optionName, `"${value}"`);
  }
  return {};
};
var throwInvalidSyncValue = (optionName, value) => {
  throw new TypeError(`The \`${optionName}\` option cannot be ${value} with synchronous methods.`);
};
var addProperties = {
  generator() {
  },
  asyncGenerator: forbiddenIfSync,
  webStream: forbiddenIfSync,
  nodeStream: forbiddenIfSync,
  webTransform: forbiddenIfSync,
  duplex: forbiddenIfSync,
  asyncIterable: forbiddenIfSync,
  native: forbiddenNativeIfSync
};
var addPropertiesSync = {
  input: {
    ...addProperties,
    fileUrl: ({ value }) => ({ contents: [bufferToUint8Array(readFileSync3(value))] }),
    filePath: ({ value: { file } }) => ({ contents: [bufferToUint8Array(readFileSync3(file))] }),
    fileNumber: forbiddenIfSync,
    iterable: ({ value }) => ({ contents: [...value] }),
    string: ({ value }) => ({ contents: [value] }),
    uint8Array: ({ value }) => ({ contents: [value] })
  },
  output: {
    ...addProperties,
    fileUrl: ({ value }) => ({ path: value }),
    filePath: ({ value: { file, append } }) => ({ path: file, append }),
    fileNumber: ({ value }) => ({ path: value }),
    iterable: forbiddenIfSync,
    string: forbiddenIfSync,
    uint8Array: forbiddenIfSync
  }
};

// node_modules/execa/lib/io/strip-newline.js
var stripNewline = (value, { stripFinalNewline: stripFinalNewline2 }, fdNumber) => getStripFinalNewline(stripFinalNewline2, fdNumber) && value !== void 0 && !Array.isArray(value) ? stripFinalNewline(value) : value;
var getStripFinalNewline = (stripFinalNewline2, fdNumber) => fdNumber === "all" ? stripFinalNewline2[1] || stripFinalNewline2[2] : stripFinalNewline2[fdNumber];

// node_modules/execa/lib/transform/generator.js
import { Transform, getDefaultHighWaterMark } from "node:stream";

// node_modules/execa/lib/transform/split.js
var getSplitLinesGenerator = (binary, preserveNewlines, skipped2, state) => binary || skipped2 ? void 0 : initializeSplitLines(preserveNewlines, state);
var splitLinesSync = (chunk, preserveNewlines, objectMode) => objectMode ? chunk.flatMap((item) => splitLinesItemSync(item, preserveNewlines)) : splitLinesItemSync(chunk, preserveNewlines);
var splitLinesItemSync = (chunk, preserveNewlines) => {
  const { transform, final } = initializeSplitLines(preserveNewlines, {});
  return [...transform(chunk), ...final()];
};
var initializeSplitLines = (preserveNewlines, state) => {
  state.previousChunks = "";
  return {
    transform: splitGenerator.bind(void 0, state, preserveNewlines),
    final: linesFinal.bind(void 0, state)
  };
};
var splitGenerator = function* (state, preserveNewlines, chunk) {
  if (typeof chunk !== "string") {
    yield chunk;
    return;
  }
  let { previousChunks } = state;
  let start = -1;
  for (let end = 0; end < chunk.length; end += 1) {
    if (chunk[end] === "\n") {
      const newlineLength = getNewlineLength(chunk, end, preserveNewlines, state);
      let line = chunk.slice(start + 1, end + 1 - newlineLength);
      if (previousChunks.length > 0) {
        line = concatString(previousChunks, line);
        previousChunks = "";
      }
      yield line;
      start = end;
    }
  }
  if (start !== chunk.length - 1) {
    previousChunks = concatString(previousChunks, chunk.slice(start + 1));
  }
  state.previousChunks = previousChunks;
};
var getNewlineLength = (chunk, end, preserveNewlines, state) => {
  if (preserveNewlines) {
    return 0;
  }
  state.isWindowsNewline = end !== 0 && chunk[end - 1] === "\r";
  return state.isWindowsNewline ? 2 : 1;
};
var linesFinal = function* ({ previousChunks }) {
  if (previousChunks.length > 0) {
    yield previousChunks;
  }
};
var getAppendNewlineGenerator = ({ binary, preserveNewlines, readableObjectMode, state }) => binary || preserveNewlines || readableObjectMode ? void 0 : { transform: appendNewlineGenerator.bind(void 0, state) };
var appendNewlineGenerator = function* ({ isWindowsNewline = false }, chunk) {
  const { unixNewline, windowsNewline, LF: LF2, concatBytes } = typeof chunk === "string" ? linesStringInfo : linesUint8ArrayInfo;
  if (chunk.at(-1) === LF2) {
    yield chunk;
    return;
  }
  const newline = isWindowsNewline ? windowsNewline : unixNewline;
  yield concatBytes(chunk, newline);
};
var concatString = (firstChunk, secondChunk) => `${firstChunk}${secondChunk}`;
var linesStringInfo = {
  windowsNewline: "\r\n",
  unixNewline: "\n",
  LF: "\n",
  concatBytes: concatString
};
var concatUint8Array = (firstChunk, secondChunk) => {
  const chunk = new Uint8Array(firstChunk.length + secondChunk.length);
  chunk.set(firstChunk, 0);
  chunk.set(secondChunk, firstChunk.length);
  return chunk;
};
var linesUint8ArrayInfo = {
  windowsNewline: new Uint8Array([13, 10]),
  unixNewline: new Uint8Array([10]),
  LF: 10,
  concatBytes: concatUint8Array
};

// node_modules/execa/lib/transform/validate.js
import { Buffer as Buffer2 } from "node:buffer";
var getValidateTransformInput = (writableObjectMode, optionName) => writableObjectMode ? void 0 : validateStringTransformInput.bind(void 0, optionName);
var validateStringTransformInput = function* (optionName, chunk) {
  if (typeof chunk !== "string" && !isUint8Array(chunk) && !Buffer2.isBuffer(chunk)) {
    throw new TypeError(`The \`${optionName}\` option's transform must use "objectMode: true" to receive as input: ${typeof chunk}.`);
  }
  yield chunk;
};
var getValidateTransformReturn = (readableObjectMode, optionName) => readableObjectMode ? validateObjectTransformReturn.bind(void 0, optionName) : validateStringTransformReturn.bind(void 0, optionName);
var validateObjectTransformReturn = function* (optionName, chunk) {
  validateEmptyReturn(optionName, chunk);
  yield chunk;
};
var validateStringTransformReturn = function* (optionName, chunk) {
  validateEmptyReturn(optionName, chunk);
  if (typeof chunk !== "string" && !isUint8Array(chunk)) {
    throw new TypeError(`The \`${optionName}\` option's function must yield a string or an Uint8Array, not ${typeof chunk}.`);
  }
  yield chunk;
};
var validateEmptyReturn = (optionName, chunk) => {
  if (chunk === null || chunk === void 0) {
    throw new TypeError(`The \`${optionName}\` option's function must not call \`yield ${chunk}\`.
Instead, \`yield\` should either be called with a value, or not be called at all. For example:
  if (condition) { yield value; }`);
  }
};

// node_modules/execa/lib/transform/encoding-transform.js
import { Buffer as Buffer3 } from "node:buffer";
import { StringDecoder as StringDecoder3 } from "node:string_decoder";
var getEncodingTransformGenerator = (binary, encoding, skipped2) => {
  if (skipped2) {
    return;
  }
  if (binary) {
    return { transform: encodingUint8ArrayGenerator.bind(void 0, new TextEncoder()) };
  }
  const stringDecoder = new StringDecoder3(encoding);
  return {
    transform: encodingStringGenerator.bind(void 0, stringDecoder),
    final: encodingStringFinal.bind(void 0, stringDecoder)
  };
};
var encodingUint8ArrayGenerator = function* (textEncoder3, chunk) {
  if (Buffer3.isBuffer(chunk)) {
    yield bufferToUint8Array(chunk);
  } else if (typeof chunk === "string") {
    yield textEncoder3.encode(chunk);
  } else {
    yield chunk;
  }
};
var encodingStringGenerator = function* (stringDecoder, chunk) {
  yield isUint8Array(chunk) ? stringDecoder.write(chunk) : chunk;
};
var encodingStringFinal = function* (stringDecoder) {
  const lastChunk = stringDecoder.end();
  if (lastChunk !== "") {
    yield lastChunk;
  }
};

// node_modules/execa/lib/transform/run-async.js
import { callbackify } from "node:util";
var pushChunks = callbackify(async (getChunks, state, getChunksArguments, transformStream) => {
  state.currentIterable = getChunks(...getChunksArguments);
  try {
    for await (const chunk of state.currentIterable) {
      transformStream.push(chunk);
    }
  } finally {
    delete state.currentIterable;
  }
});
var transformChunk = async function* (chunk, generators, index) {
  if (index === generators.length) {
    yield chunk;
    return;
  }
  const { transform = identityGenerator } = generators[index];
  for await (const transformedChunk of transform(chunk)) {
    yield* transformChunk(transformedChunk, generators, index + 1);
  }
};
var finalChunks = async function* (generators) {
  for (const [index, { final }] of Object.entries(generators)) {
    yield* generatorFinalChunks(final, Number(index), generators);
  }
};
var generatorFinalChunks = async function* (final, index, generators) {
  if (final === void 0) {
    return;
  }
  for await (const finalChunk of final()) {
    yield* transformChunk(finalChunk, generators, index + 1);
  }
};
var destroyTransform = callbackify(async ({ currentIterable }, error) => {
  if (currentIterable !== void 0) {
    await (error ? currentIterable.throw(error) : currentIterable.return());
    return;
  }
  if (error) {
    throw error;
  }
});
var identityGenerator = function* (chunk) {
  yield chunk;
};

// node_modules/execa/lib/transform/run-sync.js
var pushChunksSync = (getChunksSync, getChunksArguments, transformStream, done) => {
  try {
    for (const chunk of getChunksSync(...getChunksArguments)) {
      transformStream.push(chunk);
    }
    done();
  } catch (error) {
    done(error);
  }
};
var runTransformSync = (generators, chunks) => [
  ...chunks.flatMap((chunk) => [...transformChunkSync(chunk, generators, 0)]),
  ...finalChunksSync(generators)
];
var transformChunkSync = function* (chunk, generators, index) {
  if (index === generators.length) {
    yield chunk;
    return;
  }
  const { transform = identityGenerator2 } = generators[index];
  for (const transformedChunk of transform(chunk)) {
    yield* transformChunkSync(transformedChunk, generators, index + 1);
  }
};
var finalChunksSync = function* (generators) {
  for (const [index, { final }] of Object.entries(generators)) {
    yield* generatorFinalChunksSync(final, Number(index), generators);
  }
};
var generatorFinalChunksSync = function* (final, index, generators) {
  if (final === void 0) {
    return;
  }
  for (const finalChunk of final()) {
    yield* transformChunkSync(finalChunk, generators, index + 1);
  }
};
var identityGenerator2 = function* (chunk) {
  yield chunk;
};

// node_modules/execa/lib/transform/generator.js
var generatorToStream = ({
  value,
  value: { transform, final, writableObjectMode, readableObjectMode },
  optionName
}, { encoding }) => {
  const state = {};
  const generators = addInternalGenerators(value, encoding, optionName);
  const transformAsync = isAsyncGenerator(transform);
  const finalAsync = isAsyncGenerator(final);
  const transformMethod = transformAsync ? pushChunks.bind(void 0, transformChunk, state) : pushChunksSync.bind(void 0, transformChunkSync);
  const finalMethod = transformAsync || finalAsync ? pushChunks.bind(void 0, finalChunks, state) : pushChunksSync.bind(void 0, finalChunksSync);
  const destroyMethod = transformAsync || finalAsync ? destroyTransform.bind(void 0, state) : void 0;
  const stream = new Transform({
    writableObjectMode,
    writableHighWaterMark: getDefaultHighWaterMark(writableObjectMode),
    readableObjectMode,
    readableHighWaterMark: getDefaultHighWaterMark(readableObjectMode),
    transform(chunk, encoding2, done) {
      transformMethod([chunk, generators, 0], this, done);
    },
    flush(done) {
      finalMethod([generators], this, done);
    },
    destroy: destroyMethod
  });
  return { stream };
};
var runGeneratorsSync = (chunks, stdioItems, encoding, isInput) => {
  const generators = stdioItems.filter(({ type }) => type === "generator");
  const reversedGenerators = isInput ? generators.reverse() : generators;
  for (const { value, optionName } of reversedGenerators) {
    const generators2 = addInternalGenerators(value, encoding, optionName);
    chunks = runTransformSync(generators2, chunks);
  }
  return chunks;
};
var addInternalGenerators = ({ transform, final, binary, writableObjectMode, readableObjectMode, preserveNewlines }, encoding, optionName) => {
  const state = {};
  return [
    { transform: getValidateTransformInput(writableObjectMode, optionName) },
    getEncodingTransformGenerator(binary, encoding, writableObjectMode),
    getSplitLinesGenerator(binary, preserveNewlines, writableObjectMode, state),
    { transform, final },
    { transform: getValidateTransformReturn(readableObjectMode, optionName) },
    getAppendNewlineGenerator({
      binary,
      preserveNewlines,
      readableObjectMode,
      state
    })
  ].filter(Boolean);
};

// node_modules/execa/lib/io/input-sync.js
var addInputOptionsSync = (fileDescriptors, options) => {
  for (const fdNumber of getInputFdNumbers(fileDescriptors)) {
    addInputOptionSync(fileDescriptors, fdNumber, options);
  }
};
var getInputFdNumbers = (fileDescriptors) => new Set(Object.entries(fileDescriptors).filter(([, { direction }]) => direction === "input").map(([fdNumber]) => Number(fdNumber)));
var addInputOptionSync = (fileDescriptors, fdNumber, options) => {
  const { stdioItems } = fileDescriptors[fdNumber];
  const allStdioItems = stdioItems.filter(({ contents }) => contents !== void 0);
  if (allStdioItems.length === 0) {
    return;
  }
  if (fdNumber !== 0) {
    const [{ type, optionName }] = allStdioItems;
    throw new TypeError(`Only the \`stdin\` option, not \`${optionName}\`, can be ${TYPE_TO_MESSAGE[type]} with synchronous methods.`);
  }
  const allContents = allStdioItems.map(({ contents }) => contents);
  const transformedContents = allContents.map((contents) => applySingleInputGeneratorsSync(contents, stdioItems));
  options.input = joinToUint8Array(transformedContents);
};
var applySingleInputGeneratorsSync = (contents, stdioItems) => {
  const newContents = runGeneratorsSync(contents, stdioItems, "utf8", true);
  validateSerializable(newContents);
  return joinToUint8Array(newContents);
};
var validateSerializable = (newContents) => {
  const invalidItem = newContents.find((item) => typeof item !== "string" && !isUint8Array(item));
  if (invalidItem !== void 0) {
    throw new TypeError(`The \`stdin\` option is invalid: when passing objects as input, a transform must be used to serialize them to strings or Uint8Arrays: ${invalidItem}.`);
  }
};

// node_modules/execa/lib/io/output-sync.js
import { writeFileSync, appendFileSync } from "node:fs";

// node_modules/execa/lib/verbose/output.js
var shouldLogOutput = ({ stdioItems, encoding, verboseInfo, fdNumber }) => fdNumber !== "all" && isFullVerbose(verboseInfo, fdNumber) && !BINARY_ENCODINGS.has(encoding) && fdUsesVerbose(fdNumber) && (stdioItems.some(({ type, value }) => type === "native" && PIPED_STDIO_VALUES.has(value)) || stdioItems.every(({ type }) => TRANSFORM_TYPES.has(type)));
var fdUsesVerbose = (fdNumber) => fdNumber === 1 || fdNumber === 2;
var PIPED_STDIO_VALUES = /* @__PURE__ */ new Set(["pipe", "overlapped"]);
var logLines = async (linesIterable, stream, fdNumber, verboseInfo) => {
  for await (const line of linesIterable) {
    if (!isPipingStream(stream)) {
      logLine(line, fdNumber, verboseInfo);
    }
  }
};
var logLinesSync = (linesArray, fdNumber, verboseInfo) => {
  for (const line of linesArray) {
    logLine(line, fdNumber, verboseInfo);
  }
};
var isPipingStream = (stream) => stream._readableState.pipes.length > 0;
var logLine = (line, fdNumber, verboseInfo) => {
  const verboseMessage = serializeVerboseMessage(line);
  verboseLog({
    type: "output",
    verboseMessage,
    fdNumber,
    verboseInfo
  });
};

// node_modules/execa/lib/io/output-sync.js
var transformOutputSync = ({ fileDescriptors, syncResult: { output }, options, isMaxBuffer, verboseInfo }) => {
  if (output === null) {
    return { output: Array.from({ length: 3 }) };
  }
  const state = {};
  const outputFiles = /* @__PURE__ */ new Set([]);
  const transformedOutput = output.map((result, fdNumber) => transformOutputResultSync({
    result,
    fileDescriptors,
    fdNumber,
    state,
    outputFiles,
    isMaxBuffer,
    verboseInfo
  }, options));
  return { output: transformedOutput, ...state };
};
var transformOutputResultSync = ({ result, fileDescriptors, fdNumber, state, outputFiles, isMaxBuffer, verboseInfo }, { buffer, encoding, lines, stripFinalNewline: stripFinalNewline2, maxBuffer }) => {
  if (result === null) {
    return;
  }
  const truncatedResult = truncateMaxBufferSync(result, isMaxBuffer, maxBuffer);
  const uint8ArrayResult = bufferToUint8Array(truncatedResult);
  const { stdioItems, objectMode } = fileDescriptors[fdNumber];
  const chunks = runOutputGeneratorsSync([uint8ArrayResult], stdioItems, encoding, state);
  const { serializedResult, finalResult = serializedResult } = serializeChunks({
    chunks,
    objectMode,
    encoding,
    lines,
    stripFinalNewline: stripFinalNewline2,
    fdNumber
  });
  logOutputSync({
    serializedResult,
    fdNumber,
    state,
    verboseInfo,
    encoding,
    stdioItems,
    objectMode
  });
  const returnedResult = buffer[fdNumber] ? finalResult : void 0;
  try {
    if (state.error === void 0) {
      writeToFiles(serializedResult, stdioItems, outputFiles);
    }
    return returnedResult;
  } catch (error) {
    state.error = error;
    return returnedResult;
  }
};
var runOutputGeneratorsSync = (chunks, stdioItems, encoding, state) => {
  try {
    return runGeneratorsSync(chunks, stdioItems, encoding, false);
  } catch (error) {
    state.error = error;
    return chunks;
  }
};
var serializeChunks = ({ chunks, objectMode, encoding, lines, stripFinalNewline: stripFinalNewline2, fdNumber }) => {
  if (objectMode) {
    return { serializedResult: chunks };
  }
  if (encoding === "buffer") {
    return { serializedResult: joinToUint8Array(chunks) };
  }
  const serializedResult = joinToString(chunks, encoding);
  if (lines[fdNumber]) {
    return { serializedResult, finalResult: splitLinesSync(serializedResult, !stripFinalNewline2[fdNumber], objectMode) };
  }
  return { serializedResult };
};
var logOutputSync = ({ serializedResult, fdNumber, state, verboseInfo, encoding, stdioItems, objectMode }) => {
  if (!shouldLogOutput({
    stdioItems,
    encoding,
    verboseInfo,
    fdNumber
  })) {
    return;
  }
  const linesArray = splitLinesSync(serializedResult, false, objectMode);
  try {
    logLinesSync(linesArray, fdNumber, verboseInfo);
  } catch (error) {
    state.error ??= error;
  }
};
var writeToFiles = (serializedResult, stdioItems, outputFiles) => {
  for (const { path: path6, append } of stdioItems.filter(({ type }) => FILE_TYPES.has(type))) {
    const pathString = typeof path6 === "string" ? path6 : path6.toString();
    if (append || outputFiles.has(pathString)) {
      appendFileSync(path6, serializedResult);
    } else {
      outputFiles.add(pathString);
      writeFileSync(path6, serializedResult);
    }
  }
};

// node_modules/execa/lib/resolve/all-sync.js
var getAllSync = ([, stdout, stderr], options) => {
  if (!options.all) {
    return;
  }
  if (stdout === void 0) {
    return stderr;
  }
  if (stderr === void 0) {
    return stdout;
  }
  if (Array.isArray(stdout)) {
    return Array.isArray(stderr) ? [...stdout, ...stderr] : [...stdout, stripNewline(stderr, options, "all")];
  }
  if (Array.isArray(stderr)) {
    return [stripNewline(stdout, options, "all"), ...stderr];
  }
  if (isUint8Array(stdout) && isUint8Array(stderr)) {
    return concatUint8Arrays([stdout, stderr]);
  }
  return `${stdout}${stderr}`;
};

// node_modules/execa/lib/resolve/exit-async.js
import { once as once4 } from "node:events";
var waitForExit = async (subprocess, context) => {
  const [exitCode, signal] = await waitForExitOrError(subprocess);
  context.isForcefullyTerminated ??= false;
  return [exitCode, signal];
};
var waitForExitOrError = async (subprocess) => {
  const [spawnPayload, exitPayload] = await Promise.allSettled([
    once4(subprocess, "spawn"),
    once4(subprocess, "exit")
  ]);
  if (spawnPayload.status === "rejected") {
    return [];
  }
  return exitPayload.status === "rejected" ? waitForSubprocessExit(subprocess) : exitPayload.value;
};
var waitForSubprocessExit = async (subprocess) => {
  try {
    return await once4(subprocess, "exit");
  } catch {
    return waitForSubprocessExit(subprocess);
  }
};
var waitForSuccessfulExit = async (exitPromise) => {
  const [exitCode, signal] = await exitPromise;
  if (!isSubprocessErrorExit(exitCode, signal) && isFailedExit(exitCode, signal)) {
    throw new DiscardedError();
  }
  return [exitCode, signal];
};
var isSubprocessErrorExit = (exitCode, signal) => exitCode === void 0 && signal === void 0;
var isFailedExit = (exitCode, signal) => exitCode !== 0 || signal !== null;

// node_modules/execa/lib/resolve/exit-sync.js
var getExitResultSync = ({ error, status: exitCode, signal, output }, { maxBuffer }) => {
  const resultError = getResultError(error, exitCode, signal);
  const timedOut = resultError?.code === "ETIMEDOUT";
  const isMaxBuffer = isMaxBufferSync(resultError, output, maxBuffer);
  return {
    resultError,
    exitCode,
    signal,
    timedOut,
    isMaxBuffer
  };
};
var getResultError = (error, exitCode, signal) => {
  if (error !== void 0) {
    return error;
  }
  return isFailedExit(exitCode, signal) ? new DiscardedError() : void 0;
};

// node_modules/execa/lib/methods/main-sync.js
var execaCoreSync = (rawFile, rawArguments, rawOptions) => {
  const { file, commandArguments, command, escapedCommand, startTime, verboseInfo, options, fileDescriptors } = handleSyncArguments(rawFile, rawArguments, rawOptions);
  const result = spawnSubprocessSync({
    file,
    commandArguments,
    options,
    command,
    escapedCommand,
    verboseInfo,
    fileDescriptors,
    startTime
  });
  return handleResult(result, verboseInfo, options);
};
var handleSyncArguments = (rawFile, rawArguments, rawOptions) => {
  const { command, escapedCommand, startTime, verboseInfo } = handleCommand(rawFile, rawArguments, rawOptions);
  const syncOptions = normalizeSyncOptions(rawOptions);
  const { file, commandArguments, options } = normalizeOptions(rawFile, rawArguments, syncOptions);
  validateSyncOptions(options);
  const fileDescriptors = handleStdioSync(options, verboseInfo);
  return {
    file,
    commandArguments,
    command,
    escapedCommand,
    startTime,
    verboseInfo,
    options,
    fileDescriptors
  };
};
var normalizeSyncOptions = (options) => options.node && !options.ipc ? { ...options, ipc: false } : options;
var validateSyncOptions = ({ ipc, ipcInput, detached, cancelSignal }) => {
  if (ipcInput) {
    throwInvalidSyncOption("ipcInput");
  }
  if (ipc) {
    throwInvalidSyncOption("ipc: true");
  }
  if (detached) {
    throwInvalidSyncOption("detached: true");
  }
  if (cancelSignal) {
    throwInvalidSyncOption("cancelSignal");
  }
};
var throwInvalidSyncOption = (value) => {
  throw new TypeError(`The "${value}" option cannot be used with synchronous methods.`);
};
var spawnSubprocessSync = ({ file, commandArguments, options, command, escapedCommand, verboseInfo, fileDescriptors, startTime }) => {
  const syncResult = runSubprocessSync({
    file,
    commandArguments,
    options,
    command,
    escapedCommand,
    fileDescriptors,
    startTime
  });
  if (syncResult.failed) {
    return syncResult;
  }
  const { resultError, exitCode, signal, timedOut, isMaxBuffer } = getExitResultSync(syncResult, options);
  const { output, error = resultError } = transformOutputSync({
    fileDescriptors,
    syncResult,
    options,
    isMaxBuffer,
    verboseInfo
  });
  const stdio = output.map((stdioOutput, fdNumber) => stripNewline(stdioOutput, options, fdNumber));
  const all = stripNewline(getAllSync(output, options), options, "all");
  return getSyncResult({
    error,
    exitCode,
    signal,
    timedOut,
    isMaxBuffer,
    stdio,
    all,
    options,
    command,
    escapedCommand,
    startTime
  });
};
var runSubprocessSync = ({ file, commandArguments, options, command, escapedCommand, fileDescriptors, startTime }) => {
  try {
    addInputOptionsSync(fileDescriptors, options);
    const normalizedOptions = normalizeSpawnSyncOptions(options);
    return spawnSync(...concatenateShell(file, commandArguments, normalizedOptions));
  } catch (error) {
    return makeEarlyError({
      error,
      command,
      escapedCommand,
      fileDescriptors,
      options,
      startTime,
      isSync: true
    });
  }
};
var normalizeSpawnSyncOptions = ({ encoding, maxBuffer, ...options }) => ({ ...options, encoding: "buffer", maxBuffer: getMaxBufferSync(maxBuffer) });
var getSyncResult = ({ error, exitCode, signal, timedOut, isMaxBuffer, stdio, all, options, command, escapedCommand, startTime }) => error === void 0 ? makeSuccessResult({
  command,
  escapedCommand,
  stdio,
  all,
  ipcOutput: [],
  options,
  startTime
}) : makeError({
  error,
  command,
  escapedCommand,
  timedOut,
  isCanceled: false,
  isGracefullyCanceled: false,
  isMaxBuffer,
  isForcefullyTerminated: false,
  exitCode,
  signal,
  stdio,
  all,
  ipcOutput: [],
  options,
  startTime,
  isSync: true
});

// node_modules/execa/lib/methods/main-async.js
import { setMaxListeners } from "node:events";
import { spawn } from "node:child_process";

// node_modules/execa/lib/ipc/methods.js
import process8 from "node:process";

// node_modules/execa/lib/ipc/get-one.js
import { once as once5, on as on2 } from "node:events";
var getOneMessage = ({ anyProcess, channel, isSubprocess, ipc }, { reference = true, filter } = {}) => {
  validateIpcMethod({
    methodName: "getOneMessage",
    isSubprocess,
    ipc,
    isConnected: isConnected(anyProcess)
  });
  return getOneMessageAsync({
    anyProcess,
    channel,
    isSubprocess,
    filter,
    reference
  });
};
var getOneMessageAsync = async ({ anyProcess, channel, isSubprocess, filter, reference }) => {
  addReference(channel, reference);
  const ipcEmitter = getIpcEmitter(anyProcess, channel, isSubprocess);
  const controller = new AbortController();
  try {
    return await Promise.race([
      getMessage(ipcEmitter, filter, controller),
      throwOnDisconnect2(ipcEmitter, isSubprocess, controller),
      throwOnStrictError(ipcEmitter, isSubprocess, controller)
    ]);
  } catch (error) {
    disconnect(anyProcess);
    throw error;
  } finally {
    controller.abort();
    removeReference(channel, reference);
  }
};
var getMessage = async (ipcEmitter, filter, { signal }) => {
  if (filter === void 0) {
    const [message] = await once5(ipcEmitter, "message", { signal });
    return message;
  }
  for await (const [message] of on2(ipcEmitter, "message", { signal })) {
    if (filter(message)) {
      return message;
    }
  }
};
var throwOnDisconnect2 = async (ipcEmitter, isSubprocess, { signal }) => {
  await once5(ipcEmitter, "disconnect", { signal });
  throwOnEarlyDisconnect(isSubprocess);
};
var throwOnStrictError = async (ipcEmitter, isSubprocess, { signal }) => {
  const [error] = await once5(ipcEmitter, "strict:error", { signal });
  throw getStrictResponseError(error, isSubprocess);
};

// node_modules/execa/lib/ipc/get-each.js
import { once as once6, on as on3 } from "node:events";
var getEachMessage = ({ anyProcess, channel, isSubprocess, ipc }, { reference = true } = {}) => loopOnMessages({
  anyProcess,
  channel,
  isSubprocess,
  ipc,
  shouldAwait: !isSubprocess,
  reference
});
var loopOnMessages = ({ anyProcess, channel, isSubprocess, ipc, shouldAwait, reference }) => {
  validateIpcMethod({
    methodName: "getEachMessage",
    isSubprocess,
    ipc,
    isConnected: isConnected(anyProcess)
  });
  addReference(channel, reference);
  const ipcEmitter = getIpcEmitter(anyProcess, channel, isSubprocess);
  const controller = new AbortController();
  const state = {};
  stopOnDisconnect(anyProcess, ipcEmitter, controller);
  abortOnStrictError({
    ipcEmitter,
    isSubprocess,
    controller,
    state
  });
  return iterateOnMessages({
    anyProcess,
    channel,
    ipcEmitter,
    isSubprocess,
    shouldAwait,
    controller,
    state,
    reference
  });
};
var stopOnDisconnect = async (anyProcess, ipcEmitter, controller) => {
  try {
    await once6(ipcEmitter, "disconnect", { signal: controller.signal });
    controller.abort();
  } catch {
  }
};
var abortOnStrictError = async ({ ipcEmitter, isSubprocess, controller, state }) => {
  try {
    const [error] = await once6(ipcEmitter, "strict:error", { signal: controller.signal });
    state.error = getStrictResponseError(error, isSubprocess);
    controller.abort();
  } catch {
  }
};
var iterateOnMessages = async function* ({ anyProcess, channel, ipcEmitter, isSubprocess, shouldAwait, controller, state, reference }) {
  try {
    for await (const [message] of on3(ipcEmitter, "message", { signal: controller.signal })) {
      throwIfStrictError(state);
      yield message;
    }
  } catch {
    throwIfStrictError(state);
  } finally {
    controller.abort();
    removeReference(channel, reference);
    if (!isSubprocess) {
      disconnect(anyProcess);
    }
    if (shouldAwait) {
      await anyProcess;
    }
  }
};
var throwIfStrictError = ({ error }) => {
  if (error) {
    throw error;
  }
};

// node_modules/execa/lib/ipc/methods.js
var addIpcMethods = (subprocess, { ipc }) => {
  Object.assign(subprocess, getIpcMethods(subprocess, false, ipc));
};
var getIpcExport = () => {
  const anyProcess = process8;
  const isSubprocess = true;
  const ipc = process8.channel !== void 0;
  return {
    ...getIpcMethods(anyProcess, isSubprocess, ipc),
    getCancelSignal: getCancelSignal.bind(void 0, {
      anyProcess,
      channel: anyProcess.channel,
      isSubprocess,
      ipc
    })
  };
};
var getIpcMethods = (anyProcess, isSubprocess, ipc) => ({
  sendMessage: sendMessage.bind(void 0, {
    anyProcess,
    channel: anyProcess.channel,
    isSubprocess,
    ipc
  }),
  getOneMessage: getOneMessage.bind(void 0, {
    anyProcess,
    channel: anyProcess.channel,
    isSubprocess,
    ipc
  }),
  getEachMessage: getEachMessage.bind(void 0, {
    anyProcess,
    channel: anyProcess.channel,
    isSubprocess,
    ipc
  })
});

// node_modules/execa/lib/return/early-error.js
import { ChildProcess as ChildProcess2 } from "node:child_process";
import {
  PassThrough,
  Readable,
  Writable,
  Duplex
} from "node:stream";
var handleEarlyError = ({ error, command, escapedCommand, fileDescriptors, options, startTime, verboseInfo }) => {
  cleanupCustomStreams(fileDescriptors);
  const subprocess = new ChildProcess2();
  createDummyStreams(subprocess, fileDescriptors);
  Object.assign(subprocess, { readable, writable, duplex });
  const earlyError = makeEarlyError({
    error,
    command,
    escapedCommand,
    fileDescriptors,
    options,
    startTime,
    isSync: false
  });
  const promise = handleDummyPromise(earlyError, verboseInfo, options);
  return { subprocess, promise };
};
var createDummyStreams = (subprocess, fileDescriptors) => {
  const stdin = createDummyStream();
  const stdout = createDummyStream();
  const stderr = createDummyStream();
  const extraStdio = Array.from({ length: fileDescriptors.length - 3 }, createDummyStream);
  const all = createDummyStream();
  const stdio = [stdin, stdout, stderr, ...extraStdio];
  Object.assign(subprocess, {
    stdin,
    stdout,
    stderr,
    all,
    stdio
  });
};
var createDummyStream = () => {
  const stream = new PassThrough();
  stream.end();
  return stream;
};
var readable = () => new Readable({ read() {
} });
var writable = () => new Writable({ write() {
} });
var duplex = () => new Duplex({ read() {
}, write() {
} });
var handleDummyPromise = async (error, verboseInfo, options) => handleResult(error, verboseInfo, options);

// node_modules/execa/lib/stdio/handle-async.js
import { createReadStream, createWriteStream } from "node:fs";
import { Buffer as Buffer4 } from "node:buffer";
import { Readable as Readable2, Writable as Writable2, Duplex as Duplex2 } from "node:stream";
var handleStdioAsync = (options, verboseInfo) => handleStdio(addPropertiesAsync, options, verboseInfo, false);
var forbiddenIfAsync = ({ type, optionName }) => {
  throw new TypeError(`The \`${optionName}\` option cannot be ${TYPE_TO_MESSAGE[type]}.`);
};
var addProperties2 = {
  fileNumber: forbiddenIfAsync,
  generator: generatorToStream,
  asyncGenerator: generatorToStream,
  nodeStream: ({ value }) => ({ stream: value }),
  webTransform({ value: { transform, writableObjectMode, readableObjectMode } }) {
    const objectMode = writableObjectMode || readableObjectMode;
    const stream = Duplex2.fromWeb(transform, { objectMode });
    return { stream };
  },
  duplex: ({ value: { transform } }) => ({ stream: transform }),
  native() {
  }
};
var addPropertiesAsync = {
  input: {
    ...addProperties2,
    fileUrl: ({ value }) => ({ stream: createReadStream(value) }),
    filePath: ({ value: { file } }) => ({ stream: createReadStream(file) }),
    webStream: ({ value }) => ({ stream: Readable2.fromWeb(value) }),
    iterable: ({ value }) => ({ stream: Readable2.from(value) }),
    asyncIterable: ({ value }) => ({ stream: Readable2.from(value) }),
    string: ({ value }) => ({ stream: Readable2.from(value) }),
    uint8Array: ({ value }) => ({ stream: Readable2.from(Buffer4.from(value)) })
  },
  output: {
    ...addProperties2,
    fileUrl: ({ value }) => ({ stream: createWriteStream(value) }),
    filePath: ({ value: { file, append } }) => ({ stream: createWriteStream(file, append ? { flags: "a" } : {}) }),
    webStream: ({ value }) => ({ stream: Writable2.fromWeb(value) }),
    iterable: forbiddenIfAsync,
    asyncIterable: forbiddenIfAsync,
    string: forbiddenIfAsync,
    uint8Array: forbiddenIfAsync
  }
};

// node_modules/@sindresorhus/merge-streams/index.js
import { on as on4, once as once7 } from "node:events";
import { PassThrough as PassThroughStream, getDefaultHighWaterMark as getDefaultHighWaterMark2 } from "node:stream";
import { finished as finished2 } from "node:stream/promises";
function mergeStreams(streams) {
  if (!Array.isArray(streams)) {
    throw new TypeError(`Expected an array, got \`${typeof streams}\`.`);
  }
  for (const stream of streams) {
    validateStream(stream);
  }
  const objectMode = streams.some(({ readableObjectMode }) => readableObjectMode);
  const highWaterMark = getHighWaterMark(streams, objectMode);
  const passThroughStream = new MergedStream({
    objectMode,
    writableHighWaterMark: highWaterMark,
    readableHighWaterMark: highWaterMark
  });
  for (const stream of streams) {
    passThroughStream.add(stream);
  }
  return passThroughStream;
}
var getHighWaterMark = (streams, objectMode) => {
  if (streams.length === 0) {
    return getDefaultHighWaterMark2(objectMode);
  }
  const highWaterMarks = streams.filter(({ readableObjectMode }) => readableObjectMode === objectMode).map(({ readableHighWaterMark }) => readableHighWaterMark);
  return Math.max(...highWaterMarks);
};
var MergedStream = class extends PassThroughStream {
  #streams = /* @__PURE__ */ new Set([]);
  #ended = /* @__PURE__ */ new Set([]);
  #aborted = /* @__PURE__ */ new Set([]);
  #onFinished;
  #unpipeEvent = /* @__PURE__ */ Symbol("unpipe");
  #streamPromises = /* @__PURE__ */ new WeakMap();
  add(stream) {
    validateStream(stream);
    if (this.#streams.has(stream)) {
      return;
    }
    this.#streams.add(stream);
    this.#onFinished ??= onMergedStreamFinished(this, this.#streams, this.#unpipeEvent);
    const streamPromise = endWhenStreamsDone({
      passThroughStream: this,
      stream,
      streams: this.#streams,
      ended: this.#ended,
      aborted: this.#aborted,
      onFinished: this.#onFinished,
      unpipeEvent: this.#unpipeEvent
    });
    this.#streamPromises.set(stream, streamPromise);
    stream.pipe(this, { end: false });
  }
  async remove(stream) {
    validateStream(stream);
    if (!this.#streams.has(stream)) {
      return false;
    }
    const streamPromise = this.#streamPromises.get(stream);
    if (streamPromise === void 0) {
      return false;
    }
    this.#streamPromises.delete(stream);
    stream.unpipe(this);
    await streamPromise;
    return true;
  }
};
var onMergedStreamFinished = async (passThroughStream, streams, unpipeEvent) => {
  updateMaxListeners(passThroughStream, PASSTHROUGH_LISTENERS_COUNT);
  const controller = new AbortController();
  try {
    await Promise.race([
      onMergedStreamEnd(passThroughStream, controller),
      onInputStreamsUnpipe(passThroughStream, streams, unpipeEvent, controller)
    ]);
  } finally {
    controller.abort();
    updateMaxListeners(passThroughStream, -PASSTHROUGH_LISTENERS_COUNT);
  }
};
var onMergedStreamEnd = async (passThroughStream, { signal }) => {
  try {
    await finished2(passThroughStream, { signal, cleanup: true });
  } catch (error) {
    errorOrAbortStream(passThroughStream, error);
    throw error;
  }
};
var onInputStreamsUnpipe = async (passThroughStream, streams, unpipeEvent, { signal }) => {
  for await (const [unpipedStream] of on4(passThroughStream, "unpipe", { signal })) {
    if (streams.has(unpipedStream)) {
      unpipedStream.emit(unpipeEvent);
    }
  }
};
var validateStream = (stream) => {
  if (typeof stream?.pipe !== "function") {
    throw new TypeError(`Expected a readable stream, got: \`${typeof stream}\`.`);
  }
};
var endWhenStreamsDone = async ({ passThroughStream, stream, streams, ended, aborted: aborted2, onFinished, unpipeEvent }) => {
  updateMaxListeners(passThroughStream, PASSTHROUGH_LISTENERS_PER_STREAM);
  const controller = new AbortController();
  try {
    await Promise.race([
      afterMergedStreamFinished(onFinished, stream, controller),
      onInputStreamEnd({
        passThroughStream,
        stream,
        streams,
        ended,
        aborted: aborted2,
        controller
      }),
      onInputStreamUnpipe({
        stream,
        streams,
        ended,
        aborted: aborted2,
        unpipeEvent,
        controller
      })
    ]);
  } finally {
    controller.abort();
    updateMaxListeners(passThroughStream, -PASSTHROUGH_LISTENERS_PER_STREAM);
  }
  if (streams.size > 0 && streams.size === ended.size + aborted2.size) {
    if (ended.size === 0 && aborted2.size > 0) {
      abortStream(passThroughStream);
    } else {
      endStream(passThroughStream);
    }
  }
};
var afterMergedStreamFinished = async (onFinished, stream, { signal }) => {
  try {
    await onFinished;
    if (!signal.aborted) {
      abortStream(stream);
    }
  } catch (error) {
    if (!signal.aborted) {
      errorOrAbortStream(stream, error);
    }
  }
};
var onInputStreamEnd = async ({ passThroughStream, stream, streams, ended, aborted: aborted2, controller: { signal } }) => {
  try {
    await finished2(stream, {
      signal,
      cleanup: true,
      readable: true,
      writable: false
    });
    if (streams.has(stream)) {
      ended.add(stream);
    }
  } catch (error) {
    if (signal.aborted || !streams.has(stream)) {
      return;
    }
    if (isAbortError(error)) {
      aborted2.add(stream);
    } else {
      errorStream(passThroughStream, error);
    }
  }
};
var onInputStreamUnpipe = async ({ stream, streams, ended, aborted: aborted2, unpipeEvent, controller: { signal } }) => {
  await once7(stream, unpipeEvent, { signal });
  if (!stream.readable) {
    return once7(signal, "abort", { signal });
  }
  streams.delete(stream);
  ended.delete(stream);
  aborted2.delete(stream);
};
var endStream = (stream) => {
  if (stream.writable) {
    stream.end();
  }
};
var errorOrAbortStream = (stream, error) => {
  if (isAbortError(error)) {
    abortStream(stream);
  } else {
    errorStream(stream, error);
  }
};
var isAbortError = (error) => error?.code === "ERR_STREAM_PREMATURE_CLOSE";
var abortStream = (stream) => {
  if (stream.readable || stream.writable) {
    stream.destroy();
  }
};
var errorStream = (stream, error) => {
  if (!stream.destroyed) {
    stream.once("error", noop2);
    stream.destroy(error);
  }
};
var noop2 = () => {
};
var updateMaxListeners = (passThroughStream, increment2) => {
  const maxListeners = passThroughStream.getMaxListeners();
  if (maxListeners !== 0 && maxListeners !== Number.POSITIVE_INFINITY) {
    passThroughStream.setMaxListeners(maxListeners + increment2);
  }
};
var PASSTHROUGH_LISTENERS_COUNT = 2;
var PASSTHROUGH_LISTENERS_PER_STREAM = 1;

// node_modules/execa/lib/io/pipeline.js
import { finished as finished3 } from "node:stream/promises";
var pipeStreams = (source, destination) => {
  source.pipe(destination);
  onSourceFinish(source, destination);
  onDestinationFinish(source, destination);
};
var onSourceFinish = async (source, destination) => {
  if (isStandardStream(source) || isStandardStream(destination)) {
    return;
  }
  try {
    await finished3(source, { cleanup: true, readable: true, writable: false });
  } catch {
  }
  endDestinationStream(destination);
};
var endDestinationStream = (destination) => {
  if (destination.writable) {
    destination.end();
  }
};
var onDestinationFinish = async (source, destination) => {
  if (isStandardStream(source) || isStandardStream(destination)) {
    return;
  }
  try {
    await finished3(destination, { cleanup: true, readable: false, writable: true });
  } catch {
  }
  abortSourceStream(source);
};
var abortSourceStream = (source) => {
  if (source.readable) {
    source.destroy();
  }
};

// node_modules/execa/lib/io/output-async.js
var pipeOutputAsync = (subprocess, fileDescriptors, controller) => {
  const pipeGroups = /* @__PURE__ */ new Map();
  for (const [fdNumber, { stdioItems, direction }] of Object.entries(fileDescriptors)) {
    for (const { stream } of stdioItems.filter(({ type }) => TRANSFORM_TYPES.has(type))) {
      pipeTransform(subprocess, stream, direction, fdNumber);
    }
    for (const { stream } of stdioItems.filter(({ type }) => !TRANSFORM_TYPES.has(type))) {
      pipeStdioItem({
        subprocess,
        stream,
        direction,
        fdNumber,
        pipeGroups,
        controller
      });
    }
  }
  for (const [outputStream, inputStreams] of pipeGroups.entries()) {
    const inputStream = inputStreams.length === 1 ? inputStreams[0] : mergeStreams(inputStreams);
    pipeStreams(inputStream, outputStream);
  }
};
var pipeTransform = (subprocess, stream, direction, fdNumber) => {
  if (direction === "output") {
    pipeStreams(subprocess.stdio[fdNumber], stream);
  } else {
    pipeStreams(stream, subprocess.stdio[fdNumber]);
  }
  const streamProperty = SUBPROCESS_STREAM_PROPERTIES[fdNumber];
  if (streamProperty !== void 0) {
    subprocess[streamProperty] = stream;
  }
  subprocess.stdio[fdNumber] = stream;
};
var SUBPROCESS_STREAM_PROPERTIES = ["stdin", "stdout", "stderr"];
var pipeStdioItem = ({ subprocess, stream, direction, fdNumber, pipeGroups, controller }) => {
  if (stream === void 0) {
    return;
  }
  setStandardStreamMaxListeners(stream, controller);
  const [inputStream, outputStream] = direction === "output" ? [stream, subprocess.stdio[fdNumber]] : [subprocess.stdio[fdNumber], stream];
  const outputStreams = pipeGroups.get(inputStream) ?? [];
  pipeGroups.set(inputStream, [...outputStreams, outputStream]);
};
var setStandardStreamMaxListeners = (stream, { signal }) => {
  if (isStandardStream(stream)) {
    incrementMaxListeners(stream, MAX_LISTENERS_INCREMENT, signal);
  }
};
var MAX_LISTENERS_INCREMENT = 2;

// node_modules/execa/lib/terminate/cleanup.js
import { addAbortListener as addAbortListener2 } from "node:events";

// node_modules/signal-exit/dist/mjs/signals.js
var signals = [];
signals.push("SIGHUP", "SIGINT", "SIGTERM");
if (process.platform !== "win32") {
  signals.push(
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
  signals.push("SIGIO", "SIGPOLL", "SIGPWR", "SIGSTKFLT");
}

// node_modules/signal-exit/dist/mjs/index.js
var processOk = (process10) => !!process10 && typeof process10 === "object" && typeof process10.removeListener === "function" && typeof process10.emit === "function" && typeof process10.reallyExit === "function" && typeof process10.listeners === "function" && typeof process10.kill === "function" && typeof process10.pid === "number" && typeof process10.on === "function";
var kExitEmitter = /* @__PURE__ */ Symbol.for("signal-exit emitter");
var global2 = globalThis;
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
    if (global2[kExitEmitter]) {
      return global2[kExitEmitter];
    }
    ObjectDefineProperty(global2, kExitEmitter, {
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
    const i2 = list.indexOf(fn);
    if (i2 === -1) {
      return;
    }
    if (i2 === 0 && list.length === 1) {
      list.length = 0;
    } else {
      list.splice(i2, 1);
    }
  }
  emit(ev, code2, signal) {
    if (this.emitted[ev]) {
      return false;
    }
    this.emitted[ev] = true;
    let ret = false;
    for (const fn of this.listeners[ev]) {
      ret = fn(code2, signal) === true || ret;
    }
    if (ev === "exit") {
      ret = this.emit("afterExit", code2, signal) || ret;
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
  #hupSig = process9.platform === "win32" ? "SIGINT" : "SIGHUP";
  /* c8 ignore stop */
  #emitter = new Emitter();
  #process;
  #originalProcessEmit;
  #originalProcessReallyExit;
  #sigListeners = {};
  #loaded = false;
  constructor(process10) {
    super();
    this.#process = process10;
    this.#sigListeners = {};
    for (const sig of signals) {
      this.#sigListeners[sig] = () => {
        const listeners = this.#process.listeners(sig);
        let { count: count2 } = this.#emitter;
        const p = process10;
        if (typeof p.__signal_exit_emitter__ === "object" && typeof p.__signal_exit_emitter__.count === "number") {
          count2 += p.__signal_exit_emitter__.count;
        }
        if (listeners.length === count2) {
          this.unload();
          const ret = this.#emitter.emit("exit", null, sig);
          const s = sig === "SIGHUP" ? this.#hupSig : sig;
          if (!ret)
            process10.kill(process10.pid, s);
        }
      };
    }
    this.#originalProcessReallyExit = process10.reallyExit;
    this.#originalProcessEmit = process10.emit;
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
    for (const sig of signals) {
      try {
        const fn = this.#sigListeners[sig];
        if (fn)
          this.#process.on(sig, fn);
      } catch (_) {
      }
    }
    this.#process.emit = (ev, ...a2) => {
      return this.#processEmit(ev, ...a2);
    };
    this.#process.reallyExit = (code2) => {
      return this.#processReallyExit(code2);
    };
  }
  unload() {
    if (!this.#loaded) {
      return;
    }
    this.#loaded = false;
    signals.forEach((sig) => {
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
  #processReallyExit(code2) {
    if (!processOk(this.#process)) {
      return 0;
    }
    this.#process.exitCode = code2 || 0;
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
var process9 = globalThis.process;
var {
  /**
   * Called when the process is exiting, whether via signal, explicit
   * exit, or running out of stuff to do.
   *
   * If the global process object is not suitable for instrumentation,
   * then this will be a no-op.
   *
   * Returns a function that may be used to unload signal-exit.
   */
  onExit,
  /**
   * Load the listeners.  Likely you never need to call this, unless
   * doing a rather deep integration with signal-exit functionality.
   * Mostly exposed for the benefit of testing.
   *
   * @internal
   */
  load,
  /**
   * Unload the listeners.  Likely you never need to call this, unless
   * doing a rather deep integration with signal-exit functionality.
   * Mostly exposed for the benefit of testing.
   *
   * @internal
   */
  unload
} = signalExitWrap(processOk(process9) ? new SignalExit(process9) : new SignalExitFallback());

// node_modules/execa/lib/terminate/cleanup.js
var cleanupOnExit = (subprocess, { cleanup, detached }, { signal }) => {
  if (!cleanup || detached) {
    return;
  }
  const removeExitHandler = onExit(() => {
    subprocess.kill();
  });
  addAbortListener2(signal, () => {
    removeExitHandler();
  });
};

// node_modules/execa/lib/pipe/pipe-arguments.js
var normalizePipeArguments = ({ source, sourcePromise, boundOptions, createNested }, ...pipeArguments) => {
  const startTime = getStartTime();
  const {
    destination,
    destinationStream,
    destinationError,
    from,
    unpipeSignal
  } = getDestinationStream(boundOptions, createNested, pipeArguments);
  const { sourceStream, sourceError } = getSourceStream(source, from);
  const { options: sourceOptions, fileDescriptors } = SUBPROCESS_OPTIONS.get(source);
  return {
    sourcePromise,
    sourceStream,
    sourceOptions,
    sourceError,
    destination,
    destinationStream,
    destinationError,
    unpipeSignal,
    fileDescriptors,
    startTime
  };
};
var getDestinationStream = (boundOptions, createNested, pipeArguments) => {
  try {
    const {
      destination,
      pipeOptions: { from, to, unpipeSignal } = {}
    } = getDestination(boundOptions, createNested, ...pipeArguments);
    const destinationStream = getToStream(destination, to);
    return {
      destination,
      destinationStream,
      from,
      unpipeSignal
    };
  } catch (error) {
    return { destinationError: error };
  }
};
var getDestination = (boundOptions, createNested, firstArgument, ...pipeArguments) => {
  if (Array.isArray(firstArgument)) {
    const destination = createNested(mapDestinationArguments, boundOptions)(firstArgument, ...pipeArguments);
    return { destination, pipeOptions: boundOptions };
  }
  if (typeof firstArgument === "string" || firstArgument instanceof URL || isDenoExecPath(firstArgument)) {
    if (Object.keys(boundOptions).length > 0) {
      throw new TypeError('Please use .pipe("file", ..., options) or .pipe(execa("file", ..., options)) instead of .pipe(options)("file", ...).');
    }
    const [rawFile, rawArguments, rawOptions] = normalizeParameters(firstArgument, ...pipeArguments);
    const destination = createNested(mapDestinationArguments)(rawFile, rawArguments, rawOptions);
    return { destination, pipeOptions: rawOptions };
  }
  if (SUBPROCESS_OPTIONS.has(firstArgument)) {
    if (Object.keys(boundOptions).length > 0) {
      throw new TypeError("Please use .pipe(options)`command` or .pipe($(options)`command`) instead of .pipe(options)($`command`).");
    }
    return { destination: firstArgument, pipeOptions: pipeArguments[0] };
  }
  throw new TypeError(`The first argument must be a template string, an options object, or an Execa subprocess: ${firstArgument}`);
};
var mapDestinationArguments = ({ options }) => ({ options: { ...options, stdin: "pipe", piped: true } });
var getSourceStream = (source, from) => {
  try {
    const sourceStream = getFromStream(source, from);
    return { sourceStream };
  } catch (error) {
    return { sourceError: error };
  }
};

// node_modules/execa/lib/pipe/throw.js
var handlePipeArgumentsError = ({
  sourceStream,
  sourceError,
  destinationStream,
  destinationError,
  fileDescriptors,
  sourceOptions,
  startTime
}) => {
  const error = getPipeArgumentsError({
    sourceStream,
    sourceError,
    destinationStream,
    destinationError
  });
  if (error !== void 0) {
    throw createNonCommandError({
      error,
      fileDescriptors,
      sourceOptions,
      startTime
    });
  }
};
var getPipeArgumentsError = ({ sourceStream, sourceError, destinationStream, destinationError }) => {
  if (sourceError !== void 0 && destinationError !== void 0) {
    return destinationError;
  }
  if (destinationError !== void 0) {
    abortSourceStream(sourceStream);
    return destinationError;
  }
  if (sourceError !== void 0) {
    endDestinationStream(destinationStream);
    return sourceError;
  }
};
var createNonCommandError = ({ error, fileDescriptors, sourceOptions, startTime }) => makeEarlyError({
  error,
  command: PIPE_COMMAND_MESSAGE,
  escapedCommand: PIPE_COMMAND_MESSAGE,
  fileDescriptors,
  options: sourceOptions,
  startTime,
  isSync: false
});
var PIPE_COMMAND_MESSAGE = "source.pipe(destination)";

// node_modules/execa/lib/pipe/sequence.js
var waitForBothSubprocesses = async (subprocessPromises) => {
  const [
    { status: sourceStatus, reason: sourceReason, value: sourceResult = sourceReason },
    { status: destinationStatus, reason: destinationReason, value: destinationResult = destinationReason }
  ] = await subprocessPromises;
  if (!destinationResult.pipedFrom.includes(sourceResult)) {
    destinationResult.pipedFrom.push(sourceResult);
  }
  if (destinationStatus === "rejected") {
    throw destinationResult;
  }
  if (sourceStatus === "rejected") {
    throw sourceResult;
  }
  return destinationResult;
};

// node_modules/execa/lib/pipe/streaming.js
import { finished as finished4 } from "node:stream/promises";
var pipeSubprocessStream = (sourceStream, destinationStream, maxListenersController) => {
  const mergedStream = MERGED_STREAMS.has(destinationStream) ? pipeMoreSubprocessStream(sourceStream, destinationStream) : pipeFirstSubprocessStream(sourceStream, destinationStream);
  incrementMaxListeners(sourceStream, SOURCE_LISTENERS_PER_PIPE, maxListenersController.signal);
  incrementMaxListeners(destinationStream, DESTINATION_LISTENERS_PER_PIPE, maxListenersController.signal);
  cleanupMergedStreamsMap(destinationStream);
  return mergedStream;
};
var pipeFirstSubprocessStream = (sourceStream, destinationStream) => {
  const mergedStream = mergeStreams([sourceStream]);
  pipeStreams(mergedStream, destinationStream);
  MERGED_STREAMS.set(destinationStream, mergedStream);
  return mergedStream;
};
var pipeMoreSubprocessStream = (sourceStream, destinationStream) => {
  const mergedStream = MERGED_STREAMS.get(destinationStream);
  mergedStream.add(sourceStream);
  return mergedStream;
};
var cleanupMergedStreamsMap = async (destinationStream) => {
  try {
    await finished4(destinationStream, { cleanup: true, readable: false, writable: true });
  } catch {
  }
  MERGED_STREAMS.delete(destinationStream);
};
var MERGED_STREAMS = /* @__PURE__ */ new WeakMap();
var SOURCE_LISTENERS_PER_PIPE = 2;
var DESTINATION_LISTENERS_PER_PIPE = 1;

// node_modules/execa/lib/pipe/abort.js
import { aborted } from "node:util";
var unpipeOnAbort = (unpipeSignal, unpipeContext) => unpipeSignal === void 0 ? [] : [unpipeOnSignalAbort(unpipeSignal, unpipeContext)];
var unpipeOnSignalAbort = async (unpipeSignal, { sourceStream, mergedStream, fileDescriptors, sourceOptions, startTime }) => {
  await aborted(unpipeSignal, sourceStream);
  await mergedStream.remove(sourceStream);
  const error = new Error("Pipe canceled by `unpipeSignal` option.");
  throw createNonCommandError({
    error,
    fileDescriptors,
    sourceOptions,
    startTime
  });
};

// node_modules/execa/lib/pipe/setup.js
var pipeToSubprocess = (sourceInfo, ...pipeArguments) => {
  if (isPlainObject(pipeArguments[0])) {
    return pipeToSubprocess.bind(void 0, {
      ...sourceInfo,
      boundOptions: { ...sourceInfo.boundOptions, ...pipeArguments[0] }
    });
  }
  const { destination, ...normalizedInfo } = normalizePipeArguments(sourceInfo, ...pipeArguments);
  const promise = handlePipePromise({ ...normalizedInfo, destination });
  promise.pipe = pipeToSubprocess.bind(void 0, {
    ...sourceInfo,
    source: destination,
    sourcePromise: promise,
    boundOptions: {}
  });
  return promise;
};
var handlePipePromise = async ({
  sourcePromise,
  sourceStream,
  sourceOptions,
  sourceError,
  destination,
  destinationStream,
  destinationError,
  unpipeSignal,
  fileDescriptors,
  startTime
}) => {
  const subprocessPromises = getSubprocessPromises(sourcePromise, destination);
  handlePipeArgumentsError({
    sourceStream,
    sourceError,
    destinationStream,
    destinationError,
    fileDescriptors,
    sourceOptions,
    startTime
  });
  const maxListenersController = new AbortController();
  try {
    const mergedStream = pipeSubprocessStream(sourceStream, destinationStream, maxListenersController);
    return await Promise.race([
      waitForBothSubprocesses(subprocessPromises),
      ...unpipeOnAbort(unpipeSignal, {
        sourceStream,
        mergedStream,
        sourceOptions,
        fileDescriptors,
        startTime
      })
    ]);
  } finally {
    maxListenersController.abort();
  }
};
var getSubprocessPromises = (sourcePromise, destination) => Promise.allSettled([sourcePromise, destination]);

// node_modules/execa/lib/io/contents.js
import { setImmediate } from "node:timers/promises";

// node_modules/execa/lib/io/iterate.js
import { on as on5 } from "node:events";
import { getDefaultHighWaterMark as getDefaultHighWaterMark3 } from "node:stream";
var iterateOnSubprocessStream = ({ subprocessStdout, subprocess, binary, shouldEncode, encoding, preserveNewlines }) => {
  const controller = new AbortController();
  stopReadingOnExit(subprocess, controller);
  return iterateOnStream({
    stream: subprocessStdout,
    controller,
    binary,
    shouldEncode: !subprocessStdout.readableObjectMode && shouldEncode,
    encoding,
    shouldSplit: !subprocessStdout.readableObjectMode,
    preserveNewlines
  });
};
var stopReadingOnExit = async (subprocess, controller) => {
  try {
    await subprocess;
  } catch {
  } finally {
    controller.abort();
  }
};
var iterateForResult = ({ stream, onStreamEnd, lines, encoding, stripFinalNewline: stripFinalNewline2, allMixed }) => {
  const controller = new AbortController();
  stopReadingOnStreamEnd(onStreamEnd, controller, stream);
  const objectMode = stream.readableObjectMode && !allMixed;
  return iterateOnStream({
    stream,
    controller,
    binary: encoding === "buffer",
    shouldEncode: !objectMode,
    encoding,
    shouldSplit: !objectMode && lines,
    preserveNewlines: !stripFinalNewline2
  });
};
var stopReadingOnStreamEnd = async (onStreamEnd, controller, stream) => {
  try {
    await onStreamEnd;
  } catch {
    stream.destroy();
  } finally {
    controller.abort();
  }
};
var iterateOnStream = ({ stream, controller, binary, shouldEncode, encoding, shouldSplit, preserveNewlines }) => {
  const onStdoutChunk = on5(stream, "data", {
    signal: controller.signal,
    highWaterMark: HIGH_WATER_MARK,
    // Backward compatibility with older name for this option
    // See https://github.com/nodejs/node/pull/52080#discussion_r1525227861
    // @todo Remove after removing support for Node 21
    highWatermark: HIGH_WATER_MARK
  });
  return iterateOnData({
    onStdoutChunk,
    controller,
    binary,
    shouldEncode,
    encoding,
    shouldSplit,
    preserveNewlines
  });
};
var DEFAULT_OBJECT_HIGH_WATER_MARK = getDefaultHighWaterMark3(true);
var HIGH_WATER_MARK = DEFAULT_OBJECT_HIGH_WATER_MARK;
var iterateOnData = async function* ({ onStdoutChunk, controller, binary, shouldEncode, encoding, shouldSplit, preserveNewlines }) {
  const generators = getGenerators({
    binary,
    shouldEncode,
    encoding,
    shouldSplit,
    preserveNewlines
  });
  try {
    for await (const [chunk] of onStdoutChunk) {
      yield* transformChunkSync(chunk, generators, 0);
    }
  } catch (error) {
    if (!controller.signal.aborted) {
      throw error;
    }
  } finally {
    yield* finalChunksSync(generators);
  }
};
var getGenerators = ({ binary, shouldEncode, encoding, shouldSplit, preserveNewlines }) => [
  getEncodingTransformGenerator(binary, encoding, !shouldEncode),
  getSplitLinesGenerator(binary, preserveNewlines, !shouldSplit, {})
].filter(Boolean);

// node_modules/execa/lib/io/contents.js
var getStreamOutput = async ({ stream, onStreamEnd, fdNumber, encoding, buffer, maxBuffer, lines, allMixed, stripFinalNewline: stripFinalNewline2, verboseInfo, streamInfo }) => {
  const logPromise = logOutputAsync({
    stream,
    onStreamEnd,
    fdNumber,
    encoding,
    allMixed,
    verboseInfo,
    streamInfo
  });
  if (!buffer) {
    await Promise.all([resumeStream(stream), logPromise]);
    return;
  }
  const stripFinalNewlineValue = getStripFinalNewline(stripFinalNewline2, fdNumber);
  const iterable = iterateForResult({
    stream,
    onStreamEnd,
    lines,
    encoding,
    stripFinalNewline: stripFinalNewlineValue,
    allMixed
  });
  const [output] = await Promise.all([
    getStreamContents2({
      stream,
      iterable,
      fdNumber,
      encoding,
      maxBuffer,
      lines
    }),
    logPromise
  ]);
  return output;
};
var logOutputAsync = async ({ stream, onStreamEnd, fdNumber, encoding, allMixed, verboseInfo, streamInfo: { fileDescriptors } }) => {
  if (!shouldLogOutput({
    stdioItems: fileDescriptors[fdNumber]?.stdioItems,
    encoding,
    verboseInfo,
    fdNumber
  })) {
    return;
  }
  const linesIterable = iterateForResult({
    stream,
    onStreamEnd,
    lines: true,
    encoding,
    stripFinalNewline: true,
    allMixed
  });
  await logLines(linesIterable, stream, fdNumber, verboseInfo);
};
var resumeStream = async (stream) => {
  await setImmediate();
  if (stream.readableFlowing === null) {
    stream.resume();
  }
};
var getStreamContents2 = async ({ stream, stream: { readableObjectMode }, iterable, fdNumber, encoding, maxBuffer, lines }) => {
  try {
    if (readableObjectMode || lines) {
      return await getStreamAsArray(iterable, { maxBuffer });
    }
    if (encoding === "buffer") {
      return new Uint8Array(await getStreamAsArrayBuffer(iterable, { maxBuffer }));
    }
    return await getStreamAsString(iterable, { maxBuffer });
  } catch (error) {
    return handleBufferedData(handleMaxBuffer({
      error,
      stream,
      readableObjectMode,
      lines,
      encoding,
      fdNumber
    }));
  }
};
var getBufferedData = async (streamPromise) => {
  try {
    return await streamPromise;
  } catch (error) {
    return handleBufferedData(error);
  }
};
var handleBufferedData = ({ bufferedData }) => isArrayBuffer(bufferedData) ? new Uint8Array(bufferedData) : bufferedData;

// node_modules/execa/lib/resolve/wait-stream.js
import { finished as finished5 } from "node:stream/promises";
var waitForStream = async (stream, fdNumber, streamInfo, { isSameDirection, stopOnExit = false } = {}) => {
  const state = handleStdinDestroy(stream, streamInfo);
  const abortController = new AbortController();
  try {
    await Promise.race([
      ...stopOnExit ? [streamInfo.exitPromise] : [],
      finished5(stream, { cleanup: true, signal: abortController.signal })
    ]);
  } catch (error) {
    if (!state.stdinCleanedUp) {
      handleStreamError(error, fdNumber, streamInfo, isSameDirection);
    }
  } finally {
    abortController.abort();
  }
};
var handleStdinDestroy = (stream, { originalStreams: [originalStdin], subprocess }) => {
  const state = { stdinCleanedUp: false };
  if (stream === originalStdin) {
    spyOnStdinDestroy(stream, subprocess, state);
  }
  return state;
};
var spyOnStdinDestroy = (subprocessStdin, subprocess, state) => {
  const { _destroy } = subprocessStdin;
  subprocessStdin._destroy = (...destroyArguments) => {
    setStdinCleanedUp(subprocess, state);
    _destroy.call(subprocessStdin, ...destroyArguments);
  };
};
var setStdinCleanedUp = ({ exitCode, signalCode }, state) => {
  if (exitCode !== null || signalCode !== null) {
    state.stdinCleanedUp = true;
  }
};
var handleStreamError = (error, fdNumber, streamInfo, isSameDirection) => {
  if (!shouldIgnoreStreamError(error, fdNumber, streamInfo, isSameDirection)) {
    throw error;
  }
};
var shouldIgnoreStreamError = (error, fdNumber, streamInfo, isSameDirection = true) => {
  if (streamInfo.propagating) {
    return isStreamEpipe(error) || isStreamAbort(error);
  }
  streamInfo.propagating = true;
  return isInputFileDescriptor(streamInfo, fdNumber) === isSameDirection ? isStreamEpipe(error) : isStreamAbort(error);
};
var isInputFileDescriptor = ({ fileDescriptors }, fdNumber) => fdNumber !== "all" && fileDescriptors[fdNumber].direction === "input";
var isStreamAbort = (error) => error?.code === "ERR_STREAM_PREMATURE_CLOSE";
var isStreamEpipe = (error) => error?.code === "EPIPE";

// node_modules/execa/lib/resolve/stdio.js
var waitForStdioStreams = ({ subprocess, encoding, buffer, maxBuffer, lines, stripFinalNewline: stripFinalNewline2, verboseInfo, streamInfo }) => subprocess.stdio.map((stream, fdNumber) => waitForSubprocessStream({
  stream,
  fdNumber,
  encoding,
  buffer: buffer[fdNumber],
  maxBuffer: maxBuffer[fdNumber],
  lines: lines[fdNumber],
  allMixed: false,
  stripFinalNewline: stripFinalNewline2,
  verboseInfo,
  streamInfo
}));
var waitForSubprocessStream = async ({ stream, fdNumber, encoding, buffer, maxBuffer, lines, allMixed, stripFinalNewline: stripFinalNewline2, verboseInfo, streamInfo }) => {
  if (!stream) {
    return;
  }
  const onStreamEnd = waitForStream(stream, fdNumber, streamInfo);
  if (isInputFileDescriptor(streamInfo, fdNumber)) {
    await onStreamEnd;
    return;
  }
  const [output] = await Promise.all([
    getStreamOutput({
      stream,
      onStreamEnd,
      fdNumber,
      encoding,
      buffer,
      maxBuffer,
      lines,
      allMixed,
      stripFinalNewline: stripFinalNewline2,
      verboseInfo,
      streamInfo
    }),
    onStreamEnd
  ]);
  return output;
};

// node_modules/execa/lib/resolve/all-async.js
var makeAllStream = ({ stdout, stderr }, { all }) => all && (stdout || stderr) ? mergeStreams([stdout, stderr].filter(Boolean)) : void 0;
var waitForAllStream = ({ subprocess, encoding, buffer, maxBuffer, lines, stripFinalNewline: stripFinalNewline2, verboseInfo, streamInfo }) => waitForSubprocessStream({
  ...getAllStream(subprocess, buffer),
  fdNumber: "all",
  encoding,
  maxBuffer: maxBuffer[1] + maxBuffer[2],
  lines: lines[1] || lines[2],
  allMixed: getAllMixed(subprocess),
  stripFinalNewline: stripFinalNewline2,
  verboseInfo,
  streamInfo
});
var getAllStream = ({ stdout, stderr, all }, [, bufferStdout, bufferStderr]) => {
  const buffer = bufferStdout || bufferStderr;
  if (!buffer) {
    return { stream: all, buffer };
  }
  if (!bufferStdout) {
    return { stream: stderr, buffer };
  }
  if (!bufferStderr) {
    return { stream: stdout, buffer };
  }
  return { stream: all, buffer };
};
var getAllMixed = ({ all, stdout, stderr }) => all && stdout && stderr && stdout.readableObjectMode !== stderr.readableObjectMode;

// node_modules/execa/lib/resolve/wait-subprocess.js
import { once as once8 } from "node:events";

// node_modules/execa/lib/verbose/ipc.js
var shouldLogIpc = (verboseInfo) => isFullVerbose(verboseInfo, "ipc");
var logIpcOutput = (message, verboseInfo) => {
  const verboseMessage = serializeVerboseMessage(message);
  verboseLog({
    type: "ipc",
    verboseMessage,
    fdNumber: "ipc",
    verboseInfo
  });
};

// node_modules/execa/lib/ipc/buffer-messages.js
var waitForIpcOutput = async ({
  subprocess,
  buffer: bufferArray,
  maxBuffer: maxBufferArray,
  ipc,
  ipcOutput,
  verboseInfo
}) => {
  if (!ipc) {
    return ipcOutput;
  }
  const isVerbose2 = shouldLogIpc(verboseInfo);
  const buffer = getFdSpecificValue(bufferArray, "ipc");
  const maxBuffer = getFdSpecificValue(maxBufferArray, "ipc");
  for await (const message of loopOnMessages({
    anyProcess: subprocess,
    channel: subprocess.channel,
    isSubprocess: false,
    ipc,
    shouldAwait: false,
    reference: true
  })) {
    if (buffer) {
      checkIpcMaxBuffer(subprocess, ipcOutput, maxBuffer);
      ipcOutput.push(message);
    }
    if (isVerbose2) {
      logIpcOutput(message, verboseInfo);
    }
  }
  return ipcOutput;
};
var getBufferedIpcOutput = async (ipcOutputPromise, ipcOutput) => {
  await Promise.allSettled([ipcOutputPromise]);
  return ipcOutput;
};

// node_modules/execa/lib/resolve/wait-subprocess.js
var waitForSubprocessResult = async ({
  subprocess,
  options: {
    encoding,
    buffer,
    maxBuffer,
    lines,
    timeoutDuration: timeout,
    cancelSignal,
    gracefulCancel,
    forceKillAfterDelay,
    stripFinalNewline: stripFinalNewline2,
    ipc,
    ipcInput
  },
  context,
  verboseInfo,
  fileDescriptors,
  originalStreams,
  onInternalError,
  controller
}) => {
  const exitPromise = waitForExit(subprocess, context);
  const streamInfo = {
    originalStreams,
    fileDescriptors,
    subprocess,
    exitPromise,
    propagating: false
  };
  const stdioPromises = waitForStdioStreams({
    subprocess,
    encoding,
    buffer,
    maxBuffer,
    lines,
    stripFinalNewline: stripFinalNewline2,
    verboseInfo,
    streamInfo
  });
  const allPromise = waitForAllStream({
    subprocess,
    encoding,
    buffer,
    maxBuffer,
    lines,
    stripFinalNewline: stripFinalNewline2,
    verboseInfo,
    streamInfo
  });
  const ipcOutput = [];
  const ipcOutputPromise = waitForIpcOutput({
    subprocess,
    buffer,
    maxBuffer,
    ipc,
    ipcOutput,
    verboseInfo
  });
  const originalPromises = waitForOriginalStreams(originalStreams, subprocess, streamInfo);
  const customStreamsEndPromises = waitForCustomStreamsEnd(fileDescriptors, streamInfo);
  try {
    return await Promise.race([
      Promise.all([
        {},
        waitForSuccessfulExit(exitPromise),
        Promise.all(stdioPromises),
        allPromise,
        ipcOutputPromise,
        sendIpcInput(subprocess, ipcInput),
        ...originalPromises,
        ...customStreamsEndPromises
      ]),
      onInternalError,
      throwOnSubprocessError(subprocess, controller),
      ...throwOnTimeout(subprocess, timeout, context, controller),
      ...throwOnCancel({
        subprocess,
        cancelSignal,
        gracefulCancel,
        context,
        controller
      }),
      ...throwOnGracefulCancel({
        subprocess,
        cancelSignal,
        gracefulCancel,
        forceKillAfterDelay,
        context,
        controller
      })
    ]);
  } catch (error) {
    context.terminationReason ??= "other";
    return Promise.all([
      { error },
      exitPromise,
      Promise.all(stdioPromises.map((stdioPromise) => getBufferedData(stdioPromise))),
      getBufferedData(allPromise),
      getBufferedIpcOutput(ipcOutputPromise, ipcOutput),
      Promise.allSettled(originalPromises),
      Promise.allSettled(customStreamsEndPromises)
    ]);
  }
};
var waitForOriginalStreams = (originalStreams, subprocess, streamInfo) => originalStreams.map((stream, fdNumber) => stream === subprocess.stdio[fdNumber] ? void 0 : waitForStream(stream, fdNumber, streamInfo));
var waitForCustomStreamsEnd = (fileDescriptors, streamInfo) => fileDescriptors.flatMap(({ stdioItems }, fdNumber) => stdioItems.filter(({ value, stream = value }) => isStream(stream, { checkOpen: false }) && !isStandardStream(stream)).map(({ type, value, stream = value }) => waitForStream(stream, fdNumber, streamInfo, {
  isSameDirection: TRANSFORM_TYPES.has(type),
  stopOnExit: type === "native"
})));
var throwOnSubprocessError = async (subprocess, { signal }) => {
  const [error] = await once8(subprocess, "error", { signal });
  throw error;
};

// node_modules/execa/lib/convert/concurrent.js
var initializeConcurrentStreams = () => ({
  readableDestroy: /* @__PURE__ */ new WeakMap(),
  writableFinal: /* @__PURE__ */ new WeakMap(),
  writableDestroy: /* @__PURE__ */ new WeakMap()
});
var addConcurrentStream = (concurrentStreams, stream, waitName) => {
  const weakMap = concurrentStreams[waitName];
  if (!weakMap.has(stream)) {
    weakMap.set(stream, []);
  }
  const promises = weakMap.get(stream);
  const promise = createDeferred();
  promises.push(promise);
  const resolve2 = promise.resolve.bind(promise);
  return { resolve: resolve2, promises };
};
var waitForConcurrentStreams = async ({ resolve: resolve2, promises }, subprocess) => {
  resolve2();
  const [isSubprocessExit] = await Promise.race([
    Promise.allSettled([true, subprocess]),
    Promise.all([false, ...promises])
  ]);
  return !isSubprocessExit;
};

// node_modules/execa/lib/convert/readable.js
import { Readable as Readable3 } from "node:stream";
import { callbackify as callbackify2 } from "node:util";

// node_modules/execa/lib/convert/shared.js
import { finished as finished6 } from "node:stream/promises";
var safeWaitForSubprocessStdin = async (subprocessStdin) => {
  if (subprocessStdin === void 0) {
    return;
  }
  try {
    await waitForSubprocessStdin(subprocessStdin);
  } catch {
  }
};
var safeWaitForSubprocessStdout = async (subprocessStdout) => {
  if (subprocessStdout === void 0) {
    return;
  }
  try {
    await waitForSubprocessStdout(subprocessStdout);
  } catch {
  }
};
var waitForSubprocessStdin = async (subprocessStdin) => {
  await finished6(subprocessStdin, { cleanup: true, readable: false, writable: true });
};
var waitForSubprocessStdout = async (subprocessStdout) => {
  await finished6(subprocessStdout, { cleanup: true, readable: true, writable: false });
};
var waitForSubprocess = async (subprocess, error) => {
  await subprocess;
  if (error) {
    throw error;
  }
};
var destroyOtherStream = (stream, isOpen, error) => {
  if (error && !isStreamAbort(error)) {
    stream.destroy(error);
  } else if (isOpen) {
    stream.destroy();
  }
};

// node_modules/execa/lib/convert/readable.js
var createReadable = ({ subprocess, concurrentStreams, encoding }, { from, binary: binaryOption = true, preserveNewlines = true } = {}) => {
  const binary = binaryOption || BINARY_ENCODINGS.has(encoding);
  const { subprocessStdout, waitReadableDestroy } = getSubprocessStdout(subprocess, from, concurrentStreams);
  const { readableEncoding, readableObjectMode, readableHighWaterMark } = getReadableOptions(subprocessStdout, binary);
  const { read, onStdoutDataDone } = getReadableMethods({
    subprocessStdout,
    subprocess,
    binary,
    encoding,
    preserveNewlines
  });
  const readable2 = new Readable3({
    read,
    destroy: callbackify2(onReadableDestroy.bind(void 0, { subprocessStdout, subprocess, waitReadableDestroy })),
    highWaterMark: readableHighWaterMark,
    objectMode: readableObjectMode,
    encoding: readableEncoding
  });
  onStdoutFinished({
    subprocessStdout,
    onStdoutDataDone,
    readable: readable2,
    subprocess
  });
  return readable2;
};
var getSubprocessStdout = (subprocess, from, concurrentStreams) => {
  const subprocessStdout = getFromStream(subprocess, from);
  const waitReadableDestroy = addConcurrentStream(concurrentStreams, subprocessStdout, "readableDestroy");
  return { subprocessStdout, waitReadableDestroy };
};
var getReadableOptions = ({ readableEncoding, readableObjectMode, readableHighWaterMark }, binary) => binary ? { readableEncoding, readableObjectMode, readableHighWaterMark } : { readableEncoding, readableObjectMode: true, readableHighWaterMark: DEFAULT_OBJECT_HIGH_WATER_MARK };
var getReadableMethods = ({ subprocessStdout, subprocess, binary, encoding, preserveNewlines }) => {
  const onStdoutDataDone = createDeferred();
  const onStdoutData = iterateOnSubprocessStream({
    subprocessStdout,
    subprocess,
    binary,
    shouldEncode: !binary,
    encoding,
    preserveNewlines
  });
  return {
    read() {
      onRead(this, onStdoutData, onStdoutDataDone);
    },
    onStdoutDataDone
  };
};
var onRead = async (readable2, onStdoutData, onStdoutDataDone) => {
  try {
    const { value, done } = await onStdoutData.next();
    if (done) {
      onStdoutDataDone.resolve();
    } else {
      readable2.push(value);
    }
  } catch {
  }
};
var onStdoutFinished = async ({ subprocessStdout, onStdoutDataDone, readable: readable2, subprocess, subprocessStdin }) => {
  try {
    await waitForSubprocessStdout(subprocessStdout);
    await subprocess;
    await safeWaitForSubprocessStdin(subprocessStdin);
    await onStdoutDataDone;
    if (readable2.readable) {
      readable2.push(null);
    }
  } catch (error) {
    await safeWaitForSubprocessStdin(subprocessStdin);
    destroyOtherReadable(readable2, error);
  }
};
var onReadableDestroy = async ({ subprocessStdout, subprocess, waitReadableDestroy }, error) => {
  if (await waitForConcurrentStreams(waitReadableDestroy, subprocess)) {
    destroyOtherReadable(subprocessStdout, error);
    await waitForSubprocess(subprocess, error);
  }
};
var destroyOtherReadable = (stream, error) => {
  destroyOtherStream(stream, stream.readable, error);
};

// node_modules/execa/lib/convert/writable.js
import { Writable as Writable3 } from "node:stream";
import { callbackify as callbackify3 } from "node:util";
var createWritable = ({ subprocess, concurrentStreams }, { to } = {}) => {
  const { subprocessStdin, waitWritableFinal, waitWritableDestroy } = getSubprocessStdin(subprocess, to, concurrentStreams);
  const writable2 = new Writable3({
    ...getWritableMethods(subprocessStdin, subprocess, waitWritableFinal),
    destroy: callbackify3(onWritableDestroy.bind(void 0, {
      subprocessStdin,
      subprocess,
      waitWritableFinal,
      waitWritableDestroy
    })),
    highWaterMark: subprocessStdin.writableHighWaterMark,
    objectMode: subprocessStdin.writableObjectMode
  });
  onStdinFinished(subprocessStdin, writable2);
  return writable2;
};
var getSubprocessStdin = (subprocess, to, concurrentStreams) => {
  const subprocessStdin = getToStream(subprocess, to);
  const waitWritableFinal = addConcurrentStream(concurrentStreams, subprocessStdin, "writableFinal");
  const waitWritableDestroy = addConcurrentStream(concurrentStreams, subprocessStdin, "writableDestroy");
  return { subprocessStdin, waitWritableFinal, waitWritableDestroy };
};
var getWritableMethods = (subprocessStdin, subprocess, waitWritableFinal) => ({
  write: onWrite.bind(void 0, subprocessStdin),
  final: callbackify3(onWritableFinal.bind(void 0, subprocessStdin, subprocess, waitWritableFinal))
});
var onWrite = (subprocessStdin, chunk, encoding, done) => {
  if (subprocessStdin.write(chunk, encoding)) {
    done();
  } else {
    subprocessStdin.once("drain", done);
  }
};
var onWritableFinal = async (subprocessStdin, subprocess, waitWritableFinal) => {
  if (await waitForConcurrentStreams(waitWritableFinal, subprocess)) {
    if (subprocessStdin.writable) {
      subprocessStdin.end();
    }
    await subprocess;
  }
};
var onStdinFinished = async (subprocessStdin, writable2, subprocessStdout) => {
  try {
    await waitForSubprocessStdin(subprocessStdin);
    if (writable2.writable) {
      writable2.end();
    }
  } catch (error) {
    await safeWaitForSubprocessStdout(subprocessStdout);
    destroyOtherWritable(writable2, error);
  }
};
var onWritableDestroy = async ({ subprocessStdin, subprocess, waitWritableFinal, waitWritableDestroy }, error) => {
  await waitForConcurrentStreams(waitWritableFinal, subprocess);
  if (await waitForConcurrentStreams(waitWritableDestroy, subprocess)) {
    destroyOtherWritable(subprocessStdin, error);
    await waitForSubprocess(subprocess, error);
  }
};
var destroyOtherWritable = (stream, error) => {
  destroyOtherStream(stream, stream.writable, error);
};

// node_modules/execa/lib/convert/duplex.js
import { Duplex as Duplex3 } from "node:stream";
import { callbackify as callbackify4 } from "node:util";
var createDuplex = ({ subprocess, concurrentStreams, encoding }, { from, to, binary: binaryOption = true, preserveNewlines = true } = {}) => {
  const binary = binaryOption || BINARY_ENCODINGS.has(encoding);
  const { subprocessStdout, waitReadableDestroy } = getSubprocessStdout(subprocess, from, concurrentStreams);
  const { subprocessStdin, waitWritableFinal, waitWritableDestroy } = getSubprocessStdin(subprocess, to, concurrentStreams);
  const { readableEncoding, readableObjectMode, readableHighWaterMark } = getReadableOptions(subprocessStdout, binary);
  const { read, onStdoutDataDone } = getReadableMethods({
    subprocessStdout,
    subprocess,
    binary,
    encoding,
    preserveNewlines
  });
  const duplex2 = new Duplex3({
    read,
    ...getWritableMethods(subprocessStdin, subprocess, waitWritableFinal),
    destroy: callbackify4(onDuplexDestroy.bind(void 0, {
      subprocessStdout,
      subprocessStdin,
      subprocess,
      waitReadableDestroy,
      waitWritableFinal,
      waitWritableDestroy
    })),
    readableHighWaterMark,
    writableHighWaterMark: subprocessStdin.writableHighWaterMark,
    readableObjectMode,
    writableObjectMode: subprocessStdin.writableObjectMode,
    encoding: readableEncoding
  });
  onStdoutFinished({
    subprocessStdout,
    onStdoutDataDone,
    readable: duplex2,
    subprocess,
    subprocessStdin
  });
  onStdinFinished(subprocessStdin, duplex2, subprocessStdout);
  return duplex2;
};
var onDuplexDestroy = async ({ subprocessStdout, subprocessStdin, subprocess, waitReadableDestroy, waitWritableFinal, waitWritableDestroy }, error) => {
  await Promise.all([
    onReadableDestroy({ subprocessStdout, subprocess, waitReadableDestroy }, error),
    onWritableDestroy({
      subprocessStdin,
      subprocess,
      waitWritableFinal,
      waitWritableDestroy
    }, error)
  ]);
};

// node_modules/execa/lib/convert/iterable.js
var createIterable = (subprocess, encoding, {
  from,
  binary: binaryOption = false,
  preserveNewlines = false
} = {}) => {
  const binary = binaryOption || BINARY_ENCODINGS.has(encoding);
  const subprocessStdout = getFromStream(subprocess, from);
  const onStdoutData = iterateOnSubprocessStream({
    subprocessStdout,
    subprocess,
    binary,
    shouldEncode: true,
    encoding,
    preserveNewlines
  });
  return iterateOnStdoutData(onStdoutData, subprocessStdout, subprocess);
};
var iterateOnStdoutData = async function* (onStdoutData, subprocessStdout, subprocess) {
  try {
    yield* onStdoutData;
  } finally {
    if (subprocessStdout.readable) {
      subprocessStdout.destroy();
    }
    await subprocess;
  }
};

// node_modules/execa/lib/convert/add.js
var addConvertedStreams = (subprocess, { encoding }) => {
  const concurrentStreams = initializeConcurrentStreams();
  subprocess.readable = createReadable.bind(void 0, { subprocess, concurrentStreams, encoding });
  subprocess.writable = createWritable.bind(void 0, { subprocess, concurrentStreams });
  subprocess.duplex = createDuplex.bind(void 0, { subprocess, concurrentStreams, encoding });
  subprocess.iterable = createIterable.bind(void 0, subprocess, encoding);
  subprocess[Symbol.asyncIterator] = createIterable.bind(void 0, subprocess, encoding, {});
};

// node_modules/execa/lib/methods/promise.js
var mergePromise = (subprocess, promise) => {
  for (const [property, descriptor] of descriptors) {
    const value = descriptor.value.bind(promise);
    Reflect.defineProperty(subprocess, property, { ...descriptor, value });
  }
};
var nativePromisePrototype = (async () => {
})().constructor.prototype;
var descriptors = ["then", "catch", "finally"].map((property) => [
  property,
  Reflect.getOwnPropertyDescriptor(nativePromisePrototype, property)
]);

// node_modules/execa/lib/methods/main-async.js
var execaCoreAsync = (rawFile, rawArguments, rawOptions, createNested) => {
  const { file, commandArguments, command, escapedCommand, startTime, verboseInfo, options, fileDescriptors } = handleAsyncArguments(rawFile, rawArguments, rawOptions);
  const { subprocess, promise } = spawnSubprocessAsync({
    file,
    commandArguments,
    options,
    startTime,
    verboseInfo,
    command,
    escapedCommand,
    fileDescriptors
  });
  subprocess.pipe = pipeToSubprocess.bind(void 0, {
    source: subprocess,
    sourcePromise: promise,
    boundOptions: {},
    createNested
  });
  mergePromise(subprocess, promise);
  SUBPROCESS_OPTIONS.set(subprocess, { options, fileDescriptors });
  return subprocess;
};
var handleAsyncArguments = (rawFile, rawArguments, rawOptions) => {
  const { command, escapedCommand, startTime, verboseInfo } = handleCommand(rawFile, rawArguments, rawOptions);
  const { file, commandArguments, options: normalizedOptions } = normalizeOptions(rawFile, rawArguments, rawOptions);
  const options = handleAsyncOptions(normalizedOptions);
  const fileDescriptors = handleStdioAsync(options, verboseInfo);
  return {
    file,
    commandArguments,
    command,
    escapedCommand,
    startTime,
    verboseInfo,
    options,
    fileDescriptors
  };
};
var handleAsyncOptions = ({ timeout, signal, ...options }) => {
  if (signal !== void 0) {
    throw new TypeError('The "signal" option has been renamed to "cancelSignal" instead.');
  }
  return { ...options, timeoutDuration: timeout };
};
var spawnSubprocessAsync = ({ file, commandArguments, options, startTime, verboseInfo, command, escapedCommand, fileDescriptors }) => {
  let subprocess;
  try {
    subprocess = spawn(...concatenateShell(file, commandArguments, options));
  } catch (error) {
    return handleEarlyError({
      error,
      command,
      escapedCommand,
      fileDescriptors,
      options,
      startTime,
      verboseInfo
    });
  }
  const controller = new AbortController();
  setMaxListeners(Number.POSITIVE_INFINITY, controller.signal);
  const originalStreams = [...subprocess.stdio];
  pipeOutputAsync(subprocess, fileDescriptors, controller);
  cleanupOnExit(subprocess, options, controller);
  const context = {};
  const onInternalError = createDeferred();
  subprocess.kill = subprocessKill.bind(void 0, {
    kill: subprocess.kill.bind(subprocess),
    options,
    onInternalError,
    context,
    controller
  });
  subprocess.all = makeAllStream(subprocess, options);
  addConvertedStreams(subprocess, options);
  addIpcMethods(subprocess, options);
  const promise = handlePromise({
    subprocess,
    options,
    startTime,
    verboseInfo,
    fileDescriptors,
    originalStreams,
    command,
    escapedCommand,
    context,
    onInternalError,
    controller
  });
  return { subprocess, promise };
};
var handlePromise = async ({ subprocess, options, startTime, verboseInfo, fileDescriptors, originalStreams, command, escapedCommand, context, onInternalError, controller }) => {
  const [
    errorInfo,
    [exitCode, signal],
    stdioResults,
    allResult,
    ipcOutput
  ] = await waitForSubprocessResult({
    subprocess,
    options,
    context,
    verboseInfo,
    fileDescriptors,
    originalStreams,
    onInternalError,
    controller
  });
  controller.abort();
  onInternalError.resolve();
  const stdio = stdioResults.map((stdioResult, fdNumber) => stripNewline(stdioResult, options, fdNumber));
  const all = stripNewline(allResult, options, "all");
  const result = getAsyncResult({
    errorInfo,
    exitCode,
    signal,
    stdio,
    all,
    ipcOutput,
    context,
    options,
    command,
    escapedCommand,
    startTime
  });
  return handleResult(result, verboseInfo, options);
};
var getAsyncResult = ({ errorInfo, exitCode, signal, stdio, all, ipcOutput, context, options, command, escapedCommand, startTime }) => "error" in errorInfo ? makeError({
  error: errorInfo.error,
  command,
  escapedCommand,
  timedOut: context.terminationReason === "timeout",
  isCanceled: context.terminationReason === "cancel" || context.terminationReason === "gracefulCancel",
  isGracefullyCanceled: context.terminationReason === "gracefulCancel",
  isMaxBuffer: errorInfo.error instanceof MaxBufferError,
  isForcefullyTerminated: context.isForcefullyTerminated,
  exitCode,
  signal,
  stdio,
  all,
  ipcOutput,
  options,
  startTime,
  isSync: false
}) : makeSuccessResult({
  command,
  escapedCommand,
  stdio,
  all,
  ipcOutput,
  options,
  startTime
});

// node_modules/execa/lib/methods/bind.js
var mergeOptions = (boundOptions, options) => {
  const newOptions = Object.fromEntries(
    Object.entries(options).map(([optionName, optionValue]) => [
      optionName,
      mergeOption(optionName, boundOptions[optionName], optionValue)
    ])
  );
  return { ...boundOptions, ...newOptions };
};
var mergeOption = (optionName, boundOptionValue, optionValue) => {
  if (DEEP_OPTIONS.has(optionName) && isPlainObject(boundOptionValue) && isPlainObject(optionValue)) {
    return { ...boundOptionValue, ...optionValue };
  }
  return optionValue;
};
var DEEP_OPTIONS = /* @__PURE__ */ new Set(["env", ...FD_SPECIFIC_OPTIONS]);

// node_modules/execa/lib/methods/create.js
var createExeca = (mapArguments, boundOptions, deepOptions, setBoundExeca) => {
  const createNested = (mapArguments2, boundOptions2, setBoundExeca2) => createExeca(mapArguments2, boundOptions2, deepOptions, setBoundExeca2);
  const boundExeca = (...execaArguments) => callBoundExeca({
    mapArguments,
    deepOptions,
    boundOptions,
    setBoundExeca,
    createNested
  }, ...execaArguments);
  if (setBoundExeca !== void 0) {
    setBoundExeca(boundExeca, createNested, boundOptions);
  }
  return boundExeca;
};
var callBoundExeca = ({ mapArguments, deepOptions = {}, boundOptions = {}, setBoundExeca, createNested }, firstArgument, ...nextArguments) => {
  if (isPlainObject(firstArgument)) {
    return createNested(mapArguments, mergeOptions(boundOptions, firstArgument), setBoundExeca);
  }
  const { file, commandArguments, options, isSync } = parseArguments({
    mapArguments,
    firstArgument,
    nextArguments,
    deepOptions,
    boundOptions
  });
  return isSync ? execaCoreSync(file, commandArguments, options) : execaCoreAsync(file, commandArguments, options, createNested);
};
var parseArguments = ({ mapArguments, firstArgument, nextArguments, deepOptions, boundOptions }) => {
  const callArguments = isTemplateString(firstArgument) ? parseTemplates(firstArgument, nextArguments) : [firstArgument, ...nextArguments];
  const [initialFile, initialArguments, initialOptions] = normalizeParameters(...callArguments);
  const mergedOptions = mergeOptions(mergeOptions(deepOptions, boundOptions), initialOptions);
  const {
    file = initialFile,
    commandArguments = initialArguments,
    options = mergedOptions,
    isSync = false
  } = mapArguments({ file: initialFile, commandArguments: initialArguments, options: mergedOptions });
  return {
    file,
    commandArguments,
    options,
    isSync
  };
};

// node_modules/execa/lib/methods/command.js
var mapCommandAsync = ({ file, commandArguments }) => parseCommand(file, commandArguments);
var mapCommandSync = ({ file, commandArguments }) => ({ ...parseCommand(file, commandArguments), isSync: true });
var parseCommand = (command, unusedArguments) => {
  if (unusedArguments.length > 0) {
    throw new TypeError(`The command and its arguments must be passed as a single string: ${command} ${unusedArguments}.`);
  }
  const [file, ...commandArguments] = parseCommandString(command);
  return { file, commandArguments };
};
var parseCommandString = (command) => {
  if (typeof command !== "string") {
    throw new TypeError(`The command must be a string: ${String(command)}.`);
  }
  const trimmedCommand = command.trim();
  if (trimmedCommand === "") {
    return [];
  }
  const tokens = [];
  for (const token of trimmedCommand.split(SPACES_REGEXP)) {
    const previousToken = tokens.at(-1);
    if (previousToken && previousToken.endsWith("\\")) {
      tokens[tokens.length - 1] = `${previousToken.slice(0, -1)} ${token}`;
    } else {
      tokens.push(token);
    }
  }
  return tokens;
};
var SPACES_REGEXP = / +/g;

// node_modules/execa/lib/methods/script.js
var setScriptSync = (boundExeca, createNested, boundOptions) => {
  boundExeca.sync = createNested(mapScriptSync, boundOptions);
  boundExeca.s = boundExeca.sync;
};
var mapScriptAsync = ({ options }) => getScriptOptions(options);
var mapScriptSync = ({ options }) => ({ ...getScriptOptions(options), isSync: true });
var getScriptOptions = (options) => ({ options: { ...getScriptStdinOption(options), ...options } });
var getScriptStdinOption = ({ input, inputFile, stdio }) => input === void 0 && inputFile === void 0 && stdio === void 0 ? { stdin: "inherit" } : {};
var deepScriptOptions = { preferLocal: true };

// node_modules/execa/index.js
var execa = createExeca(() => ({}));
var execaSync = createExeca(() => ({ isSync: true }));
var execaCommand = createExeca(mapCommandAsync);
var execaCommandSync = createExeca(mapCommandSync);
var execaNode = createExeca(mapNode);
var $ = createExeca(mapScriptAsync, {}, deepScriptOptions, setScriptSync);
var {
  sendMessage: sendMessage2,
  getOneMessage: getOneMessage2,
  getEachMessage: getEachMessage2,
  getCancelSignal: getCancelSignal2
} = getIpcExport();

// src/engine/process/detached.ts
function startDetached(file, args, opts) {
  const child = execa(file, args, {
    cwd: opts.cwd,
    env: opts.env,
    extendEnv: false,
    detached: true,
    cleanup: false,
    buffer: false,
    encoding: "buffer",
    reject: false,
    // No input → /dev/null: a socket on stdin makes Debian's bash source ~/.bashrc (SSH heuristics).
    ...opts.stdin === void 0 ? { stdin: "ignore" } : { input: opts.stdin }
  });
  const started = new Promise((resolve2) => {
    child.once("spawn", () => resolve2(void 0));
    void child.then((r) => {
      if (child.pid === void 0) resolve2(r.cause ?? new Error(r.message));
    });
  });
  return { child, started };
}

// src/engine/agent/run-process.ts
var DEFAULT_KILL_GRACE_MS = 5e3;
var DEFAULT_AGENT_TIMEOUT_MS = 30 * 6e4;
var PIPE_DRAIN_MS = 1e3;
async function runProcess(opts) {
  const started = Date.now();
  const tail = new TailBuffer(opts.tailBytes ?? DEFAULT_TAIL_BYTES);
  const stderrTail = new TailBuffer(8 * 1024, 1024);
  const grace = opts.killGraceMs ?? DEFAULT_KILL_GRACE_MS;
  const result = (partial) => ({
    exitCode: null,
    signal: null,
    timedOut: false,
    cancelled: false,
    durationMs: Date.now() - started,
    tail,
    stderrTail,
    leftovers: [],
    ...partial
  });
  if (opts.signal?.aborted) return result({ cancelled: true });
  if (!isDirectory(opts.cwd)) {
    return result({
      spawnError: Object.assign(new Error(`working directory not found: ${opts.cwd}`), { code: "ECWD" })
    });
  }
  const marker = randomUUID();
  const plain = {
    command: opts.command,
    args: opts.args,
    cwd: opts.cwd,
    env: { ...opts.env, [MARKER_VAR]: marker }
  };
  let launch = plain;
  try {
    if (opts.sandbox) launch = await opts.sandbox.wrap(plain);
  } catch (err2) {
    return result({ spawnError: Object.assign(err2, { code: "ESANDBOX" }) });
  }
  const { child, started: running } = startDetached(launch.command, launch.args, {
    cwd: launch.cwd,
    env: launch.env,
    ...opts.stdin !== void 0 ? { stdin: opts.stdin } : {}
  });
  const spawnError = await running;
  if (spawnError || child.pid === void 0) {
    return result({ spawnError: spawnError ?? new Error("no pid") });
  }
  const handle = { pid: child.pid, marker };
  opts.onSpawn?.(handle);
  const maxLine = opts.maxLineChars ?? 64 * 1024;
  const splitter = (stream) => new LineSplitter(maxLine, (line, truncated) => {
    tail.push(line, truncated);
    if (stream === "stderr") stderrTail.push(line, truncated);
    opts.onLine?.(stream, line, truncated);
  });
  const out = splitter("stdout");
  const err = splitter("stderr");
  const { stdout, stderr } = child;
  stdout.on("data", (c3) => out.write(c3));
  stderr.on("data", (c3) => err.write(c3));
  const drained = Promise.all([
    new Promise((r) => stdout.once("close", () => r())),
    new Promise((r) => stderr.once("close", () => r()))
  ]);
  let hasExited = false;
  const exited = new Promise((resolve2) => {
    child.once("exit", (code3, signal2) => {
      hasExited = true;
      resolve2({ code: code3, signal: signal2 });
    });
  });
  let timedOut = false;
  let cancelled = false;
  let stopping;
  const stop = () => {
    stopping ??= killTree(handle, grace);
  };
  const timer = setTimeout(() => {
    if (hasExited) return;
    if (!cancelled) timedOut = true;
    stop();
  }, opts.timeoutMs);
  const onAbort = () => {
    if (hasExited) return;
    if (!timedOut) cancelled = true;
    stop();
  };
  opts.signal?.addEventListener("abort", onAbort, { once: true });
  const { code: code2, signal } = await exited;
  clearTimeout(timer);
  opts.signal?.removeEventListener("abort", onAbort);
  await stopping;
  const leftovers = await killTree(handle, grace);
  let drainTimer;
  await Promise.race([drained, new Promise((r) => drainTimer = setTimeout(r, PIPE_DRAIN_MS))]);
  clearTimeout(drainTimer);
  stdout.destroy();
  stderr.destroy();
  out.end();
  err.end();
  return result({ exitCode: code2, signal, timedOut, cancelled, leftovers });
}
function isDirectory(path6) {
  try {
    return statSync4(path6).isDirectory();
  } catch {
    return false;
  }
}

// src/engine/agent/claude-agent.ts
var SUMMARY_CHARS = 4e3;
var MAX_JSON_LINE_CHARS = 8 * 1024 * 1024;
var RESULT_LINGER_MS = 1e4;
function createClaudeAgent(settings, options = {}) {
  const claudePath = options.claudePath ?? "claude";
  return {
    kind: "claude",
    async run(input) {
      const parser = new ClaudeStreamParser(input.cwd);
      const timeoutMs = input.timeoutMs ?? settings.timeoutMs ?? DEFAULT_AGENT_TIMEOUT_MS;
      const emit = input.onEvent;
      const args = buildClaudeArgs(settings, toolScope(input.cwd, input.env));
      const linger = new AbortController();
      const signal = input.signal ? AbortSignal.any([input.signal, linger.signal]) : linger.signal;
      let lingerTimer;
      const proc = await runProcess({
        command: claudePath,
        args,
        cwd: input.cwd,
        env: agentEnv(input.env, settings.env, { kind: "claude" }),
        stdin: input.prompt,
        timeoutMs,
        signal,
        sandbox: input.sandbox,
        killGraceMs: options.killGraceMs,
        maxLineChars: MAX_JSON_LINE_CHARS,
        onSpawn: (h2) => emit?.({ type: "spawn", pid: h2.pid, marker: h2.marker }),
        onLine: (stream, line, truncated) => {
          if (stream === "stderr") emit?.({ type: "output", stream, line });
          else
            for (const event of parser.handleLine(line, truncated)) {
              emit?.(event);
              if (event.type === "result")
                lingerTimer ??= setTimeout(() => linger.abort(), options.lingerMs ?? RESULT_LINGER_MS);
            }
        }
      });
      clearTimeout(lingerTimer);
      const ended = proc.cancelled && linger.signal.aborted && !input.signal?.aborted;
      return claudeResult(parser, ended ? { ...proc, cancelled: false, exitCode: 0 } : proc, {
        claudePath,
        timeoutMs
      });
    }
  };
}
var TRANSIENT_ERROR_CODES = /* @__PURE__ */ new Set(["rate_limit", "overloaded", "server_error"]);
function isTransientStatus(status) {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}
function claudeResult(parser, proc, ctx) {
  const base = {
    exitCode: proc.exitCode,
    durationMs: proc.durationMs,
    outputTail: proc.tail.toString(),
    sessionId: parser.sessionId,
    model: parser.model
  };
  const lastStderr = proc.stderrTail.lastLines(1)[0];
  const fail = (error, extra = {}) => ({
    ...base,
    status: "failed",
    transient: false,
    summary: truncate(parser.lastText ?? "", SUMMARY_CHARS),
    error: oneLine(error),
    ...extra
  });
  if (proc.spawnError) {
    const code2 = proc.spawnError.code;
    if (code2 !== "ENOENT")
      return fail(`could not start Claude Code (${ctx.claudePath}): ${proc.spawnError.message}`);
    return fail(
      `could not start Claude Code (${ctx.claudePath}): not found; install it with \`npm i -g @anthropic-ai/claude-code\` or set CLAUDE_TASKS_CLAUDE to its path`
    );
  }
  if (proc.cancelled) {
    return { ...fail("cancelled"), status: "cancelled" };
  }
  const r = parser.result;
  if (!r) {
    if (proc.timedOut) {
      return {
        ...fail(`Claude Code did not finish within ${formatDuration2(ctx.timeoutMs)}`),
        status: "timeout"
      };
    }
    if (proc.signal) return fail(`Claude Code was killed by ${proc.signal} before it reported a result`);
    if (parser.nonJsonLines > 0 && !parser.sessionId) {
      return fail(`Claude Code printed output that is not stream-json: ${parser.lastNonJsonLine}`);
    }
    const why = lastStderr ? `: ${lastStderr}` : "";
    return fail(`Claude Code exited with code ${proc.exitCode} without reporting a result${why}`);
  }
  const common2 = {
    sessionId: r.sessionId ?? parser.sessionId,
    numTurns: r.numTurns,
    costUsd: r.costUsd,
    permissionDenials: r.permissionDenials,
    apiErrorStatus: r.apiErrorStatus,
    summary: truncate(r.text || parser.lastText || "", SUMMARY_CHARS)
  };
  const stopped = r.errors.length > 0 ? r.errors.join("; ") : r.text;
  if (r.subtype === "success" && !r.isError && proc.exitCode === 0) {
    return { ...base, ...common2, status: "success", transient: false, summary: common2.summary ?? "" };
  }
  if (r.subtype === "error_max_turns") {
    return {
      ...fail(`Claude Code stopped: ${stopped || "reached the maximum number of turns"}`, common2),
      status: "max_turns"
    };
  }
  if (r.subtype === "error_max_budget_usd") {
    return {
      ...fail(`Claude Code stopped: ${stopped || "reached the maximum budget"}`, common2),
      status: "budget_exhausted"
    };
  }
  if (r.isError) {
    const status = r.apiErrorStatus;
    const code2 = parser.lastAssistantError;
    if (code2 === "authentication_failed" && status === void 0) {
      return fail(
        `no credentials: set ANTHROPIC_API_KEY or CLAUDE_CODE_OAUTH_TOKEN (Claude Code said: ${r.text})`,
        common2
      );
    }
    const transient = status !== void 0 ? isTransientStatus(status) : TRANSIENT_ERROR_CODES.has(code2 ?? "");
    return fail(`Claude Code reported an error: ${stopped || r.subtype}`, { ...common2, transient });
  }
  if (r.subtype !== "success") return fail(`Claude Code stopped (${r.subtype}): ${stopped}`, common2);
  return fail(`Claude Code exited with code ${proc.exitCode} after reporting success`, common2);
}

// src/engine/agent/claude-version.ts
function parseClaudeVersion(output) {
  return /(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?)/.exec(output)?.[1];
}
async function claudeAvailable(claudePath = "claude", options = {}) {
  const r = await runCommand(claudePath, ["--version"], {
    env: processEnv(options.env ?? process.env),
    timeoutMs: options.timeoutMs ?? 15e3
  });
  const stdout = r.stdout.toString("utf8");
  if (r.startError?.code === "ENOENT") {
    return {
      available: false,
      path: claudePath,
      error: `${claudePath} not found; install it with \`npm i -g @anthropic-ai/claude-code\``
    };
  }
  if (r.startError || r.exitCode !== 0) {
    const why = r.stderr.toString("utf8") || r.startError?.message || `exit code ${r.exitCode}`;
    return {
      available: false,
      path: claudePath,
      error: `\`${claudePath} --version\` failed: ${why.trim().split("\n")[0]}`
    };
  }
  const version = parseClaudeVersion(stdout);
  if (!version) {
    return { available: false, path: claudePath, error: `unexpected \`--version\` output: ${stdout.trim()}` };
  }
  return { available: true, version, path: claudePath };
}

// src/engine/agent/command-agent.ts
function createCommandAgent(command, options = {}) {
  return {
    kind: "command",
    async run(input) {
      const env = agentEnv(input.env, options.env, { kind: "command" });
      const shell = options.shell ?? findOnPath("bash", env.PATH) ?? "/bin/sh";
      const timeoutMs = input.timeoutMs ?? options.timeoutMs ?? DEFAULT_AGENT_TIMEOUT_MS;
      const emit = input.onEvent;
      const proc = await runProcess({
        command: shell,
        args: ["-c", command],
        cwd: input.cwd,
        env,
        timeoutMs,
        signal: input.signal,
        sandbox: input.sandbox,
        killGraceMs: options.killGraceMs,
        maxLineChars: 16 * 1024,
        onSpawn: (h2) => emit?.({ type: "spawn", pid: h2.pid, marker: h2.marker }),
        onLine: emit ? (stream, line) => emit({ type: "output", stream, line }) : void 0
      });
      const summary = truncateStart(proc.tail.lastLines(options.summaryLines ?? 20).join("\n"), 4e3);
      const base = {
        exitCode: proc.exitCode,
        durationMs: proc.durationMs,
        outputTail: proc.tail.toString(),
        summary,
        transient: false
      };
      const name = oneLine(command, 80);
      if (proc.spawnError) {
        return {
          ...base,
          status: "failed",
          error: oneLine(`could not start ${shell}: ${proc.spawnError.message}`)
        };
      }
      if (proc.cancelled) return { ...base, status: "cancelled", error: "cancelled" };
      if (proc.timedOut) {
        return {
          ...base,
          status: "timeout",
          error: `\`${name}\` did not finish within ${formatDuration2(timeoutMs)}`
        };
      }
      if (proc.signal)
        return { ...base, status: "failed", error: `\`${name}\` was killed by ${proc.signal}` };
      if (proc.exitCode !== 0) {
        return { ...base, status: "failed", error: `\`${name}\` exited with code ${proc.exitCode}` };
      }
      return { ...base, status: "success" };
    }
  };
}

// src/engine/run/agent-for.ts
function defaultAgentFor(task, opts = {}) {
  const timeoutMs = parseDuration(task.agent.timeout);
  const { killGraceMs } = opts;
  if (task.kind === "command")
    return createCommandAgent(task.run ?? "", { timeoutMs, env: task.agent.env, killGraceMs });
  return createClaudeAgent({ ...task.agent, timeoutMs }, { claudePath: opts.claudePath, killGraceMs });
}

// src/engine/run/execute-graph.ts
async function executeGraph(opts) {
  const { nodes, outcome } = opts;
  const inRun = new Set(nodes.map((n3) => n3.name));
  const needsOf = new Map(nodes.map((n3) => [n3.name, n3.needs.filter((d) => inRun.has(d))]));
  const dependents = new Map(nodes.map((n3) => [n3.name, []]));
  for (const [name, needs] of needsOf) for (const d of needs) dependents.get(d).push(name);
  const pending = new Map(nodes.map((n3) => [n3.name, needsOf.get(n3.name).length]));
  const byName = new Map(nodes.map((n3) => [n3.name, n3]));
  const results = /* @__PURE__ */ new Map();
  const ready = nodes.filter((n3) => pending.get(n3.name) === 0).map((n3) => n3.name);
  const running = /* @__PURE__ */ new Set();
  const maxParallel = Math.max(1, opts.maxParallel);
  const finish = (name, result) => {
    results.set(name, result);
    for (const dep of dependents.get(name)) {
      const left = pending.get(dep) - 1;
      pending.set(dep, left);
      if (left === 0) ready.push(dep);
    }
  };
  const start = (name) => {
    if (opts.signal?.aborted) return finish(name, opts.skip(name, "run cancelled before the task started"));
    const reason = blockedReason(byName.get(name), needsOf.get(name), (d) => outcome(results.get(d)));
    if (reason) return finish(name, opts.skip(name, reason));
    const p = opts.run(name).then(
      (r) => finish(name, r),
      (err) => finish(name, opts.crash(name, err))
    ).finally(() => running.delete(p));
    running.add(p);
  };
  while (ready.length > 0 || running.size > 0) {
    while (ready.length > 0 && running.size < maxParallel) start(ready.shift());
    if (running.size > 0) await Promise.race(running);
  }
  return results;
}
function blockedReason(node, needs, outcomeOf2) {
  if (node.if === "always" || needs.length === 0) return void 0;
  const outcomes = needs.map((d) => [d, outcomeOf2(d)]);
  if (node.if === "failure") {
    return outcomes.some(([, o2]) => o2 === "failure") ? void 0 : `if: failure, and no dependency failed (${needs.join(", ")})`;
  }
  const bad = outcomes.find(([, o2]) => o2 !== "success");
  return bad ? `dependency \`${bad[0]}\` ${bad[1] === "failure" ? "failed" : "was skipped"}` : void 0;
}

// src/engine/run/land-types.ts
function landingCanClaim(o2) {
  return o2.mode === "pr" && o2.onto === void 0;
}

// src/engine/run/result.ts
var roundUsd = (n3) => Math.round(n3 * 1e6) / 1e6;
function newResult(task, branch, base, trigger, fireTimes) {
  return {
    task,
    status: "failed",
    message: "",
    branch,
    base,
    attempts: 0,
    startedAt: (/* @__PURE__ */ new Date()).toISOString(),
    durationMs: 0,
    files: [],
    additions: 0,
    deletions: 0,
    violations: [],
    conflicts: [],
    ...trigger ? { trigger } : {},
    ...fireTimes?.length ? { fireTimes } : {}
  };
}
function notAdmitted(r, refused) {
  r.status = "skipped";
  r.notRun = refused.kind;
  r.message = refused.reason;
  if (r.backup) r.message += `; the run's work is in backup ${r.backup}`;
}
function skippedResult(task, branch, base, reason) {
  return { ...newResult(task, branch, base), status: "skipped", message: reason };
}
function summariseAgent(kind, a2) {
  return {
    kind,
    status: a2.status,
    summary: a2.summary,
    ...a2.error ? { error: a2.error } : {},
    ...a2.model ? { model: a2.model } : {},
    ...a2.sessionId ? { sessionId: a2.sessionId } : {},
    ...a2.numTurns !== void 0 ? { numTurns: a2.numTurns } : {},
    ...a2.costUsd !== void 0 ? { costUsd: roundUsd(a2.costUsd) } : {},
    durationMs: a2.durationMs,
    ...a2.apiErrorStatus !== void 0 ? { apiErrorStatus: a2.apiErrorStatus } : {},
    transient: a2.transient,
    ...a2.permissionDenials?.length ? { permissionDenials: a2.permissionDenials.length } : {}
  };
}
function summariseFiles(change) {
  const files = change.files.map((f) => ({
    path: f.path,
    status: f.status,
    ...f.oldPath ? { oldPath: f.oldPath } : {},
    additions: f.additions,
    deletions: f.deletions,
    binary: f.binary
  }));
  return { files, additions: change.additions, deletions: change.deletions };
}

// src/engine/run/run-id.ts
function newRunId(now = /* @__PURE__ */ new Date()) {
  const stamp = now.toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
  const tail = Math.floor(Math.random() * 65536).toString(16).padStart(4, "0");
  return `${stamp}-${tail}`;
}

// src/engine/run/run-report.ts
async function assembleReport(o2) {
  const committed = o2.results.filter((r) => r.commit && (r.status === "success" || r.status === "conflict"));
  const crossConflicts = committed.length > 1 ? await pairwiseConflicts({
    git: o2.git,
    results: committed.map((r) => ({ task: r.task, commit: r.localCommit ?? r.commit }))
  }) : [];
  return {
    version: 1,
    runId: o2.runId,
    mode: o2.mode,
    startedAt: new Date(o2.started).toISOString(),
    durationMs: Date.now() - o2.started,
    ...o2.trigger ? { trigger: o2.trigger } : {},
    results: o2.results,
    crossConflicts,
    ...o2.isolation ? { isolation: o2.isolation } : {},
    totalCostUsd: roundUsd(o2.results.reduce((sum, r) => sum + (r.agent?.costUsd ?? 0), 0)),
    ok: o2.results.every((r) => outcomeOf(r.status) !== "failure")
  };
}

// src/engine/run/run-task.ts
import { readFile as readFile4 } from "node:fs/promises";
import { dirname as dirname3, join as join9 } from "node:path";

// src/engine/run/attempts.ts
import { setTimeout as sleep } from "node:timers/promises";

// src/engine/run/backoff.ts
function backoffDelay(baseMs, attempt, random = Math.random) {
  const exp = baseMs * 2 ** Math.max(0, attempt - 1);
  return Math.round(exp * (0.5 + random()));
}

// src/engine/guard/limits.ts
var n2 = (x) => x.toLocaleString("en-US");
function megabytes(bytes) {
  const mb = bytes / 2 ** 20;
  return `${mb < 10 ? mb.toFixed(1) : n2(Math.round(mb))} MB`;
}
function checkLimits(change, limits) {
  const out = [];
  const files = change.files.length;
  if (change.oversized) {
    out.push({
      rule: "limits.diff_size",
      message: `the change is too large to check: its old and new content weigh ${megabytes(change.oversized.bytes)}, more than the ${megabytes(change.oversized.cap)} the engine diffs and scans`
    });
  }
  if (limits.max_files !== void 0 && files > limits.max_files) {
    out.push({
      rule: "limits.max_files",
      message: `the change touches ${n2(files)} files, more than limits.max_files ${n2(limits.max_files)}`
    });
  }
  if (limits.max_lines !== void 0 && change.totalLines > limits.max_lines) {
    const binary = change.files.filter((f) => f.binary && f.additions + f.deletions === 0).length;
    const note = binary > 0 ? ` (${n2(binary)} binary files not counted)` : "";
    out.push({
      rule: "limits.max_lines",
      message: `the change adds or removes ${n2(change.totalLines)} lines, more than limits.max_lines ${n2(limits.max_lines)}${note}`
    });
  }
  if (limits.max_bytes !== void 0 && change.bytes !== void 0 && change.bytes > limits.max_bytes) {
    out.push({
      rule: "limits.max_bytes",
      message: `the change adds or rewrites ${megabytes(change.bytes)} (${n2(change.bytes)} bytes), more than limits.max_bytes ${n2(limits.max_bytes)}`
    });
  }
  return out;
}

// src/engine/guard/types.ts
var code = (s) => `\`${s}\``;

// src/engine/guard/paths.ts
function checkPaths(change, rules) {
  const deny = rules.deny.map((g) => ({
    glob: g,
    match: compileGlob(g, { nocase: true })
  }));
  const allow = rules.allow.map((g) => compileGlob(g));
  const allowList = rules.allow.map(code).join(", ");
  const violations = [];
  for (const f of change.files) {
    const touched = f.status === "renamed" && f.oldPath ? [f.oldPath, f.path] : [f.path];
    for (const path6 of touched) {
      const label = f.status === "renamed" && f.oldPath ? path6 === f.oldPath ? `${code(path6)} (renamed to ${code(f.path)})` : `${code(path6)} (renamed from ${code(f.oldPath)})` : f.status === "deleted" ? `${code(path6)} (deleted)` : code(path6);
      const denied = deny.find((d) => d.match(path6));
      if (denied) {
        violations.push({
          rule: "paths.deny",
          file: path6,
          message: `${label} is denied by paths.deny ${code(denied.glob)}`
        });
      } else if (allow.length > 0 && !allow.some((m) => m(path6))) {
        violations.push({
          rule: "paths.allow",
          file: path6,
          message: `${label} is outside paths.allow (${allowList})`
        });
      }
    }
  }
  return violations;
}

// src/engine/guard/protected.ts
var PROTECTED_PATHS = [
  {
    glob: ".github/**",
    literal: ".github/",
    what: "GitHub configuration (workflows, actions, CODEOWNERS, task definitions)"
  },
  { glob: "**/.claude/**", literal: ".claude/", what: "Claude Code settings, hooks, commands and agents" },
  { glob: "**/.mcp.json", literal: ".mcp.json", what: "the MCP servers Claude Code starts" },
  {
    glob: "**/.gitattributes",
    literal: ".gitattributes",
    what: "git attributes (filters, diff and merge drivers, what counts as binary)"
  },
  { glob: "**/.gitmodules", literal: ".gitmodules", what: "where submodules are fetched from" },
  { glob: "**/CLAUDE.md", literal: "CLAUDE.md", what: "instructions every later Claude Code run follows" },
  {
    glob: "**/CLAUDE.local.md",
    literal: "CLAUDE.local.md",
    what: "instructions every later Claude Code run follows"
  },
  { glob: "**/AGENTS.md", literal: "AGENTS.md", what: "instructions every later coding agent follows" }
];
var matchers = PROTECTED_PATHS.map((p) => ({ ...p, match: compileGlob(p.glob, { nocase: true }) }));
var startsLiteral = (glob) => /^[^*?[{(!+@]/.test(glob);
function checkProtected(change, allow) {
  const allowed = allow.map((g) => {
    const glob = normalizeGlob(g);
    return { glob, lower: glob.toLowerCase(), match: compileGlob(glob) };
  });
  const named = (path6, literal) => allowed.some((a2) => a2.lower.includes(literal.toLowerCase()) && a2.match(path6));
  const literally = (path6) => allowed.some((a2) => startsLiteral(a2.glob) && a2.match(path6));
  const out = [];
  for (const f of change.files) {
    for (const path6 of f.oldPath ? [f.oldPath, f.path] : [f.path]) {
      const p = matchers.find((m) => m.match(path6));
      if (p && !named(path6, p.literal)) {
        out.push({
          rule: "protected.path",
          file: path6,
          message: `${code(path6)} is protected (${p.what}); a task may change it only when paths.allow names it explicitly`
        });
      }
    }
    if (f.newMode === MODE.submodule && !literally(f.path)) {
      out.push({
        rule: "protected.gitlink",
        file: f.path,
        message: `${code(f.path)} is a git link (a submodule or an embedded repository); a task may add one only when paths.allow names it explicitly`
      });
    }
    const nowExecutable = f.newMode === MODE.executable && f.oldMode !== MODE.executable;
    if (nowExecutable && !literally(f.path)) {
      out.push({
        rule: "protected.executable",
        file: f.path,
        message: `${code(f.path)} ${f.status === "added" ? "is added as an executable file" : "is made executable"}; a task may do that only when paths.allow names it explicitly`
      });
    }
  }
  return out;
}

// src/engine/guard/secrets.ts
var B64 = "A-Za-z0-9+/";
var RULES = [
  {
    id: "github-token",
    what: "a GitHub token",
    pattern: /(?<![A-Za-z0-9_])gh[pousr]_([A-Za-z0-9]{36,251})(?![A-Za-z0-9_])/g,
    group: 1
  },
  {
    id: "github-token",
    what: "a GitHub token",
    pattern: /(?<![A-Za-z0-9_])github_pat_([A-Za-z0-9]{20,30}_[A-Za-z0-9]{50,70})(?![A-Za-z0-9_])/g,
    group: 1
  },
  {
    id: "anthropic-key",
    what: "an Anthropic API key",
    pattern: /(?<![A-Za-z0-9_-])sk-ant-[a-z]{2,8}\d{2}-([A-Za-z0-9_-]{40,})/g,
    group: 1
  },
  {
    id: "openai-key",
    what: "an OpenAI API key",
    pattern: /(?<![A-Za-z0-9_-])sk-(?:(?:proj|svcacct|admin)-([A-Za-z0-9_-]{40,})|([A-Za-z0-9_-]{8,}T3BlbkFJ[A-Za-z0-9_-]{8,})|([A-Za-z0-9]{48})(?![A-Za-z0-9_-]))/g
  },
  {
    id: "aws-access-key-id",
    what: "an AWS access key id",
    pattern: /(?<![A-Za-z0-9])(?:AKIA|ASIA|ABIA|ACCA)([A-Z2-7]{16})(?![A-Za-z0-9])/g,
    group: 1
  },
  {
    id: "aws-secret-access-key",
    what: "an AWS secret access key",
    pattern: new RegExp(
      `(?:aws[\\w.-]{0,20}?secret[\\w.-]{0,20}?|secret[_.-]?access[_.-]?key)["'\\]]?\\s*(?::=|=>|[:=])\\s*["']?([${B64}]{40})(?![${B64}=])`,
      "gi"
    ),
    group: 1
  },
  {
    id: "slack-token",
    what: "a Slack token",
    pattern: /(?<![A-Za-z0-9])xox[abposr]-(\d{4,}-[A-Za-z0-9-]{10,})/g,
    group: 1
  },
  {
    id: "slack-webhook",
    what: "a Slack webhook URL",
    pattern: /hooks\.slack\.com\/(?:services|workflows|triggers)\/([A-Za-z0-9+/_-]{20,})/g,
    group: 1
  },
  {
    id: "stripe-key",
    what: "a Stripe live key",
    pattern: /(?<![A-Za-z0-9])(?:sk|rk)_live_([A-Za-z0-9]{20,})/g,
    group: 1
  },
  {
    id: "google-api-key",
    what: "a Google API key",
    pattern: /(?<![A-Za-z0-9_-])AIza([0-9A-Za-z_-]{35})(?![A-Za-z0-9_-])/g,
    group: 1
  },
  {
    id: "private-key",
    what: "a private key",
    pattern: /-----BEGIN (?:[A-Z0-9]+ ){0,3}PRIVATE KEY(?: BLOCK)?-----/g,
    confirm: (m, next) => {
      const rest = m.input.slice(m.index + m[0].length).replace(/\\[nr]/g, " ");
      if (new RegExp(`^[\\s"'+,]*[${B64}]{40,}`).test(rest)) return true;
      for (let k = 1; k <= 4; k++) {
        const line = next(k);
        if (line === void 0) return false;
        if (new RegExp(`^[\\s"'+]*[${B64}]{40,}`).test(line)) return true;
        if (!/^\s*(?:[A-Za-z-]+:.*)?\s*$/.test(line)) return false;
      }
      return false;
    }
  },
  {
    id: "jwt",
    what: "a JSON Web Token",
    pattern: /(?<![A-Za-z0-9_-])(eyJ[A-Za-z0-9_-]{10,})\.eyJ[A-Za-z0-9_-]{10,}\.([A-Za-z0-9_-]{16,})(?![A-Za-z0-9_-])/g,
    group: 2,
    confirm: (m) => {
      try {
        const header = JSON.parse(Buffer.from(m[1], "base64url").toString("utf8"));
        return typeof header === "object" && header !== null && ("alg" in header || "typ" in header);
      } catch {
        return false;
      }
    }
  },
  {
    id: "npm-token",
    what: "an npm token",
    pattern: /(?<![A-Za-z0-9_])npm_([A-Za-z0-9]{36})(?![A-Za-z0-9_])/g,
    group: 1
  }
];
var PREFIXES = [
  ..."pousr".split("").map((c3) => `gh${c3}_`),
  "github_pat_",
  "sk-",
  "AKIA",
  "ASIA",
  "ABIA",
  "ACCA",
  "secret",
  "Secret",
  "SECRET",
  ..."abposr".split("").map((c3) => `xox${c3}-`),
  "hooks.slack.com",
  "_live_",
  "AIza",
  "PRIVATE KEY",
  "eyJ",
  "npm_"
];
var escapeRe = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
var QUICK = /gh[pousr]_|github_pat_|sk-|AKIA|ASIA|ABIA|ACCA|[Ss][Ee][Cc][Rr][Ee][Tt]|xox[abposr]-|hooks\.slack\.com|_live_|AIza|PRIVATE KEY|eyJ|npm_/;
var QUICK_REVERSED = new RegExp(
  [
    ...PREFIXES.filter((p) => !/secret/i.test(p)).map((p) => escapeRe([...p].reverse().join(""))),
    "[Tt][Ee][Rr][Cc][Ee][Ss]"
  ].join("|")
);
var BASE64_ONLY = ["sk-ant-", "sk-proj-", "sk-svcacct-", "sk-admin-", "T3BlbkFJ"];
var QUICK_BASE64 = new RegExp(
  [
    ...new Set(
      [...PREFIXES, ...BASE64_ONLY].filter((p) => p.length >= 4).flatMap(
        (p) => [0, 1, 2].map((k) => {
          const enc = Buffer.concat([Buffer.alloc(k), Buffer.from(p)]).toString("base64");
          return enc.slice(Math.ceil(k * 8 / 6), Math.floor((k + p.length) * 8 / 6));
        })
      )
    )
  ].map(escapeRe).join("|")
);
var BASE64_RUN = /[A-Za-z0-9+/_-]{16,}={0,2}/g;
var QUICK_ANY = new RegExp([QUICK.source, QUICK_REVERSED.source, QUICK_BASE64.source].join("|"));
var KNOWN_EXAMPLES = /* @__PURE__ */ new Set(["SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"]);
function looksLikePlaceholder(value) {
  if (KNOWN_EXAMPLES.has(value)) return true;
  if (/(.)\1{5,}/.test(value)) return true;
  if (/example|sample|dummy|placeholder|your|redacted|fake|test|x{4}/i.test(value)) return true;
  const chars = value.replace(/[^A-Za-z0-9]/g, "");
  if (new Set(chars).size < Math.min(10, Math.ceil(chars.length / 2))) return true;
  let runs = 0;
  for (let i2 = 1; i2 < chars.length; i2++) if (chars.charCodeAt(i2) - chars.charCodeAt(i2 - 1) === 1) runs++;
  return runs > chars.length / 2;
}
function addedLines(patch) {
  const out = [];
  let file = "";
  let inHunk = false;
  let line = 0;
  for (const raw of patch.split("\n")) {
    if (raw.startsWith("diff --git ")) {
      inHunk = false;
      file = "";
      continue;
    }
    if (raw.startsWith("@@ ")) {
      const m = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@/.exec(raw);
      if (m) {
        inHunk = true;
        line = Number(m[1]);
      }
      continue;
    }
    if (!inHunk) {
      if (raw.startsWith("+++ ")) file = diffPath(raw.slice(4));
      continue;
    }
    const c3 = raw[0];
    if (c3 === "+") out.push({ file, line: line++, text: raw.slice(1) });
    else if (c3 === " " || raw === "") line++;
  }
  return out;
}
function scanSecrets(patch) {
  return scanLines(addedLines(typeof patch === "string" ? patch : patch.toString("utf8")));
}
function scanText(text, file) {
  return scanLines(text.split("\n").map((t, i2) => ({ file, line: i2 + 1, text: t })));
}
function scanAddedLines(lines) {
  return scanLines(lines);
}
function credentialIn(text) {
  for (const form of decodedForms(text)) {
    const hit = firstMatch(form.text, () => void 0);
    if (hit) return { id: hit.rule.id, what: hit.rule.what };
  }
  return void 0;
}
function decodedForms(text) {
  const forms = [{ text }];
  if (QUICK_REVERSED.test(text)) forms.push({ text: [...text].reverse().join(""), how: "reversed" });
  if (QUICK_BASE64.test(text)) {
    for (const m of text.matchAll(BASE64_RUN)) {
      const run = m[0].replace(/=+$/, "").replaceAll("-", "+").replaceAll("_", "/");
      for (let k = 0; k < 4; k++) {
        const decoded = Buffer.from(run.slice(k), "base64").toString("latin1");
        if (QUICK.test(decoded)) forms.push({ text: decoded, how: "base64-encoded" });
      }
    }
  }
  return forms;
}
function firstMatch(text, next) {
  if (!QUICK.test(text)) return void 0;
  for (const rule of RULES) {
    rule.pattern.lastIndex = 0;
    for (const m of text.matchAll(rule.pattern)) {
      const value = rule.group !== void 0 ? m[rule.group] : m.slice(1).find((g) => g !== void 0);
      if (value !== void 0 && looksLikePlaceholder(value)) continue;
      if (rule.confirm && !rule.confirm(m, next)) continue;
      return { rule, index: m.index, end: m.index + m[0].length };
    }
  }
  return void 0;
}
function matchesAt(rule, text, index) {
  const re = new RegExp(rule.pattern.source, `${rule.pattern.flags.replace("g", "")}y`);
  re.lastIndex = index;
  return re.test(text);
}
var TAIL = 160;
var HEAD = 400;
var trimTail = (a2) => a2.slice(-TAIL).replace(/[\s"'`+\\,]+$/, "");
var joinAt = (a2, b) => trimTail(a2) + b.slice(0, HEAD).replace(/^[\s"'`+]+/, "");
var isBreakChar = (c3) => c3 === 32 || c3 === 9 || c3 === 13 || c3 === 34 || c3 === 39 || c3 === 96 || c3 === 43 || c3 === 92 || c3 === 44;
var isTokenChar = (c3) => c3 >= 48 && c3 <= 57 || c3 >= 65 && c3 <= 90 || c3 >= 97 && c3 <= 122 || c3 === 95 || c3 === 45;
function tokenCharAt(text, dir) {
  let i2 = dir === 1 ? 0 : text.length - 1;
  while (i2 >= 0 && i2 < text.length && isBreakChar(text.charCodeAt(i2))) i2 += dir;
  return i2 >= 0 && i2 < text.length && isTokenChar(text.charCodeAt(i2));
}
function scanLines(lines) {
  const findings = [];
  const seen = /* @__PURE__ */ new Set();
  const report = (l, rule, how) => {
    const key = `${rule.id}\0${l.file}\0${l.line}`;
    if (seen.has(key)) return;
    seen.add(key);
    findings.push({
      rule: `secret.${rule.id}`,
      file: l.file,
      line: l.line,
      message: `${code(l.file)} line ${l.line} adds what looks like ${rule.what} (${rule.id}${how ? `, ${how}` : ""})`
    });
  };
  lines.forEach((l, idx) => {
    const next = (k) => {
      const n3 = lines[idx + k];
      return n3 && n3.file === l.file && n3.line === l.line + k ? n3.text : void 0;
    };
    const forms = QUICK_ANY.test(l.text) ? decodedForms(l.text) : [];
    for (const form of forms) {
      const nextOf = form.how ? () => void 0 : next;
      if (!QUICK.test(form.text)) continue;
      for (const rule of RULES) {
        rule.pattern.lastIndex = 0;
        for (const m of form.text.matchAll(rule.pattern)) {
          const value = rule.group !== void 0 ? m[rule.group] : m.slice(1).find((g) => g !== void 0);
          if (value !== void 0 && looksLikePlaceholder(value)) continue;
          if (rule.confirm && !rule.confirm(m, nextOf)) continue;
          report(l, rule, form.how);
          break;
        }
      }
    }
    const following = next(1);
    if (following === void 0) return;
    const tail = l.text.slice(-TAIL);
    const mayJoin = forms.length > 0 && QUICK.test(tail) || tokenCharAt(l.text, -1) && tokenCharAt(following, 1) && QUICK.test(joinAt(l.text.slice(-16), following.slice(0, 16)));
    if (!mayJoin) return;
    const joined = joinAt(l.text, following);
    const hit = firstMatch(joined, () => void 0);
    const cut = trimTail(l.text).length;
    if (hit && hit.index < cut && hit.end > cut && !matchesAt(hit.rule, trimTail(l.text), hit.index))
      report(l, hit.rule, "split over two lines");
  });
  return findings;
}

// src/engine/guard/symlinks.ts
import { realpath } from "node:fs/promises";
import { join as join7, posix, sep as sep3 } from "node:path";
var isAbsoluteTarget = (t) => t.startsWith("/") || t.startsWith("\\") || /^[A-Za-z]:[\\/]/.test(t);
var hasDotDot = (p) => p.split(/[\\/]/).includes("..");
async function checkSymlinks(change, worktreePath) {
  const out = [];
  const root = await orIfMissing(realpath(worktreePath), worktreePath);
  for (const f of change.files) {
    for (const p of f.oldPath ? [f.oldPath, f.path] : [f.path]) {
      if (hasDotDot(p) || isAbsoluteTarget(p)) {
        out.push({
          rule: "path",
          file: p,
          message: `${code(p)} leaves the repository (absolute or \`..\` path)`
        });
      }
    }
    if (f.newMode !== MODE.symlink || f.symlinkTarget === void 0) continue;
    const target = f.symlinkTarget;
    const link = `symlink ${code(f.path)} \u2192 ${code(target)}`;
    const violation = (why) => out.push({ rule: "symlink", file: f.path, message: `${link} ${why}` });
    if (isAbsoluteTarget(target)) {
      violation("points to an absolute path");
      continue;
    }
    const lexical = posix.normalize(posix.join(posix.dirname(f.path), target.replace(/\\/g, "/")));
    if (lexical === ".." || lexical.startsWith("../")) {
      violation("points outside the repository");
      continue;
    }
    if (lexical === ".git" || lexical.startsWith(".git/")) {
      violation("points into `.git`");
      continue;
    }
    const real3 = await orIfMissing(realpath(join7(root, f.path)), void 0, ["ELOOP"]);
    if (real3 !== void 0 && real3 !== root && !real3.startsWith(root + sep3)) {
      violation("resolves outside the repository through another symlink");
    }
  }
  return out;
}

// src/engine/guard/index.ts
async function runGuards(opts) {
  const { change } = opts;
  const pathViolations = opts.paths ? checkPaths(change, opts.paths) : [];
  const ruled = new Set(pathViolations.map((v) => v.file));
  const names = opts.secrets === false ? [] : secretNames(change);
  const targets = opts.secrets === false ? [] : secretTargets(change);
  const withheld = /* @__PURE__ */ new Set([...names.map((n3) => n3.path), ...targets.map((t) => t.target)]);
  const violations = [
    ...pathViolations,
    // a path already refused by paths.allow/deny needs no second line
    ...checkProtected(change, opts.paths?.allow ?? ["**"]).filter(
      (v) => v.rule !== "protected.path" || !ruled.has(v.file)
    ),
    ...unstaged(change),
    ...checkLimits(change, opts.limits ?? {}),
    ...await checkSymlinks(change, opts.worktreePath),
    ...opts.secrets === false ? [] : secretViolations(change, names, targets)
  ].map((v) => withheld.size > 0 ? withhold(v, withheld) : v);
  return {
    ok: violations.length === 0,
    violations,
    ...names.length > 0 ? { withheldNames: [...new Set(names.map((n3) => n3.path))] } : {}
  };
}
function unstaged(change) {
  return (change.unstaged ?? []).map((path6) => ({
    rule: "unstaged",
    file: path6,
    message: `${code(path6)} could not be added to the change (an embedded git repository without a commit, or an unreadable file)`
  }));
}
function secretNames(change) {
  const out = [];
  for (const f of change.files) {
    for (const path6 of f.oldPath ? [f.oldPath, f.path] : [f.path]) {
      const hit = credentialIn(path6.replaceAll("/", "\n"));
      if (hit) out.push({ path: path6, ...hit });
    }
  }
  return out;
}
function secretTargets(change) {
  const out = [];
  for (const f of change.files) {
    if (f.symlinkTarget === void 0) continue;
    const hit = credentialIn(f.symlinkTarget.replaceAll("/", "\n"));
    if (hit) out.push({ path: f.path, target: f.symlinkTarget, ...hit });
  }
  return out;
}
function secretViolations(change, names, targets) {
  const out = [...scanSecrets(change.patch), ...scanSecrets(change.textDiff)];
  out.push(...scanAddedLines(change.binaryLines ?? []));
  for (const n3 of names) {
    out.push({
      rule: `secret.${n3.id}`,
      message: `a changed file's name looks like it holds ${n3.what} (${n3.id}); the name is withheld`
    });
  }
  const found = new Set(out.map((v) => v.file));
  for (const t of targets.filter((x) => !found.has(x.path))) {
    out.push({
      rule: `secret.${t.id}`,
      file: t.path,
      message: `the target of symlink ${code(t.path)} looks like it holds ${t.what} (${t.id}); the target is withheld`
    });
  }
  return out;
}
function withholdFileNames(files, names) {
  if (!names || names.length === 0) return files;
  const hidden2 = new Set(names);
  const name = (p) => hidden2.has(p) ? "[name withheld]" : p;
  return files.map((f) => ({
    ...f,
    path: name(f.path),
    ...f.oldPath !== void 0 ? { oldPath: name(f.oldPath) } : {}
  }));
}
function withhold(v, names) {
  let message = v.message;
  for (const n3 of names) message = message.replaceAll(n3, "[name withheld]");
  const out = { ...v, message };
  if (v.file !== void 0 && names.has(v.file)) delete out.file;
  return out;
}

// src/engine/run/redact.ts
var MIN_SECRET_LENGTH = 8;
var REDACTED = "***";
function withholdSecrets(text) {
  const findings = scanText(text, "agent output");
  if (findings.length === 0) return text;
  const lines = text.split("\n");
  for (const f of findings) {
    const rule = f.rule.replace(/^secret\./, "");
    lines[f.line - 1] = `[line withheld: it looks like it contains a credential (${rule})]`;
  }
  return lines.join("\n");
}
function redactorFor(task) {
  const secrets = Object.keys(task.agent.env_templates ?? {}).map((k) => task.agent.env[k]).filter((v) => typeof v === "string" && v.length >= MIN_SECRET_LENGTH).sort((a2, b) => b.length - a2.length);
  const text = (s) => {
    let out = s;
    for (const v of secrets) if (out.includes(v)) out = out.split(v).join(REDACTED);
    return withholdSecrets(out);
  };
  return {
    text,
    result: (r) => ({
      ...r,
      summary: text(r.summary),
      ...r.error !== void 0 ? { error: text(r.error) } : {}
    }),
    event(e) {
      switch (e.type) {
        case "text":
          return { ...e, text: text(e.text) };
        case "tool_use":
          return { ...e, description: text(e.description) };
        case "permission_denied":
          return { ...e, message: text(e.message) };
        case "output":
          return { ...e, line: text(e.line) };
        case "api_retry":
          return e.error === void 0 ? e : { ...e, error: text(e.error) };
        default:
          return e;
      }
    }
  };
}

// src/engine/run/attempts.ts
async function runAttempts(opts) {
  const { task, worktree: wt } = opts;
  const max = task.retry.attempts;
  const backoffMs = parseDuration(task.retry.backoff);
  const partialBackups = [];
  const redact = redactorFor(task);
  for (let attempt = 1; ; attempt++) {
    opts.emit({ type: "task-start", task: task.name, attempt });
    await opts.prepare?.();
    const raw = await opts.agent.run({
      cwd: wt.path,
      prompt: opts.prompt,
      env: opts.env,
      signal: opts.signal,
      sandbox: opts.sandbox,
      onEvent: (event) => opts.emit({ type: "agent", task: task.name, event: redact.event(event) })
    });
    await opts.afterAgent?.();
    const result = redact.result(raw);
    const retry = result.status === "failed" && result.transient && attempt < max && !opts.signal?.aborted;
    if (!retry) return { result, attempts: attempt, partialBackups };
    const partial = await collectChanges({ git: wt.git, base: wt.baseCommit });
    if (partial.files.length > 0) {
      const saved = await writeChangeBackup({
        git: wt.git,
        change: partial,
        stateDir: wt.stateDir,
        runId: wt.runId,
        task: task.name,
        reason: `before retry ${attempt + 1}: partial work of attempt ${attempt}`,
        details: { error: result.error, apiErrorStatus: result.apiErrorStatus }
      }).catch((err) => {
        if (err instanceof NoBackupError) return void 0;
        throw err;
      });
      if (saved) partialBackups.push(saved.id);
    }
    await wt.git.run(["reset", "--hard", "--quiet", wt.baseCommit]);
    await wt.git.run(["clean", "-fdq"]);
    const delayMs = backoffDelay(backoffMs, attempt, opts.random);
    opts.emit({
      type: "task-retry",
      task: task.name,
      attempt: attempt + 1,
      delayMs,
      reason: result.error ?? "transient error"
    });
    try {
      await sleep(delayMs, void 0, { signal: opts.signal });
    } catch {
      const error = `cancelled while waiting to retry (attempt ${attempt} failed: ${result.error ?? "transient error"})`;
      return { result: { ...result, status: "cancelled", error }, attempts: attempt, partialBackups };
    }
  }
}

// src/engine/run/check-change.ts
async function checkChange(o2) {
  const { wt, task, r } = o2;
  const change = await collectChanges({ git: wt.git, base: o2.base });
  Object.assign(r, summariseFiles(change));
  const guards = change.files.length > 0 ? await runGuards({ change, worktreePath: wt.path, paths: task.paths, limits: task.limits }) : void 0;
  r.violations = (guards?.violations ?? []).map((v) => ({
    rule: v.rule,
    file: v.file,
    line: v.line,
    message: v.message
  }));
  r.files = withholdFileNames(r.files, guards?.withheldNames);
  let noBackup;
  if (change.files.length > 0) {
    try {
      const b = await writeChangeBackup({
        git: wt.git,
        change,
        stateDir: wt.stateDir,
        runId: wt.runId,
        task: task.name,
        reason: o2.reason,
        details: o2.details()
      });
      r.backup = b.id;
    } catch (err) {
      if (!(err instanceof NoBackupError)) throw err;
      noBackup = err.message;
    }
  }
  wt.markSaved();
  return { change, ...noBackup ? { noBackup } : {} };
}
function refuseViolations(r, noBackup) {
  if (r.violations.length === 0) return false;
  r.status = "refused";
  r.message = `the change was refused: ${r.violations[0].message}${r.violations.length > 1 ? ` (+${r.violations.length - 1} more)` : ""}`;
  if (noBackup) r.message += `; it was not backed up: ${noBackup}`;
  return true;
}

// src/engine/run/push.ts
var COLLATERAL = /^atomic (push|transaction) failed$/;
async function pushLanding(o2) {
  const { repo, guard } = o2;
  const remote = repo.remote;
  let rider = o2.rider;
  for (; ; ) {
    const tracking = guard ? `refs/remotes/${remote}/${guard.ref.replace(/^refs\/heads\//, "")}` : void 0;
    const trackingWas = tracking ? await resolveCommit(repo.git, tracking) : void 0;
    const pushed = await pushRefs({
      git: repo.git,
      remote,
      updates: [...o2.updates, ...guard ? [guard] : [], ...rider ? [rider.update] : []]
    });
    if (tracking && trackingWas && trackingWas !== guard?.commit)
      await repo.git.run(["update-ref", tracking, trackingWas, guard.commit], { allowFailure: true });
    rider?.pushed(pushed.ok);
    if (pushed.ok) return { ok: true, baseMoved: false };
    const rejected = pushed.refs.filter((x) => x.status === "rejected");
    const refusing = rejected.filter((x) => !COLLATERAL.test(x.reason ?? ""));
    const baseMoved = guard !== void 0 && refusing.some((x) => x.ref === guard.ref);
    if (rider && !baseMoved) {
      rider = void 0;
      if (o2.withoutRider && !await o2.withoutRider()) return { ok: false, baseMoved: false, stopped: true };
      continue;
    }
    return { ok: false, baseMoved, reason: refusing[0]?.reason ?? rejected[0]?.reason ?? "rejected" };
  }
}
function baseLease(base, tip) {
  return { ref: `refs/heads/${base}`, commit: tip, expected: tip };
}

// src/engine/run/land-signed.ts
async function landSigned(o2, signer, rides = {}) {
  const { result: r, repo } = o2;
  const git = repo.git;
  const remote = repo.remote;
  const commit = r.commit;
  const [tree = "", parent = "", ...others] = (await git.run(["show", "-s", "--format=%T %P", commit])).stdout.trim().split(" ");
  const plan = others.length > 0 ? { ok: false, reasons: ["it is a merge commit (the API makes commits with one parent)"] } : await apiFileChanges({ git, parent, commit });
  if (!plan.ok) {
    const why = `${plan.reasons.slice(0, 5).join("; ")}${plan.reasons.length > 5 ? `; and ${plan.reasons.length - 5} more` : ""}`;
    if (!signer.allowUnsigned) {
      r.status = "failed";
      r.message = `not pushed: GitHub's API cannot make this change as a signed commit (${why}), and signed commits are required (\`sign-commits: required\`); nothing was pushed, the result is in backup ${r.backup}`;
      return "refused";
    }
    r.warnings = [
      ...r.warnings ?? [],
      `the commit was pushed unsigned with git: GitHub's API cannot make this change as a signed commit (${why}); \`sign-commits: preferred\` allows that`
    ];
    return "fallback";
  }
  const message = (await git.run(["show", "-s", "--format=%B", commit])).stdout;
  const [headline = "", ...rest] = message.split("\n");
  const body = rest.join("\n").trim();
  const old = o2.start.branchTip;
  const ref = `refs/heads/${r.branch}`;
  const target = old === parent ? r.branch : old ? `claude-tasks-signing/${o2.runId}/${r.branch}` : r.branch;
  const targetRef = `refs/heads/${target}`;
  const lost = (reason) => {
    r.status = "failed";
    r.message = `push of \`${r.branch}\` refused (${reason}): someone else updated it during the run; nothing was overwritten, the result is in backup ${r.backup}`;
    return "refused";
  };
  if (target !== r.branch || !old) {
    const landing = target === r.branch;
    const made = await pushLanding({
      repo,
      updates: [{ ref: targetRef, commit: parent, expected: null }],
      ...rides.guard ? { guard: rides.guard } : {},
      ...rides.rider && landing ? { rider: rides.rider } : {},
      ...rides.withoutRider && landing ? { withoutRider: rides.withoutRider } : {}
    });
    if (made.stopped) return "stopped";
    if (made.baseMoved) return "base-moved";
    if (!made.ok) return lost(made.reason ?? "it exists");
  } else {
    if (rides.withoutRider && !await rides.withoutRider()) return "stopped";
    if (rides.guard && await baseTip(repo, r.base, { fresh: true }) !== rides.guard.commit)
      return "base-moved";
  }
  const undo = async (from) => {
    const to = target === r.branch && old ? old : null;
    await pushRefs({ git, remote, updates: [{ ref: targetRef, commit: to, expected: from }] }).catch(
      () => void 0
    );
  };
  const sameCommit = async (c3) => (await git.run(["show", "-s", "--format=%T %P%n%ce%n%B", c3], { allowFailure: true })).stdout.trim() === `${tree} ${parent}
${GITHUB_WEB_FLOW_EMAIL}
${message.trim()}`;
  let signed;
  let reported;
  try {
    const made = await signer.commitOnBranch({
      branch: target,
      expectedHead: parent,
      headline,
      body,
      additions: plan.changes.additions,
      deletions: plan.changes.deletions
    });
    signed = made.oid;
    if (made.tree && made.parents) reported = `${made.tree} ${made.parents.join(" ")}`;
  } catch (err) {
    const tip = (await lsRemote({ git, remote, refs: [targetRef] })).get(targetRef);
    const ours = tip && tip !== parent && await fetchBranchNow(repo, target) === tip && await sameCommit(tip);
    if (ours) signed = tip;
    else if (tip !== parent) {
      if (target !== r.branch) await undo(tip ?? parent);
      return lost("stale info");
    } else {
      if (target !== r.branch || !old) await undo(parent);
      throw err;
    }
  }
  const described = reported !== void 0 && target === r.branch;
  const shape = described ? reported : await fetchBranchNow(repo, target) ? (await git.run(["show", "-s", "--format=%T %P", signed], { allowFailure: true })).stdout.trim() : "";
  if (shape !== `${tree} ${parent}`) {
    await undo(signed);
    r.status = "failed";
    r.message = `refused: the commit GitHub made (${signed.slice(0, 7)}) does not hold the tree that was checked; it was taken back, the result is in backup ${r.backup}`;
    return "refused";
  }
  if (target !== r.branch) {
    const updates = [{ ref, commit: signed, expected: old ?? null }];
    if (old && !o2.onto && !await isAncestor(git, old, signed)) {
      const stamp = (/* @__PURE__ */ new Date()).toISOString().replace(/[:.]/g, "-");
      updates.push({ ref: `${BACKUP_REF_PREFIX}${r.branch}/${stamp}`, commit: old, expected: null });
    }
    updates.push({ ref: targetRef, commit: null, expected: signed });
    const moved = await pushLanding({
      repo,
      updates,
      ...rides.rider ? { rider: rides.rider } : {},
      ...rides.withoutRider ? { withoutRider: rides.withoutRider } : {}
    }).catch(async (err) => {
      await undo(signed);
      throw err;
    });
    if (!moved.ok) {
      await undo(signed);
      return moved.stopped ? "stopped" : lost(moved.reason ?? "rejected");
    }
    await git.run(["update-ref", "-d", `refs/remotes/${remote}/${target}`], { allowFailure: true });
  }
  if (described) r.localCommit = commit;
  r.commit = signed;
  r.signature = "signed";
  return "landed";
}

// src/engine/run/onto.ts
function ontoPullRequest(pr) {
  return pr.isFork ? { branch: pr.headRef, fetchRef: `refs/pull/${pr.number}/head` } : { branch: pr.headRef };
}
function pushesTo(onto) {
  return onto?.fetchRef === void 0;
}
function effectiveDryRun(dryRun, onto) {
  return dryRun || !pushesTo(onto);
}

// src/engine/run/land.ts
async function land(options) {
  const o2 = {
    ...options,
    entry: { status: options.result.status, message: options.result.message }
  };
  const { result: r, repo } = o2;
  if (o2.change.files.length === 0) {
    r.status = "no_changes";
    r.message = "the task ran and changed nothing";
    if (repo.mode !== "local" && !o2.onto) await publish(o2, false);
    return;
  }
  o2.phase("committing");
  const commit = await (o2.commit ?? taskCommit(o2));
  if (!commit) {
    r.status = "no_changes";
    r.message = "the task ran and changed nothing";
    return;
  }
  r.commit = commit;
  o2.phase("checking conflicts with the latest base");
  if (!o2.start.merge && !await followBase(o2, { fresh: !guardsBase(o2) })) return;
  if (r.status !== "conflict" && await alreadyOnBranch(o2)) return keepBranch(o2, o2.claim);
  o2.phase(repo.mode === "dry-run" ? "reporting" : repo.mode === "local" ? "updating branch" : "pushing");
  if (repo.mode === "dry-run") {
    if (r.status !== "conflict") {
      r.status = "success";
      r.message = `dry run: would update \`${r.branch}\` with ${fileCount(r)} \u2014 nothing was kept but the report and backup ${r.backup}`;
    }
    if (o2.publisher && !o2.onto) await publish(o2, true);
    return;
  }
  if (repo.mode === "local") return landLocal(o2);
  return landRemote(o2);
}
async function taskCommit(o2) {
  const { repo } = o2;
  return commitTree({
    git: o2.worktree.git,
    tree: o2.change.tree,
    changed: true,
    // files changed (above)
    base: o2.start.commit,
    subject: o2.start.merge ? `Merge the latest ${o2.result.base} into ${o2.result.branch}; conflicts resolved by claude-tasks` : o2.followUp?.subject ?? o2.task.pr.title,
    ...o2.start.merge ? { base: o2.start.branchTip, mergeParents: [o2.start.merge.commit] } : {},
    body: `Made by claude-tasks: the task ${o2.task.name} (${o2.task.kind === "claude" ? "Claude Code" : "a run: command"}).`,
    task: o2.task.name,
    runId: o2.runId,
    ...o2.followUp ? { trailers: o2.followUp.trailers } : {},
    // the user's own signing, when their git configuration asks for it (GitHub signs API commits
    // itself; a dry run keeps no commit)
    ...repo.mode !== "dry-run" && !o2.publisher?.signer && await userSignsCommits(repo.git) ? { signWith: repo.git } : {}
  });
}
async function followBase(o2, how) {
  const { result: r, repo } = o2;
  if (r.status === "conflict") {
    Object.assign(r, o2.entry);
    r.conflicts = [];
  }
  const commit = r.commit;
  const from = r.baseCommit ?? o2.start.commit;
  const latest = o2.onto ? await fetchOnto(repo, o2.onto, how.fresh) : await baseTip(repo, r.base, { fresh: how.fresh });
  o2.checkedBase = latest ?? from;
  if (!latest || latest === from) return true;
  const rb = await rebaseOnto({
    git: o2.worktree.git,
    head: commit,
    oldBase: from,
    newBase: latest,
    stateDir: repo.state,
    task: o2.task.name,
    runId: o2.runId
  });
  if (rb.ok && rb.empty) {
    r.status = "no_changes";
    r.message = `the base moved during the run and already contains this change`;
    return false;
  }
  if (rb.ok) {
    r.commit = rb.commit;
    r.baseCommit = latest;
    r.rebased = true;
    return true;
  }
  r.commit = commit;
  r.conflicts = rb.conflicts;
  r.status = "conflict";
  r.message = `the base moved during the run and the change conflicts with it in ${rb.conflicts.length} file(s): ${rb.conflicts.slice(0, 5).join(", ")}`;
  if (o2.task.on_conflict === "regenerate" && !o2.onto) {
    r.message += `; the result is kept in backup ${r.backup}`;
    return false;
  }
  return true;
}
async function alreadyOnBranch(o2) {
  const tip = o2.start.branchTip;
  if (!tip || !o2.result.commit) return false;
  const shape = async (c3) => (await o2.repo.git.run(["show", "-s", "--format=%T %P", c3])).stdout.trim();
  return await shape(tip) === await shape(o2.result.commit);
}
async function lockAnswered(o2, claim) {
  const answer = await claim.answer();
  if (answer.ok) return true;
  await o2.commit?.catch(() => void 0);
  notAdmitted(o2.result, answer);
  return false;
}
async function keepBranch(o2, claim) {
  if (claim && !await lockAnswered(o2, claim)) return;
  const { result: r, repo } = o2;
  r.commit = o2.start.branchTip;
  r.status = "success";
  r.message = repo.mode === "dry-run" ? `dry run: \`${r.branch}\` already holds this change and would stay as it is` : `\`${r.branch}\` already holds this change (${fileCount(r)}); it was left as it is`;
  if (repo.mode !== "local" && !o2.onto) await publish(o2, true);
}
async function landLocal(o2) {
  const { result: r, repo } = o2;
  const up = await updateBranch({
    git: repo.git,
    branch: r.branch,
    commit: r.commit,
    expectedOld: o2.start.branchTip ?? null,
    message: `claude-tasks: ${o2.task.name} run ${o2.runId}`
  });
  if (!up.updated) {
    r.status = "failed";
    r.message = `\`${r.branch}\` changed while the task ran; it was not overwritten (the result is in backup ${r.backup})`;
    return;
  }
  if (r.status !== "conflict") {
    r.status = "success";
    r.message = `branch \`${r.branch}\` ${o2.start.branchTip ? "updated" : "created"} with ${fileCount(r)}${up.backup ? ` (its previous tip is kept as ${up.backup.ref})` : ""}`;
  } else {
    r.message += `; the unrebased result is on \`${r.branch}\``;
  }
}
function claiming(rider, claim) {
  if (!rider || !claim) return rider;
  return {
    update: rider.update,
    pushed(won) {
      rider.pushed(won);
      if (won) claim.claimed();
    }
  };
}
async function landRemote(o2) {
  const { result: r, repo } = o2;
  if (!pushesTo(o2.onto)) {
    if (r.status !== "conflict") r.status = "success";
    r.message = `${r.message ? `${r.message}; ` : ""}nothing was pushed: \`${r.branch}\` belongs to a fork (the change is in backup ${r.backup})`;
    return;
  }
  if (o2.onto && r.status === "conflict") {
    r.message += `; nothing was pushed to \`${r.branch}\``;
    return;
  }
  remoteOf(repo);
  const signer = o2.publisher?.signer;
  const riding = o2.settleInPush?.(
    {
      ...r,
      status: r.status === "conflict" ? "conflict" : "success",
      durationMs: Date.now() - Date.parse(r.startedAt)
    },
    { claim: o2.claim !== void 0 }
  ).catch(() => void 0);
  let claim = o2.claim;
  const askLock = () => {
    const asked = claim;
    claim = void 0;
    return lockAnswered(o2, asked);
  };
  let signed;
  for (let round = 1; ; round++) {
    const guard = guardsBase(o2) ? baseGuard(o2) : void 0;
    const rider = claiming(round === 1 ? await riding : void 0, claim);
    if (claim && !rider && !await askLock()) return;
    let moved;
    if (signer && signed !== "fallback") {
      signed = await landSigned(o2, signer, { guard, rider, ...claim ? { withoutRider: askLock } : {} });
      if (signed === "stopped" || signed === "refused") return;
      if (signed === "landed") break;
      moved = signed === "base-moved";
    } else moved = false;
    if (!signer || signed === "fallback") {
      const pushed = await pushLanding({
        repo,
        updates: await branchUpdates(o2),
        guard,
        rider,
        ...claim ? { withoutRider: askLock } : {}
      });
      if (pushed.ok) {
        r.signature = "unsigned";
        break;
      }
      if (pushed.stopped) return;
      moved = pushed.baseMoved;
      if (!moved) {
        r.status = "failed";
        r.message = `push of \`${r.branch}\` refused (${pushed.reason}): someone else updated it during the run; nothing was overwritten, the result is in backup ${r.backup}`;
        return;
      }
    }
    if (moved && round < MAX_BASE_ROUNDS) {
      o2.phase("checking conflicts with the latest base");
      if (!await followBase(o2, { fresh: true })) return;
      if (r.status !== "conflict" && await alreadyOnBranch(o2)) return keepBranch(o2, claim);
      continue;
    }
    r.status = "failed";
    r.message = `push of \`${r.branch}\` given up: the base \`${r.base}\` kept moving while it was checked; the result is in backup ${r.backup}`;
    return;
  }
  if (r.status !== "conflict") {
    r.status = "success";
    r.message = `pushed \`${r.branch}\` with ${fileCount(r)}${r.signature === "signed" ? " as a commit signed by GitHub" : ""}`;
  }
  if (!o2.onto) await publish(o2, true);
}
var MAX_BASE_ROUNDS = 3;
async function branchUpdates(o2) {
  const { result: r, repo } = o2;
  const updates = [
    { ref: `refs/heads/${r.branch}`, commit: r.commit, expected: o2.start.branchTip ?? null }
  ];
  const old = o2.start.branchTip;
  if (old && !o2.onto && !await isAncestor(repo.git, old, r.commit)) {
    const stamp = (/* @__PURE__ */ new Date()).toISOString().replace(/[:.]/g, "-");
    updates.push({ ref: `${BACKUP_REF_PREFIX}${r.branch}/${stamp}`, commit: old, expected: null });
  }
  return updates;
}
function guardsBase(o2) {
  return o2.repo.mode === "pr" && !o2.onto && !o2.start.merge;
}
function baseGuard(o2) {
  return baseLease(o2.result.base, o2.checkedBase ?? o2.result.baseCommit ?? o2.start.commit);
}
async function publish(o2, hasChanges) {
  if (!o2.publisher) return;
  o2.phase("publishing the pull request");
  const pr = await o2.publisher.publish({
    task: o2.task,
    result: o2.result,
    branch: o2.result.branch,
    base: o2.result.base,
    hasChanges,
    branchExistedOnRemote: o2.start.branchExistedOnRemote,
    dryRun: o2.repo.mode === "dry-run"
  });
  if (pr) o2.result.pr = pr;
}
function remoteOf(repo) {
  if (!repo.remote) throw new Error("no remote to push to");
  return repo.remote;
}
function fileCount(r) {
  return `${r.files.length} file${r.files.length === 1 ? "" : "s"} (+${r.additions} \u2212${r.deletions})`;
}

// src/engine/run/precheck.ts
var IF_COMMAND_TIMEOUT_MS = 6e4;
async function runPrecheck(opts) {
  const command = opts.task.if_command;
  if (command === void 0) return { run: true };
  const timeoutMs = opts.timeoutMs ?? IF_COMMAND_TIMEOUT_MS;
  const agent = createCommandAgent(command, { env: opts.task.agent.env, timeoutMs });
  const r = await agent.run({
    cwd: opts.worktree.path,
    prompt: "",
    env: opts.env,
    timeoutMs,
    signal: opts.signal,
    sandbox: opts.sandbox
  });
  await opts.after?.();
  await opts.worktree.git.run(["reset", "--hard", "--quiet", opts.worktree.baseCommit]);
  await opts.worktree.git.run(["clean", "-fdq"]);
  if (r.status === "success") return { run: true };
  const seconds = Math.round(timeoutMs / 1e3);
  const reason = r.status === "cancelled" ? "cancelled during if_command" : r.status === "timeout" ? `skipped: if_command did not finish within ${seconds}s` : r.exitCode !== null ? `skipped: if_command exited ${r.exitCode}` : "skipped: if_command could not run (it did not start or was killed)";
  return { run: false, cancelled: r.status === "cancelled", reason, exitCode: r.exitCode };
}

// src/engine/run/resolve-conflicts.ts
async function plannedMerge(git, branchTip, base) {
  const check = await mergeTreeCheck({ git, base: branchTip, head: base });
  return check.clean ? void 0 : { commit: base, conflicts: check.conflicts };
}
async function prepareMerge(wt, branchTip, commit) {
  const git = wt.git;
  await git.run(["merge", "--no-ff", "--no-commit", "--no-verify", "--quiet", commit], {
    allowFailure: true
  });
  await git.run(["add", "-A", "--", "."]);
  const tree = (await git.run(["write-tree"])).stdout.trim();
  await git.run(["merge", "--quit"], { allowFailure: true });
  const checkBase = (await git.run(["commit-tree", tree, "-p", branchTip, "-m", "claude-tasks: merge with conflict markers"])).stdout.trim();
  await git.run(["reset", "--soft", "--quiet", checkBase]);
  return checkBase;
}
async function filesWithMarkers(git, tree, files) {
  if (files.length === 0) return [];
  const r = await git.run(
    [
      "grep",
      "-l",
      "-z",
      "-I",
      "-E",
      "^(<{7}|>{7})( |$)|^={7}$",
      tree,
      "--",
      ...files.map((f) => `:(literal)${f}`)
    ],
    { allowFailure: true }
  );
  if (r.exitCode > 1) throw new Error(`git grep failed: ${r.stderr.trim()}`);
  const prefix = `${tree}:`;
  return r.stdout.split("\0").filter(Boolean).map((p) => p.startsWith(prefix) ? p.slice(prefix.length) : p);
}
function resolveContext(o2) {
  const list = o2.conflicts.slice(0, 50).map((f) => `- ${quotePath(f)}`);
  if (o2.conflicts.length > 50) list.push(`- \u2026 and ${o2.conflicts.length - 50} more`);
  return [
    "---",
    "",
    "## Resolve merge conflicts",
    "",
    `The branch ${quotePath(o2.branch)} holds commits by people, and the base ${quotePath(o2.base)} moved: git merged the latest base into it, and these files now hold conflict markers (<<<<<<<, =======, >>>>>>>):`,
    "",
    ...list,
    "",
    "Resolve every conflict in them, keeping the intent of both sides, and remove every marker. Change nothing else: this run does not redo the task.",
    ""
  ].join("\n");
}

// src/engine/run/trusted-config.ts
import { createHash } from "node:crypto";
import { lstat, readdir, readFile as readFile3, readlink, rm as rm3 } from "node:fs/promises";
import { join as join8 } from "node:path";
var TRUSTED_CONFIG_PATHS = [".claude", ".mcp.json", "CLAUDE.md", "CLAUDE.local.md"];
async function overlayTrustedConfig(git, source, paths) {
  for (const p of paths) await rm3(join8(git.cwd, p), { recursive: true, force: true });
  await checkoutPaths(git, source, paths);
  return fingerprint(git.cwd, paths);
}
async function removeTrustedOverlay(git, paths, overlay) {
  const after = await fingerprint(git.cwd, paths);
  const changed = /* @__PURE__ */ new Set();
  for (const [p, h2] of after) if (overlay.get(p) !== h2) changed.add(p);
  for (const p of overlay.keys()) if (!after.has(p)) changed.add(p);
  for (const p of paths) await rm3(join8(git.cwd, p), { recursive: true, force: true });
  const tracked = splitZ((await git.run(["ls-files", "-z", "--", ...paths])).stdout);
  if (tracked.length > 0) {
    await git.run(["reset", "-q", "HEAD", "--", ...paths], { allowFailure: true });
  }
  await checkoutPaths(git, "HEAD", paths);
  return [...changed].sort();
}
async function checkoutPaths(git, source, paths) {
  const files = splitZ(
    (await git.run(["ls-tree", "-r", "-z", "--name-only", source, "--", ...paths])).stdout
  );
  if (files.length === 0) return;
  await git.run(
    ["restore", `--source=${source}`, "--worktree", "--pathspec-from-file=-", "--pathspec-file-nul"],
    { input: `${files.map((f) => `:(literal)${f}`).join("\0")}\0` }
  );
}
async function fingerprint(dir, paths) {
  const out = /* @__PURE__ */ new Map();
  const walk = async (rel) => {
    const abs = join8(dir, rel);
    const st = await orIfMissing(lstat(abs), void 0);
    if (!st) return;
    if (st.isSymbolicLink()) out.set(rel, `link:${await readlink(abs)}`);
    else if (st.isDirectory()) for (const name of await readdir(abs)) await walk(`${rel}/${name}`);
    else if (st.isFile())
      out.set(
        rel,
        createHash("sha256").update(await readFile3(abs)).digest("hex")
      );
  };
  for (const p of paths) await walk(p);
  return out;
}

// src/engine/run/run-task.ts
var AGENT_STATUS = {
  success: "success",
  failed: "failed",
  timeout: "timeout",
  max_turns: "max_turns",
  budget_exhausted: "budget_exhausted",
  cancelled: "cancelled"
};
async function runTask(opts) {
  const branch = opts.onto?.branch ?? opts.task.branch;
  const result = newResult(opts.task.name, branch, opts.base, opts.trigger, opts.fireTimes);
  const t0 = Date.now();
  try {
    await pipeline2(opts, result);
    if (result.status === "conflict" && opts.task.on_conflict === "regenerate" && !opts.onto) {
      const first = { ...result };
      Object.assign(result, newResult(opts.task.name, branch, opts.base, opts.trigger, opts.fireTimes));
      await pipeline2(opts, result);
      result.message = `regenerated on the latest base (the first result conflicted in ${first.conflicts.join(", ")}; it is in backup ${first.backup}): ${result.message}`;
    }
  } catch (err) {
    result.status = opts.signal?.aborted ? "cancelled" : "failed";
    result.message = errorMessage(err);
    if (result.backup) result.message += `; the work is kept in backup ${result.backup}`;
    else if (isDiskFull(err)) {
      result.message += "; the disk is full: free some space, then `claude-tasks worktrees --prune` saves whatever work this run had to leave in its worktree";
    }
  }
  result.durationMs = Date.now() - t0;
  return result;
}
async function pipeline2(opts, r) {
  var _stack = [];
  try {
    const { repo, task } = opts;
    const phase = (p) => opts.emit({ type: "task-phase", task: task.name, phase: p });
    phase("resolving base");
    const refs = localRefs(repo);
    const start = await startingPoint(opts, r, refs);
    if (!start) return;
    r.baseCommit = start.merge?.commit ?? start.commit;
    phase("creating worktree");
    const wt = __using(_stack, await createWorktree({
      git: repo.git,
      task: task.name,
      runId: opts.runId,
      base: start.commit,
      branch: r.branch,
      stateDir: repo.state,
      logger: repo.logger
    }), true);
    const commonDir = dirname3(repo.state);
    const sandbox = __using(_stack, opts.sandbox ? await opts.sandbox.open({
      worktree: wt.path,
      commonDir,
      adminDir: await adminDirOf(wt.path),
      repoRoot: repo.git.cwd,
      privateDir: join9(repo.state, "sandbox", `${task.name}-${opts.runId}`),
      refs: async () => (await refs()).text
    }) : void 0, true);
    const untouched = async (before2) => {
      const changed = await compareRepo(repo.git, before2);
      if (changed.length === 0) return;
      await restoreRepo(repo.git, before2, changed);
      throw new RepositoryTamperedError(changed.map((c3) => c3.name));
    };
    if (task.if_command !== void 0) {
      phase("running if_command");
      const before2 = await snapshotRepo(repo.git, commonDir, { refs: sandbox?.kind !== "bwrap" });
      const pre = await runPrecheck({
        task,
        worktree: wt,
        env: opts.env,
        sandbox,
        signal: opts.signal,
        after: () => untouched(before2)
      });
      if (!pre.run) {
        r.status = pre.cancelled ? "cancelled" : "skipped";
        r.message = pre.reason;
        if (!pre.cancelled) r.notRun = "if_command";
        return;
      }
    }
    const merge = start.merge ? await mergeInto(wt, start, r) : void 0;
    const own = task.kind === "claude" ? await promptOf(opts, wt, merge !== void 0) : "";
    const prompt = merge ? `${resolveContext({ base: r.base, branch: r.branch, conflicts: merge.conflicts })}
For context, the task that made this branch:

${own}` : opts.followUp ? `${own.trimEnd()}

${opts.followUp.context}` : own;
    const before = await snapshotRepo(repo.git, commonDir, { refs: sandbox?.kind !== "bwrap" });
    const afterAgent = () => untouched(before);
    const trusted = opts.trustedConfig ?? (merge ? { source: r.base, paths: [...TRUSTED_CONFIG_PATHS] } : void 0);
    let overlay;
    const source = trusted ? await trustedSource(opts.repo, trusted.source) : void 0;
    const prepare = trusted ? async () => {
      overlay = await overlayTrustedConfig(wt.git, source, trusted.paths);
    } : void 0;
    phase(task.kind === "claude" ? "running Claude Code" : "running command");
    const {
      result: agentResult,
      // what the agent said is already redacted (see runAttempts)
      attempts,
      partialBackups
    } = await runAttempts({
      task,
      agent: opts.agent,
      worktree: wt,
      prompt,
      env: opts.env,
      signal: opts.signal,
      emit: opts.emit,
      prepare,
      sandbox,
      afterAgent
    });
    opts.admission?.agentEnded();
    r.attempts = attempts;
    r.agent = summariseAgent(opts.agent.kind, agentResult);
    if (trusted && overlay) {
      const dropped = await removeTrustedOverlay(wt.git, trusted.paths, overlay);
      if (dropped.length > 0) {
        r.warnings = [
          `changes to Claude Code's configuration were dropped (it comes from ${trusted.source}): ${dropped.join(", ")}`
        ];
      }
    }
    phase("checking the change");
    const { change, noBackup } = await checkChange({
      wt,
      base: merge?.checkBase ?? start.commit,
      task,
      r,
      reason: "run result",
      details: () => ({
        mode: repo.mode,
        branch: r.branch,
        agent: r.agent,
        agentStatus: agentResult.status,
        violations: r.violations
      })
    });
    if (change.files.length === 0 && partialBackups.length > 0) r.backup = partialBackups.at(-1);
    const lands = agentResult.status === "success" && change.files.length > 0 && r.violations.length === 0 && !noBackup && !merge;
    const commit = lands && (opts.admission !== void 0 || start.remote !== void 0) ? taskCommit({ ...opts, worktree: wt, change, result: r, start }) : void 0;
    commit?.catch(() => {
    });
    const claim = lands && landingCanClaim({ mode: repo.mode, onto: opts.onto }) && opts.settleInPush !== void 0 && opts.admission?.claimInPush() === true ? opts.admission : void 0;
    let goesOn = false;
    try {
      goesOn = await admittedAndStarted(opts, start, r, claim !== void 0);
    } finally {
      if (!goesOn) await commit?.catch(() => void 0);
    }
    if (!goesOn) return;
    if (agentResult.status !== "success") {
      r.status = AGENT_STATUS[agentResult.status];
      r.message = agentResult.error ?? `the agent ended with ${agentResult.status}`;
      if (r.backup) r.message += `; its partial work is in backup ${r.backup}`;
      return;
    }
    if (refuseViolations(r, noBackup)) return;
    if (noBackup) throw new Error(`the change could not be backed up: ${noBackup}`);
    if (merge) {
      const left = await filesWithMarkers(wt.git, change.tree, merge.conflicts);
      if (left.length > 0) {
        r.status = "conflict";
        r.conflicts = left;
        r.message = `the base \`${r.base}\` conflicts with \`${r.branch}\` and the agent left conflict markers in ${left.length} file(s): ${left.slice(0, 5).join(", ")}; nothing was pushed${r.backup ? ` (the attempt is in backup ${r.backup})` : ""}`;
        await unresolvedComment(opts, r, left);
        return;
      }
    }
    await land({
      ...opts,
      worktree: wt,
      change,
      result: r,
      start: merge ? { ...start, merge } : start,
      phase,
      ...commit ? { commit } : {},
      ...claim ? { claim } : {}
    });
  } catch (_) {
    var _error = _, _hasError = true;
  } finally {
    var _promise = __callDispose(_stack, _error, _hasError);
    _promise && await _promise;
  }
}
async function admittedAndStarted(opts, start, r, claimed) {
  if (opts.admission && !claimed) {
    const admitted = await opts.admission.answer();
    if (!admitted.ok) {
      notAdmitted(r, admitted);
      return false;
    }
  }
  return settleStart(start, r);
}
async function startingPoint(opts, r, refs = localRefs(opts.repo)) {
  const { repo } = opts;
  if (opts.onto) {
    const tip = await fetchOnto(repo, opts.onto);
    const where = opts.onto.fetchRef ?? opts.onto.branch;
    if (!tip) throw new Error(`\`${where}\` not found on ${repo.remote ?? "the remote"}`);
    return { commit: tip, branchTip: tip, branchExistedOnRemote: true };
  }
  const fast = repo.fromRemote && opts.localBaseFirst && opts.task.on_conflict !== "resolve";
  const local = fast ? await localBase(repo, r.base) : void 0;
  if (local) {
    const remote = remoteChecks(opts, r, refs);
    remote.catch(() => {
    });
    return { commit: local, branchExistedOnRemote: false, remote };
  }
  const checked = await remoteChecks(opts, r, refs);
  const branchTip = checked.branch.branchTip;
  if (checked.foreign && branchTip && opts.task.on_conflict === "resolve") {
    const merge = await plannedMerge(repo.git, branchTip, checked.base);
    if (merge) {
      r.baseCommit = checked.base;
      return {
        commit: branchTip,
        branchTip,
        branchExistedOnRemote: repo.fromRemote,
        merge: { ...merge, checkBase: branchTip }
      };
    }
  }
  if (checked.foreign) return skipForeign(r, checked.foreign);
  return { commit: checked.base, ...checked.branch };
}
async function remoteChecks(opts, r, refs) {
  const { repo } = opts;
  const base = await baseTip(repo, r.base, repo.fromRemote ? {} : { local: refs });
  const branchTip = repo.fromRemote ? await fetchBranch(repo, r.branch) : (await refs()).tips.get(`refs/heads/${r.branch}`);
  const branch = { branchTip, branchExistedOnRemote: repo.fromRemote && branchTip !== void 0 };
  if (!branchTip) return { base, branch };
  const foreign = await foreignCommits({ git: repo.git, branch: branchTip, base, task: opts.task.name });
  return { base, branch, ...foreign[0] ? { foreign: foreign[0] } : {} };
}
function skipForeign(r, f) {
  r.status = "skipped";
  r.message = `branch \`${r.branch}\` has commits not made by claude-tasks (${f.sha.slice(0, 7)} by ${f.author}: ${f.reason}); it is left untouched`;
  return void 0;
}
async function settleStart(start, r) {
  if (!start.remote) return true;
  const checked = await start.remote;
  Object.assign(start, checked.branch);
  if (!checked.foreign) return true;
  skipForeign(r, checked.foreign);
  if (r.backup) r.message += `; the run's work is in backup ${r.backup}`;
  return false;
}
async function unresolvedComment(opts, r, left) {
  if (opts.repo.mode !== "pr" || !opts.publisher?.comment) return;
  const files = left.slice(0, 20).map((f) => `- ${mdCode(f)}`);
  if (left.length > 20) files.push(`- \u2026 and ${left.length - 20} more`);
  const body = [
    `\u26A0\uFE0F The base ${mdCode(r.base)} moved and conflicts with this branch. claude-tasks merged it in and let the agent resolve the conflicts, but these files still hold conflict markers, so nothing was pushed:`,
    "",
    ...files,
    "",
    `The attempt is kept in the backup ${mdCode(r.backup ?? "(none)")} (the run's backup artifact).`
  ].join("\n");
  try {
    await opts.publisher.comment({ branch: r.branch, base: r.base }, body);
  } catch (err) {
    opts.repo.logger.warn(`could not comment on the pull request of ${r.branch}: ${errorMessage(err)}`);
  }
}
async function mergeInto(wt, start, r) {
  const m = start.merge;
  const checkBase = await prepareMerge(wt, start.branchTip, m.commit);
  wt.baseCommit = checkBase;
  r.conflicts = m.conflicts;
  return { ...m, checkBase };
}
async function promptOf(opts, wt, onBranch) {
  const { task } = opts;
  if (task.prompt !== void 0) return task.prompt;
  const file = task.prompt_file ?? "";
  if (!opts.onto && !onBranch) return readFile4(join9(wt.path, file), "utf8");
  const base = await baseTip(opts.repo, opts.base);
  return (await opts.repo.git.run(["show", `${base}:${file}`])).stdout;
}
async function trustedSource(repo, source) {
  return await fetchBranch(repo, source) ?? await baseTip(repo, source);
}
var RepositoryTamperedError = class extends Error {
  name = "RepositoryTamperedError";
  changed;
  constructor(changed) {
    const list = changed.slice(0, 5).map((c3) => JSON.stringify(c3)).join(", ");
    super(
      `the agent changed the repository's git setup (${list}${changed.length > 5 ? `, +${changed.length - 5} more` : ""}); it was restored and the result of this run is not used`
    );
    this.changed = changed;
  }
};
function isDiskFull(err) {
  return err?.code === "ENOSPC" || /no space left on device/i.test(errorMessage(err));
}

// src/engine/run/run-tasks.ts
var LOCK_AFTER_MS = 1e3;
async function runTasks(opts) {
  var _stack = [];
  try {
    const started = Date.now();
    const logger = opts.logger ?? silentLogger;
    let anyAgentUp;
    const agentsUp = new Promise((ok) => {
      anyAgentUp = ok;
    });
    let claudeSpawned;
    const emit = (e) => {
      if (e.type === "agent" && e.event.type === "spawn") {
        anyAgentUp();
        if (byName.get(e.task)?.kind === "claude") claudeSpawned?.();
      }
      opts.onEvent?.(e);
    };
    const git = createGit({ cwd: opts.repoRoot, authEnv: opts.gitEnv, logger });
    const repo = await makeRepoContext({
      git,
      state: stateDir(git),
      // read side by side with the remotes
      mode: opts.mode,
      remote: opts.remote,
      previewsPullRequests: opts.publisher !== void 0 || opts.tipsFromRemote === true,
      logger
    });
    const state = repo.state;
    const planned = opts.plan.tasks;
    const byName = new Map(opts.tasks.map((t) => [t.name, t]));
    const missing = planned.filter((p) => !byName.has(p.name)).map((p) => p.name);
    if (missing.length > 0) throw new Error(`the plan names tasks without a definition: ${missing.join(", ")}`);
    const taskOf = (name) => byName.get(name);
    const fireTimesOf = new Map(planned.map((p) => [p.name, p.fireTimes]));
    const fallbackBase = opts.base ?? opts.defaultBase ?? await defaultBranch(repo);
    const baseOf = (t) => opts.base ?? t.base ?? fallbackBase;
    if (!opts.onto) {
      const run = planned.map((p) => taskOf(p.name));
      const trusted = opts.trustedConfig ? [opts.trustedConfig.source] : [];
      prefetchTips(
        repo,
        [...run.map(baseOf), ...trusted],
        run.map((t) => t.branch),
        { state: opts.control !== void 0 }
        // the ledger's state ref comes with it
      );
    }
    const isolation = opts.isolation ?? "sandbox";
    const baseEnv = opts.env ?? process.env;
    const credential = !opts.agentFor && planned.some((p) => taskOf(p.name).kind === "claude") ? modelCredentialFrom(baseEnv) ?? (isolation === "sandbox" ? await loginCredential(baseEnv.HOME) : void 0) : void 0;
    const starting = credential ? startProxy(credential, baseEnv.ANTHROPIC_BASE_URL) : void 0;
    let sandbox;
    try {
      [, sandbox] = await Promise.all([
        assertRunnable(repo, opts),
        // Injected agents (tests, benchmarks) run in-process fakes: there is nothing to sandbox.
        opts.agentFor ? void 0 : createSandboxProvider({ isolation, env: baseEnv })
      ]);
    } catch (err) {
      await (await starting?.catch(() => void 0))?.[Symbol.asyncDispose]();
      throw err;
    }
    const proxy = __using(_stack, await starting, true);
    claudeSpawned = proxy?.preconnect;
    const agentBaseEnv = proxy ? { ...scrubbedEnv(baseEnv, { modelCredentials: false }), ...proxy.agentEnv } : baseEnv;
    if (isolation === "none") {
      logger.warn(
        "isolation: none \u2014 agents and task commands run without a sandbox: they can read this machine's credentials and change anything this user can"
      );
    }
    const runId = opts.runId ?? newRunId();
    const names = planned.map((p) => p.name);
    const log = runLogPath(state);
    const leftovers = agentsUp.then(() => {
      opts.publisher?.prepare?.();
      return warnAboutLeftovers(git, state, logger, runId);
    }).catch((err) => logger.debug(`could not list the worktrees: ${errorMessage(err)}`));
    await appendLog(log, {
      type: "run-start",
      runId,
      mode: opts.mode,
      tasks: names,
      pid: process.pid,
      at: (/* @__PURE__ */ new Date()).toISOString()
    });
    emit({ type: "run-start", runId, mode: opts.mode, tasks: names });
    const finished7 = /* @__PURE__ */ new Set();
    const finish = async (r) => {
      finished7.add(r.task);
      emit({ type: "task-end", task: r.task, status: r.status, message: r.message, result: r });
      await appendLog(log, taskEntry(runId, opts.mode, r)).catch(
        (err) => logger.warn(`could not write the run log: ${errorMessage(err)}`)
      );
      return r;
    };
    const results = await executeGraph({
      nodes: planned.map((p) => ({ name: p.name, needs: p.needs, if: p.if })),
      maxParallel: opts.maxParallel ?? 4,
      signal: opts.signal,
      outcome: (r) => outcomeOf(r.status) ?? "failure",
      skip: (name, reason) => skipped(taskOf(name), baseOf(taskOf(name)), reason, opts.signal),
      crash: (name, err) => ({
        ...skippedResult(name, taskOf(name).branch, baseOf(taskOf(name)), errorMessage(err)),
        status: "failed"
      }),
      run: async (name) => {
        const task = taskOf(name);
        const fireTimes = fireTimesOf.get(name) ?? [];
        const control = opts.control;
        const scheduled = fireTimes.length > 0;
        const admitCtx = {
          task,
          runId,
          scheduled,
          baseCommit: () => baseTip(repo, baseOf(task)),
          signal: opts.signal
        };
        const notRun = (admitted, extra = "") => {
          logger.info(`${name}: ${admitted.reason}`);
          return finish({
            ...skippedResult(name, task.branch, baseOf(task), `${admitted.reason}${extra}`),
            notRun: admitted.kind,
            ...scheduled ? { fireTimes } : {},
            ...opts.trigger ? { trigger: opts.trigger } : {}
          });
        };
        const attempt = (signal, admission, onSpawn) => runTask({
          repo,
          task,
          runId,
          base: baseOf(task),
          agent: opts.agentFor?.(task) ?? defaultAgentFor(task, { claudePath: opts.claudePath, killGraceMs: opts.killGraceMs }),
          env: agentBaseEnv,
          onto: opts.onto,
          ...opts.followUp ? { followUp: opts.followUp } : {},
          ...opts.localBaseFirst ? { localBaseFirst: true } : {},
          trustedConfig: opts.trustedConfig,
          publisher: opts.publisher,
          ...sandbox ? { sandbox } : {},
          emit: onSpawn ? (e) => {
            if (e.type === "agent" && e.event.type === "spawn") onSpawn();
            emit(e);
          } : emit,
          signal,
          trigger: opts.trigger,
          ...scheduled ? { fireTimes } : {},
          ...admission ? { admission } : {},
          ...control ? {
            settleInPush: (r, how) => control.settleInPush(task, runId, r, how)
          } : {}
        });
        if (control && !control.gatesStart(task, scheduled)) {
          const stop = new AbortController();
          const signal = opts.signal ? AbortSignal.any([opts.signal, stop.signal]) : stop.signal;
          const claimable = landingCanClaim(opts);
          let asked;
          let later;
          const ask = () => asked ??= control.admit(admitCtx, { once: true }).then(
            (a2) => {
              if (!a2.ok) stop.abort();
              return a2;
            },
            (err) => {
              stop.abort();
              throw err;
            }
          );
          const admission = {
            answer: ask,
            // from here on the timer below never fires (and a later spawn never sets another)
            agentEnded: () => clearTimeout(later),
            claimInPush: () => asked === void 0,
            claimed: () => {
              asked ??= Promise.resolve({ ok: true });
            }
          };
          const onSpawn = () => {
            if (!claimable) return void ask().catch(() => {
            });
            later ??= setTimeout(() => void ask().catch(() => {
            }), LOCK_AFTER_MS);
          };
          const first = await attempt(signal, admission, onSpawn).finally(() => clearTimeout(later));
          let admitted;
          try {
            admitted = await ask();
          } catch (err) {
            const kept2 = first.backup ? `; its work is in backup ${first.backup}` : "";
            return finish({
              ...first,
              status: "failed",
              message: `could not take the task's lock in ${STATE_REF}: ${errorMessage(err)}${kept2}`
            });
          }
          if (admitted.ok) {
            await control.settle(task, runId, first);
            return finish(first);
          }
          if ((first.agent?.costUsd ?? 0) > 0) await control.settle(task, runId, first);
          const kept = first.backup ? `; the stopped start's work is in backup ${first.backup}` : "";
          const again = await control.admit(admitCtx);
          if (!again.ok) return notRun(again, kept);
          logger.info(`${name}: the other run ended; starting again`);
        } else if (control) {
          const admitted = await control.admit(admitCtx);
          if (!admitted.ok) return notRun(admitted);
        }
        let result;
        try {
          result = await attempt(opts.signal);
        } finally {
          if (control) {
            const r = result ?? {
              ...skippedResult(name, task.branch, baseOf(task), "crashed"),
              status: "failed"
            };
            await control.settle(task, runId, r);
          }
        }
        return finish(result);
      }
    });
    anyAgentUp();
    await leftovers;
    const ordered = names.map((name) => results.get(name));
    for (const r of ordered) if (!finished7.has(r.task)) await finish(r);
    const report = await assembleReport({
      git,
      runId,
      mode: opts.mode,
      started,
      ...opts.trigger ? { trigger: opts.trigger } : {},
      results: ordered,
      isolation
    });
    await writeReport(state, report).catch(
      (err) => logger.warn(`could not write the run report: ${errorMessage(err)}`)
    );
    await appendLog(log, {
      type: "run-end",
      runId,
      ok: report.ok,
      durationMs: report.durationMs,
      at: (/* @__PURE__ */ new Date()).toISOString()
    });
    emit({ type: "run-end", ok: report.ok, durationMs: report.durationMs });
    return report;
  } catch (_) {
    var _error = _, _hasError = true;
  } finally {
    var _promise = __callDispose(_stack, _error, _hasError);
    _promise && await _promise;
  }
}
async function assertRunnable(repo, opts) {
  if (!repo.fromRemote) {
    const refs = await repo.git.run([
      "for-each-ref",
      "--count=1",
      "--format=%(refname)",
      "refs/heads",
      "refs/remotes"
    ]);
    if (!refs.stdout.trim())
      throw new UserError("the repository has no commits yet: commit the task files, then run again");
  }
  if (opts.base === void 0 || opts.onto) return;
  if (opts.localBaseFirst && repo.fromRemote && await localBase(repo, opts.base)) return;
  await baseTip(repo, opts.base);
}
function skipped(task, base, reason, signal) {
  const r = skippedResult(task.name, task.branch, base, reason);
  return signal?.aborted ? { ...r, status: "cancelled" } : r;
}
async function writeReport(state, report) {
  const dir = runReportDir(state, report.runId);
  await mkdir3(dir, { recursive: true });
  await (0, import_write_file_atomic.default)(join10(dir, "report.json"), `${JSON.stringify(report, null, 2)}
`);
  await (0, import_write_file_atomic.default)(join10(dir, "report.md"), renderRunMarkdown(report));
}
async function warnAboutLeftovers(git, state, logger, runId) {
  const leftovers = (await listWorktrees(git, { stateDir: state })).filter(
    (w) => w.ours && w.stale && !w.path.endsWith(`-${runId}`)
  );
  if (leftovers.length > 0) {
    logger.warn(
      `${leftovers.length} leftover worktree(s) from an interrupted run: ${leftovers.map((w) => w.path).join(", ")} \u2014 run \`claude-tasks worktrees --prune\` (their work is backed up first)`
    );
  }
}
async function startProxy(credential, upstream) {
  const proxy = await startModelProxy({ credential, ...upstream ? { upstream } : {} });
  return Object.assign(proxy, { [Symbol.asyncDispose]: () => proxy.close() });
}

export {
  scrubbedEnv,
  onExit,
  claudeAvailable,
  findOnPath,
  ontoPullRequest,
  pushesTo,
  effectiveDryRun,
  newRunId,
  holdsCredential,
  renderTaskMarkdown,
  renderRunMarkdown,
  probeBwrap,
  resetBwrapProbe,
  ISOLATIONS,
  createMutex,
  makeRepoContext,
  defaultBranch,
  baseTip,
  newResult,
  assembleReport,
  scanText,
  withholdSecrets,
  checkChange,
  refuseViolations,
  land,
  TRUSTED_CONFIG_PATHS,
  startingPoint,
  runTasks
};
