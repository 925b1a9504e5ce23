import { styleText } from "node:util";

type Format = Parameters<typeof styleText>[0];

/** Colour only when stdout is a TTY and NO_COLOR is not set (styleText checks both for the stream). */
export function paint(format: Format, text: string, stream: NodeJS.WriteStream = process.stdout): string {
  return styleText(format, text, { stream });
}

export function print(text = ""): void {
  process.stdout.write(`${text}\n`);
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function printErr(text: string): void {
  process.stderr.write(`${text}\n`);
}
