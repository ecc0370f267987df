/**
 * The README chart, as hand-written SVG (no dependency): one row per method, two panels.
 * Left: speed-up over TensorFlow.js (log scale) at the largest size tfjs ran. Right: fraction of
 * Float32Array.prototype.fill at the largest size, with the fill (1.0) and the streaming-store
 * limit marked. Bars: native all threads, native 1 thread, wasm (1 thread), pure TS.
 */
import { baselineRate, derive, distinct, find, type Derived } from "./derive.js";
import * as fmt from "./format.js";
import type { BenchResult, ImplId } from "./types.js";

const SERIES: { impl: ImplId; label: string; color: string }[] = [
  { impl: "native-nt", label: "native, all threads", color: "#1f5fbf" },
  { impl: "native-1t", label: "native, 1 thread", color: "#7fa8e6" },
  { impl: "wasm", label: "wasm (1 thread)", color: "#3a9a5b" },
  { impl: "js", label: "pure TS fallback", color: "#e69a28" },
];

const ROW = 38;
const BAR = 7;
const TOP = 74;
const LABEL_W = 130;
const PANEL_W = 330;
const GAP = 60;
const LEFT_X = LABEL_W + 10;
const RIGHT_X = LEFT_X + PANEL_W + GAP;
const WIDTH = RIGHT_X + PANEL_W + 50;

