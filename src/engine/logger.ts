/** One logger interface for the engine; adapters pass their own (Actions annotations, terminal). */
export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export const silentLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
};

/** Writes to stderr so that stdout stays clean for `--json` output. */
export function stderrLogger(opts: { verbose?: boolean } = {}): Logger {
  const write = (s: string) => process.stderr.write(`${s}\n`);
  return {
    debug: (m) => {
      if (opts.verbose) write(m);
    },
    info: write,
    warn: (m) => write(`warning: ${m}`),
    error: (m) => write(`error: ${m}`),
  };
}
