/** The terminal text of a doctor report: one line per check, its fix and details indented below. */
import { CHECK_ICON, type CheckStatus, type DoctorReport } from "./types.ts";

type Paint = (format: "red" | "yellow" | "green" | "dim" | "bold", text: string) => string;

const COLOUR: Record<CheckStatus, "green" | "yellow" | "red" | "dim"> = {
  ok: "green",
  warn: "yellow",
  fail: "red",
  skip: "dim",
};

export function renderDoctor(report: DoctorReport, paint: Paint = (_f, t) => t): string {
  const width = Math.max(...report.checks.map((c) => c.title.length));
  const lines: string[] = [];
  for (const c of report.checks) {
    lines.push(`${CHECK_ICON[c.status]} ${paint("bold", c.title.padEnd(width))}  ${c.message}`);
    for (const d of c.details ?? []) lines.push(`     ${paint("dim", d)}`);
    if (c.fix && (c.status === "fail" || c.status === "warn"))
      lines.push(`     ${paint(COLOUR[c.status], `fix: ${c.fix}`)}`);
  }
  const count = (s: CheckStatus) => report.checks.filter((c) => c.status === s).length;
  const parts = [`${count("ok")} ok`];
  if (count("warn")) parts.push(`${count("warn")} warning(s)`);
  if (count("fail")) parts.push(`${count("fail")} failed`);
  if (count("skip")) parts.push(`${count("skip")} skipped`);
  lines.push("", paint(report.ok ? "green" : "red", parts.join(", ")));
  return lines.join("\n");
}
