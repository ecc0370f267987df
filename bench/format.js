"use strict";
/** Number formatting shared by the text table, the Markdown and the chart. */
Object.defineProperty(exports, "__esModule", { value: true });
exports.size = size;
exports.rate = rate;
exports.ratio = ratio;
exports.bytes = bytes;
exports.textTable = textTable;
exports.mdTable = mdTable;
exports.progress = progress;
/** 1024 → "1 Ki", 67108864 → "64 Mi". */
function size(n) {
    if (n >= 2 ** 20 && n % 2 ** 20 === 0)
        return `${n / 2 ** 20} Mi`;
    if (n >= 2 ** 10 && n % 2 ** 10 === 0)
        return `${n / 2 ** 10} Ki`;
    return String(n);
}
/** Elements per second: "5.10 G/s", "44.2 M/s", "850 k/s". */
function rate(r) {
    if (r >= 1e9)
        return `${(r / 1e9).toFixed(2)} G/s`;
    if (r >= 1e6)
        return `${(r / 1e6).toPrecision(3)} M/s`;
    return `${(r / 1e3).toPrecision(3)} k/s`;
}
/** A ratio: "0.93×", "12.4×", "1510×". */
function ratio(x) {
    if (x === null)
        return "–";
    if (x >= 100)
        return `${Math.round(x)}×`;
    if (x >= 10)
        return `${x.toFixed(1)}×`;
    if (x >= 0.1)
        return `${x.toFixed(2)}×`;
    return `${x.toPrecision(2)}×`;
}
/** Bytes: "0", "12 KiB", "64.0 MiB". */
function bytes(b) {
    if (b === null)
        return "n/a";
    if (b < 1024)
        return b === 0 ? "0" : `${b} B`;
    if (b < 2 ** 20)
        return `${Math.round(b / 1024)} KiB`;
    return `${(b / 2 ** 20).toFixed(1)} MiB`;
}
/** A plain-text table with right-aligned numeric columns (all but the first `left`). */
function textTable(head, rows, left = 1) {
    const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    const line = (cells) => cells.map((c, i) => (i < left ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ").trimEnd();
    return [line(head), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}
/** A Markdown table; columns after the first `left` are right-aligned. */
function mdTable(head, rows, left = 1) {
    const esc = (c) => c.replace(/\|/g, "\\|");
    return [
        `| ${head.map(esc).join(" | ")} |`,
        `|${head.map((_, i) => (i < left ? "---" : "--:")).join("|")}|`,
        ...rows.map((r) => `| ${r.map(esc).join(" | ")} |`),
    ].join("\n");
}
/** A progress line: "js normal 64 Ki: 44.2 M/s". */
function progress(label, n, t) {
    return `${label} ${size(n)}: ${rate(n / t.medianS)}`;
}