function esc(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function text(x: number, y: number, s: string, attrs = ""): string {
  return `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" ${attrs}>${esc(s)}</text>`;
}

function line(x1: number, y1: number, x2: number, y2: number, attrs: string): string {
  return `<line x1="${x1.toFixed(1)}" y1="${y1}" x2="${x2.toFixed(1)}" y2="${y2}" ${attrs}/>`;
}

interface Panel {
  x0: number;
  title: string;
  ticks: { v: number; label: string }[];
  pos(v: number): number;
  origin: number;
  value(d: Derived): number | null;
  label(v: number): string;
  marks: { v: number; label: string; dash: boolean }[];
}

function logPanel(rows: Derived[], x0: number, title: string): Panel {
  const vals = rows.map((d) => d.vsTfjs).filter((v): v is number => v !== null && v > 0);
  const lo = Math.min(0, Math.floor(Math.log10(Math.min(1, ...vals))));
  const hi = Math.max(1, Math.ceil(Math.log10(Math.max(10, ...vals))));
  const pos = (v: number): number => x0 + ((Math.log10(v) - lo) / (hi - lo)) * PANEL_W;
  const ticks = Array.from({ length: hi - lo + 1 }, (_, i) => ({ v: 10 ** (lo + i), label: `${10 ** (lo + i)}×` }));
  return { x0, title, ticks, pos, origin: pos(1), value: (d) => d.vsTfjs, label: fmt.ratio, marks: [] };
}

function linearPanel(rows: Derived[], x0: number, title: string, streamVsFill: number | null): Panel {
  const vals = rows.map((d) => d.vsFill ?? 0);
  const hi = Math.max(1, Math.ceil(Math.max(...vals, streamVsFill ?? 0) * 2) / 2);
  const pos = (v: number): number => x0 + (v / hi) * PANEL_W;
  const step = hi > 4 ? 1 : 0.5;
  const ticks = Array.from({ length: Math.floor(hi / step) + 1 }, (_, i) => ({ v: i * step, label: String(i * step) }));
  const marks = [{ v: 1, label: "Float32Array.fill", dash: false }];
  if (streamVsFill !== null) marks.push({ v: streamVsFill, label: "streaming-store limit", dash: true });
  return { x0, title, ticks, pos, origin: pos(0), value: (d) => d.vsFill, label: (v) => fmt.ratio(v).slice(0, -1), marks };
}

function drawPanel(p: Panel, methods: string[], pick: (m: string, impl: ImplId) => Derived | undefined, bottom: number): string[] {
  const out = [text(p.x0, TOP - 34, p.title, 'font-weight="bold"')];
  for (const t of p.ticks) {
    const x = p.pos(t.v);
    out.push(line(x, TOP - 8, x, bottom, 'stroke="#ddd"'), text(x, bottom + 14, t.label, 'text-anchor="middle" fill="#555"'));
  }
  for (const mk of p.marks) {
    const x = p.pos(mk.v);
    out.push(line(x, TOP - 8, x, bottom, `stroke="#333"${mk.dash ? ' stroke-dasharray="4 3"' : ""}`));
    out.push(text(x, TOP - (mk.dash ? 12 : 22), mk.label, `text-anchor="${mk.dash ? "middle" : "end"}" fill="#333" font-size="10"`));
  }
  methods.forEach((m, i) => {
    SERIES.forEach((s, j) => {
      const d = pick(m, s.impl);
      const v = d === undefined ? null : p.value(d);
      if (v === null || v <= 0) return;
      const y = TOP + i * ROW + 4 + j * (BAR + 1);
      const a = Math.min(p.origin, p.pos(v));
      const b = Math.max(p.origin, p.pos(v));
      out.push(`<rect x="${a.toFixed(1)}" y="${y}" width="${Math.max(1, b - a).toFixed(1)}" height="${BAR}" fill="${s.color}"/>`);
      out.push(text(b + 3, y + BAR - 0.5, p.label(v), 'font-size="9" fill="#333"'));
    });
  });
  return out;
}

export function chartSvg(r: BenchResult): string {
  const rows = derive(r);
  const size = Math.max(...r.config.sizes);
  const tfjsSizes = rows.filter((d) => d.impl === "tfjs").map((d) => d.size);
  const tfjsSize = tfjsSizes.length === 0 ? size : Math.max(...tfjsSizes);
  const methods = distinct(rows.map((d) => d.method));
  const bottom = TOP + methods.length * ROW;
  const fill = baselineRate(r.baselines, "fill", size);
  const stream = baselineRate(r.baselines, "stream", size);
  const atTfjs = rows.filter((d) => d.size === tfjsSize && d.impl !== "tfjs");
  const atMax = rows.filter((d) => d.size === size && d.impl !== "tfjs");
  const left = logPanel(atTfjs, LEFT_X, `Speed-up over TensorFlow.js (CPU), ${fmt.size(tfjsSize)} elements, log scale`);
  const right = linearPanel(atMax, RIGHT_X, `Fraction of Float32Array.fill, ${fmt.size(size)} elements`,
    fill !== null && stream !== null ? stream / fill : null);
  const height = bottom + 64;
  const body = [
    `<rect width="${WIDTH}" height="${height}" fill="#fff"/>`,
    text(10, 18, `nninit ${r.config.quick ? "(--quick) " : ""}— ${r.machine.cpu}, ${r.machine.cores} cores, Node ${r.machine.node}, backend ${r.machine.backend.name}${r.machine.backend.isa ? ` (${r.machine.backend.isa})` : ""}, ${r.date}`, 'font-size="12" fill="#333"'),
    ...methods.map((m, i) => text(LABEL_W, TOP + i * ROW + 16, m, 'text-anchor="end"')),
    ...drawPanel(left, methods, (m, impl) => find(atTfjs, m, impl, tfjsSize), bottom),
    ...drawPanel(right, methods, (m, impl) => find(atMax, m, impl, size), bottom),
    ...SERIES.flatMap((s, j) => {
      const x = LEFT_X + j * 200;
      return [`<rect x="${x}" y="${bottom + 30}" width="12" height="10" fill="${s.color}"/>`, text(x + 16, bottom + 39, s.label)];
    }),
  ];
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="Helvetica, Arial, sans-serif" font-size="11">`,
    ...body.map((l) => `  ${l}`),
    "</svg>",
    "",
  ].join("\n");
}
