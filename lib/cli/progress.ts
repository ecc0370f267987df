/**
 * Progress display for long writes: a redrawn bar with throughput and ETA on a TTY, plain lines
 * (every 10%) otherwise, or nothing.
 */
import { formatBytes } from "../model/pipe.js";
import type { WriteProgress } from "../model/write.js";

export type ProgressMode = "tty" | "plain" | "none";

export interface Progress {
  update(p: WriteProgress): void;
  /** Ends the display (clears a TTY bar's line). */
  end(): void;
}

/** "0:42", "1:02:03". */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return "--:--";
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const mm = String(Math.floor((s % 3600) / 60)).padStart(h > 0 ? 2 : 1, "0");
  const ss = String(s % 60).padStart(2, "0");
  return h > 0 ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
}

/** Creates a progress display writing to `stream`. */
export function createProgress(mode: ProgressMode, stream: NodeJS.WritableStream & { columns?: number }, now = () => performance.now()): Progress {
  const start = now();
  let lastDraw = -Infinity;
  let lastDecile = 0; // the 0% line is not worth printing
  let drawn = false;
  const stats = (p: WriteProgress) => {
    const elapsed = (now() - start) / 1000;
    const rate = elapsed > 0 ? p.bytesWritten / elapsed : 0;
    const fraction = p.totalBytes > 0 ? p.bytesWritten / p.totalBytes : 1;
    const eta = rate > 0 && elapsed >= 0.5 ? (p.totalBytes - p.bytesWritten) / rate : Infinity; // no guess from the first instant
    return { elapsed, rate, fraction, eta };
  };
  if (mode === "none") return { update() {}, end() {} };
  if (mode === "plain") {
    return {
      update(p) {
        const { rate, fraction, eta } = stats(p);
        const decile = Math.floor(fraction * 10);
        if (p.phase === "write" && decile <= lastDecile) return;
        lastDecile = decile;
        const what = p.phase === "sync" ? "written, syncing to disk" : p.phase === "done" ? "done" : `tensor ${p.tensorsDone}/${p.tensorCount}`;
        stream.write(`nninit: ${(fraction * 100).toFixed(0)}% ${formatBytes(p.bytesWritten)} / ${formatBytes(p.totalBytes)}, ${formatBytes(rate)}/s, ETA ${formatDuration(eta)} (${what})\n`);
      },
      end() {},
    };
  }
  return {
    update(p) {
      const t = now();
      if (p.phase === "write" && t - lastDraw < 100) return;
      lastDraw = t;
      const { rate, fraction, eta } = stats(p);
      const tail = p.phase === "sync" ? " syncing to disk..." : p.phase === "done" ? " done" : ` ETA ${formatDuration(eta)}`;
      const text = ` ${(fraction * 100).toFixed(1).padStart(5)}% ${formatBytes(p.bytesWritten)}/${formatBytes(p.totalBytes)} ${formatBytes(rate)}/s${tail}`;
      const width = Math.max(10, Math.min(40, (stream.columns ?? 80) - text.length - 3));
      const full = Math.round(fraction * width);
      stream.write(`\r\x1b[2K[${"#".repeat(full)}${".".repeat(width - full)}]${text}`);
      drawn = true;
    },
    end() {
      if (drawn) stream.write("\n");
      drawn = false;
    },
  };
}
