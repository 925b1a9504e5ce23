/** Small, shared formatting of numbers for every renderer. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return "–";
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, "0")}m`;
}

export function formatCost(usd: number | undefined): string {
  if (usd === undefined) return "–";
  return `$${usd.toFixed(usd !== 0 && usd < 0.01 ? 4 : 2)}`;
}

export const STATUS_ICON: Record<string, string> = {
  success: "✅",
  no_changes: "➖",
  failed: "❌",
  timeout: "⏱️",
  max_turns: "🔁",
  refused: "🛡️",
  conflict: "⚔️",
  skipped: "⏭️",
  cancelled: "🛑",
};
