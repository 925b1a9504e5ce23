/** Bounded output handling: a line splitter that never holds more than a cap, and a byte-bounded tail. */
import { StringDecoder } from "node:string_decoder";

export const DEFAULT_TAIL_BYTES = 64 * 1024;
/** Lines longer than this are cut in the tail. */
export const TAIL_LINE_CHARS = 4 * 1024;

/**
 * Splits a byte stream into lines as it arrives. A line longer than `maxLineChars` is cut: the
 * callback gets its first `maxLineChars` characters and `truncated = true`; the rest is counted,
 * never stored, so memory stays bounded whatever the child prints.
 */
export class LineSplitter {
  readonly #decoder = new StringDecoder("utf8");
  readonly #maxLineChars: number;
  readonly #onLine: (line: string, truncated: boolean) => void;
  #pending = "";
  #overflow = false;

  constructor(maxLineChars: number, onLine: (line: string, truncated: boolean) => void) {
    this.#maxLineChars = maxLineChars;
    this.#onLine = onLine;
  }

  write(chunk: Buffer | string): void {
    const text = typeof chunk === "string" ? chunk : this.#decoder.write(chunk);
    let start = 0;
    for (;;) {
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
  end(): void {
    this.#append(this.#decoder.end());
    if (this.#pending.length > 0 || this.#overflow) this.#emit();
  }

  #append(part: string): void {
    if (this.#overflow || part.length === 0) return;
    const room = this.#maxLineChars - this.#pending.length;
    if (part.length > room) {
      this.#pending += part.slice(0, room);
      this.#overflow = true;
    } else {
      this.#pending += part;
    }
  }

  #emit(): void {
    const line = this.#pending.endsWith("\r") ? this.#pending.slice(0, -1) : this.#pending;
    const truncated = this.#overflow;
    this.#pending = "";
    this.#overflow = false;
    this.#onLine(line, truncated);
  }
}

/** Keeps the last `maxBytes` (approximately, counted in UTF-16 units) of lines. */
export class TailBuffer {
  readonly #maxChars: number;
  readonly #lineChars: number;
  #lines: string[] = [];
  #head = 0;
  #size = 0;
  #dropped = false;

  constructor(maxChars = DEFAULT_TAIL_BYTES, lineChars = TAIL_LINE_CHARS) {
    this.#maxChars = maxChars;
    this.#lineChars = lineChars;
  }

  push(line: string, truncated = false): void {
    let text = line;
    if (text.length > this.#lineChars || truncated) {
      // A copy, not a slice: V8 slices keep the whole (maybe megabytes long) line alive.
      text = `${copyString(text.slice(0, this.#lineChars))} … [line truncated]`;
    }
    this.#lines.push(text);
    this.#size += text.length + 1;
    while (this.#size > this.#maxChars && this.#head < this.#lines.length - 1) {
      this.#size -= (this.#lines[this.#head]?.length ?? 0) + 1;
      this.#lines[this.#head] = ""; // dropped: let it go now, not at the next compaction
      this.#head++;
      this.#dropped = true;
    }
    // Compact now and then so the array does not grow with every line ever seen.
    if (this.#head > 1024 && this.#head * 2 > this.#lines.length) {
      this.#lines = this.#lines.slice(this.#head);
      this.#head = 0;
    }
  }

  /** The last lines, `n` at most. */
  lastLines(n: number): string[] {
    const start = Math.max(this.#head, this.#lines.length - n);
    return this.#lines.slice(start);
  }

  toString(): string {
    const body = this.#lines.slice(this.#head).join("\n");
    return this.#dropped ? `[… earlier output omitted]\n${body}` : body;
  }
}

/** Cuts a string to `max` characters with an ellipsis. */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;
}

/** Keeps the last `max` characters, marking the cut at the start. */
export function truncateStart(text: string, max: number): string {
  return text.length <= max ? text : `…${text.slice(text.length - max + 1)}`;
}

/** One line for humans: whitespace collapsed, bounded. */
export function oneLine(text: string, max = 500): string {
  return truncate(text.replace(/\s+/g, " ").trim(), max);
}

/** `20m`, `90s`, `1500ms`: how a timeout reads in an error message. */
export function formatDuration(ms: number): string {
  if (ms > 0 && ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms > 0 && ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms > 0 && ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}

/** A string with its own storage (not a V8 slice or rope that keeps a larger string alive). */
function copyString(s: string): string {
  return Buffer.from(s, "utf8").toString("utf8");
}
