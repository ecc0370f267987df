"use strict";
var __createBinding = (this && this.__createBinding) || (Object.create ? (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    var desc = Object.getOwnPropertyDescriptor(m, k);
    if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
      desc = { enumerable: true, get: function() { return m[k]; } };
    }
    Object.defineProperty(o, k2, desc);
}) : (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    o[k2] = m[k];
}));
var __setModuleDefault = (this && this.__setModuleDefault) || (Object.create ? (function(o, v) {
    Object.defineProperty(o, "default", { enumerable: true, value: v });
}) : function(o, v) {
    o["default"] = v;
});
var __importStar = (this && this.__importStar) || (function () {
    var ownKeys = function(o) {
        ownKeys = Object.getOwnPropertyNames || function (o) {
            var ar = [];
            for (var k in o) if (Object.prototype.hasOwnProperty.call(o, k)) ar[ar.length] = k;
            return ar;
        };
        return ownKeys(o);
    };
    return function (mod) {
        if (mod && mod.__esModule) return mod;
        var result = {};
        if (mod != null) for (var k = ownKeys(mod), i = 0; i < k.length; i++) if (k[i] !== "default") __createBinding(result, mod, k[i]);
        __setModuleDefault(result, mod);
        return result;
    };
})();
Object.defineProperty(exports, "__esModule", { value: true });
exports.chartSvg = chartSvg;
/**
 * The README chart, as hand-written SVG (no dependency): one row per method, two panels.
 * Left: speed-up over TensorFlow.js (log scale) at the largest size tfjs ran. Right: fraction of
 * Float32Array.prototype.fill at the largest size, with the fill (1.0) and the streaming-store
 * limit marked. Bars: native all threads, native 1 thread, wasm (1 thread), pure TS.
 */
const derive_js_1 = require("./derive.js");
const fmt = __importStar(require("./format.js"));
const SERIES = [
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
function esc(s) {
    return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
function text(x, y, s, attrs = "") {
    return `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" ${attrs}>${esc(s)}</text>`;
}
function line(x1, y1, x2, y2, attrs) {
    return `<line x1="${x1.toFixed(1)}" y1="${y1}" x2="${x2.toFixed(1)}" y2="${y2}" ${attrs}/>`;
}
function logPanel(rows, x0, title) {
    const vals = rows.map((d) => d.vsTfjs).filter((v) => v !== null && v > 0);
    const lo = Math.min(0, Math.floor(Math.log10(Math.min(1, ...vals))));
    const hi = Math.max(1, Math.ceil(Math.log10(Math.max(10, ...vals))));
    const pos = (v) => x0 + ((Math.log10(v) - lo) / (hi - lo)) * PANEL_W;
    const ticks = Array.from({ length: hi - lo + 1 }, (_, i) => ({ v: 10 ** (lo + i), label: `${10 ** (lo + i)}×` }));
    return { x0, title, ticks, pos, origin: pos(1), value: (d) => d.vsTfjs, label: fmt.ratio, marks: [] };
}
function linearPanel(rows, x0, title, streamVsFill) {
    const vals = rows.map((d) => d.vsFill ?? 0);
    const hi = Math.max(1, Math.ceil(Math.max(...vals, streamVsFill ?? 0) * 2) / 2);
    const pos = (v) => x0 + (v / hi) * PANEL_W;
    const step = hi > 4 ? 1 : 0.5;
    const ticks = Array.from({ length: Math.floor(hi / step) + 1 }, (_, i) => ({ v: i * step, label: String(i * step) }));
    const marks = [{ v: 1, label: "Float32Array.fill", dash: false }];
    if (streamVsFill !== null)
        marks.push({ v: streamVsFill, label: "streaming-store limit", dash: true });
    return { x0, title, ticks, pos, origin: pos(0), value: (d) => d.vsFill, label: (v) => fmt.ratio(v).slice(0, -1), marks };
}
function drawPanel(p, methods, pick, bottom) {
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
            if (v === null || v <= 0)
                return;
            const y = TOP + i * ROW + 4 + j * (BAR + 1);
            const a = Math.min(p.origin, p.pos(v));
            const b = Math.max(p.origin, p.pos(v));
            out.push(`<rect x="${a.toFixed(1)}" y="${y}" width="${Math.max(1, b - a).toFixed(1)}" height="${BAR}" fill="${s.color}"/>`);
            out.push(text(b + 3, y + BAR - 0.5, p.label(v), 'font-size="9" fill="#333"'));
        });
    });
    return out;
}
function chartSvg(r) {
    const rows = (0, derive_js_1.derive)(r);
    const size = Math.max(...r.config.sizes);
    const tfjsSizes = rows.filter((d) => d.impl === "tfjs").map((d) => d.size);
    const tfjsSize = tfjsSizes.length === 0 ? size : Math.max(...tfjsSizes);
    const methods = (0, derive_js_1.distinct)(rows.map((d) => d.method));
    const bottom = TOP + methods.length * ROW;
    const fill = (0, derive_js_1.baselineRate)(r.baselines, "fill", size);
    const stream = (0, derive_js_1.baselineRate)(r.baselines, "stream", size);
    const atTfjs = rows.filter((d) => d.size === tfjsSize && d.impl !== "tfjs");
    const atMax = rows.filter((d) => d.size === size && d.impl !== "tfjs");
    const left = logPanel(atTfjs, LEFT_X, `Speed-up over TensorFlow.js (CPU), ${fmt.size(tfjsSize)} elements, log scale`);
    const right = linearPanel(atMax, RIGHT_X, `Fraction of Float32Array.fill, ${fmt.size(size)} elements`, fill !== null && stream !== null ? stream / fill : null);
    const height = bottom + 64;
    const body = [
        `<rect width="${WIDTH}" height="${height}" fill="#fff"/>`,
        text(10, 18, `nninit ${r.config.quick ? "(--quick) " : ""}— ${r.machine.cpu}, ${r.machine.cores} cores, Node ${r.machine.node}, backend ${r.machine.backend.name}${r.machine.backend.isa ? ` (${r.machine.backend.isa})` : ""}, ${r.date}`, 'font-size="12" fill="#333"'),
        ...methods.map((m, i) => text(LABEL_W, TOP + i * ROW + 16, m, 'text-anchor="end"')),
        ...drawPanel(left, methods, (m, impl) => (0, derive_js_1.find)(atTfjs, m, impl, tfjsSize), bottom),
        ...drawPanel(right, methods, (m, impl) => (0, derive_js_1.find)(atMax, m, impl, size), bottom),
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
