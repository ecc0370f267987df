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
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
/**
 * nninit in a browser (docs/browser.md): the example page examples/browser/ is bundled with esbuild
 * from the package as a bundler sees it (its name resolves through package.json "exports", and the
 * "browser" field swaps in dist/backend/*.browser.js), served from 127.0.0.1 and loaded in headless
 * Chromium through playwright-core. Checked:
 *   - the bundles hold no node: module, no Node builtin, no native loader (esbuild's metafile),
 *     and nninit bundled alone (no tfjs) reads no `process`, `Buffer` or `require` (the output);
 *   - the page runs the wasm backend and its fills for fixed seeds (float32, float64, float16,
 *     bfloat16; sync and promises) are the bytes Node's nninit computes for the same calls;
 *   - a tfjs model built with nninit/tfjs in the page has the weight bytes of the same model built here;
 *   - Vite builds nninit alone with no Node builtin stubbed, and the page with no node: import;
 *     its page gives the same results.
 * Needs Debian's chromium (/usr/bin/chromium, or NNINIT_CHROMIUM); without it the test skips with
 * the reason, unless NNINIT_REQUIRE_SHIP=1 (set by .ci/run): then it fails. It uses dist/ (the
 * package as shipped), so dist/ must be built from the current lib/ (npm test builds it first).
 * Runs once, in the unforced run: with NNINIT_BACKEND/NNINIT_ISA set (CI's reruns) it is skipped.
 */
const tap_1 = __importDefault(require("tap"));
const node_crypto_1 = require("node:crypto");
const node_fs_1 = require("node:fs");
const node_http_1 = require("node:http");
const node_module_1 = require("node:module");
const node_path_1 = require("node:path");
const esbuild = __importStar(require("esbuild"));
const index_js_1 = require("../lib/index.js");
const promises_js_1 = require("../lib/promises.js");
const root = (0, node_path_1.resolve)(__dirname, "..");
const pageDir = (0, node_path_1.join)(root, "examples", "browser");
const chromiumPath = process.env.NNINIT_CHROMIUM ?? "/usr/bin/chromium";
const required = process.env.NNINIT_REQUIRE_SHIP === "1";
const forced = ["NNINIT_BACKEND", "NNINIT_ISA"].filter((name) => (process.env[name] ?? "") !== "");
// ---- what Node computes: the page's cases (examples/browser/main.js), written out again here ----
const N = 4099;
/** name -> the fill; the page must list the same names with the same calls. */
const FILLS = {
    "normal f32 seed 1": () => (0, index_js_1.normal)(new Float32Array(N), { std: 0.02, seed: 1 }),
    "normal f64 seed 2": () => (0, index_js_1.normal)(new Float64Array(N), { mean: 1, std: 3, seed: 2 }),
    "normal float16 seed 3": () => (0, index_js_1.normal)(new Uint16Array(N), { dtype: "float16", seed: 3 }),
    "normal bfloat16 seed 4": () => (0, index_js_1.normal)(new Uint16Array(N), { dtype: "bfloat16", seed: 4 }),
    "truncNormal f32 seed 5": () => (0, index_js_1.truncNormal)(new Float32Array(N), { std: 0.5, a: -1, b: 1, seed: 5 }),
    "uniform f32 seed 6": () => (0, index_js_1.uniform)(new Float32Array(N), { low: -2, high: 3, seed: 6 }),
    "uniform f32 seed 7 offset 1000": () => (0, index_js_1.uniform)(new Float32Array(N), { seed: 7, offset: 1000 }),
    "xavierUniform 64x64 seed 8": () => (0, index_js_1.xavierUniform)(new Float32Array(64 * 64), [64, 64], { seed: 8 }),
    "orthogonal 48x32 seed 9": () => (0, index_js_1.orthogonal)(new Float32Array(48 * 32), [48, 32], { seed: 9 }),
    "normal f32 generator 10, 2nd call": () => {
        const g = new index_js_1.Generator(10);
        (0, index_js_1.normal)(new Float32Array(16), { generator: g });
        return (0, index_js_1.normal)(new Float32Array(N), { generator: g });
    },
    "normal f32 300000 seed 11": () => (0, index_js_1.normal)(new Float32Array(300000), { seed: 11 }),
    "promises kaimingNormal 128x64 seed 12": () => (0, promises_js_1.kaimingNormal)(new Float32Array(128 * 64), [128, 64], { seed: 12 }),
    "promises normal f32 1000000 seed 13": () => (0, promises_js_1.normal)(new Float32Array(1000000), { seed: 13, threads: 2 }),
    "promises truncNormal bfloat16 700001 seed 14 offset 5": () => (0, promises_js_1.truncNormal)(new Uint16Array(700001), { dtype: "bfloat16", seed: 14, offset: 5 }),
};
function sha256(a) {
    return (0, node_crypto_1.createHash)("sha256").update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength)).digest("hex");
}
/** The page's model built here with nninit/tfjs (the same layers and initializers): [shape, sha256] per weight. */
function nodeModelWeights() {
    // required here, not imported: tfjs takes a second or two to load, and only the Chromium test needs it
    const tf = require("@tensorflow/tfjs");
    const nt = require("../lib/tfjs/index.js");
    const model = tf.sequential();
    model.add(tf.layers.conv2d({ inputShape: [16, 16, 3], filters: 8, kernelSize: 3, activation: "relu",
        kernelInitializer: nt.heNormal({ seed: 21 }), biasInitializer: nt.randomNormal({ stddev: 0.01, seed: 22 }) }));
    model.add(tf.layers.flatten());
    model.add(tf.layers.dense({ units: 64, activation: "relu", kernelInitializer: nt.glorotUniform({ seed: 23 }) }));
    model.add(tf.layers.dense({ units: 10, kernelInitializer: nt.orthogonal({ seed: 24 }) }));
    const weights = model.weights.map((w) => ({ shape: w.shape, sha256: sha256(w.read().dataSync()) }));
    model.dispose();
    return weights;
}
// ---- bundling --------------------------------------------------------------------------------
const NODE_BUILTINS = new Set(node_module_1.builtinModules.flatMap((m) => [m, `node:${m}`]));
/** What in an esbuild metafile is Node-only: node:/builtin modules, the native loader, nninit's Node host files. */
function nodeOnlyInputs(meta) {
    const bad = [];
    for (const [file, input] of Object.entries(meta.inputs)) {
        // "(disabled):util" is a module a package's own "browser" field replaced by {} (tfjs does): not loaded
        if (NODE_BUILTINS.has(file) || /node-gyp-build|\.node$/.test(file))
            bad.push(file);
        if (/(^|\/)dist\/backend\/(native|host)\.js$/.test(file))
            bad.push(`${file} (nninit's Node version)`);
        for (const imp of input.imports)
            if (imp.external || imp.path.startsWith("node:"))
                bad.push(`${file} imports ${imp.path}`);
    }
    return bad;
}
/** Bundles `entry` for the browser with esbuild, in memory; its metafile's paths are relative to the package root. */
async function bundle(entry) {
    const result = await esbuild.build({
        entryPoints: [entry], absWorkingDir: root,
        bundle: true, platform: "browser", format: "esm", target: "es2022", write: false, metafile: true, logLevel: "silent",
        outfile: (0, node_path_1.join)(pageDir, "dist", "main.js"), // not written: the name only
    });
    return { js: result.outputFiles[0].text, meta: result.metafile };
}
/**
 * The dist/ files of a bundle whose lib/ source is newer (or missing): then the bundle is not
 * the package that lib/ gives, and its bytes would be compared with another version's.
 */
function staleInputs(meta) {
    const stale = [];
    for (const file of Object.keys(meta.inputs)) {
        if (!file.startsWith("dist/"))
            continue;
        const source = (0, node_path_1.join)(root, "lib", file.slice("dist/".length).replace(/\.js$/, ".ts"));
        if (!(0, node_fs_1.existsSync)(source) || (0, node_fs_1.statSync)(source).mtimeMs > (0, node_fs_1.statSync)((0, node_path_1.join)(root, file)).mtimeMs)
            stale.push(file);
    }
    return stale;
}
/** Serves examples/browser/index.html, with /dist/main.js the bundle `js`, on 127.0.0.1 (any free port). */
async function serve(js) {
    const html = (0, node_fs_1.readFileSync)((0, node_path_1.join)(pageDir, "index.html"));
    const server = (0, node_http_1.createServer)((req, res) => {
        const path = (req.url ?? "/").split("?")[0];
        if (path === "/" || path === "/index.html")
            res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(html);
        else if (path === "/dist/main.js")
            res.writeHead(200, { "content-type": "text/javascript; charset=utf-8" }).end(js());
        else
            res.writeHead(404).end();
    });
    await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
    return { server, url: `http://127.0.0.1:${server.address().port}/` };
}
/**
 * Loads the page and returns what it left in window.nninitResult; an uncaught error (say, a module
 * that throws at load, so that the page never sets it) ends the wait at once and is in `error`.
 */
async function runPage(browser, url) {
    const page = await browser.newPage();
    const problems = [];
    let failed = () => { };
    const uncaught = new Promise((_, reject) => (failed = reject));
    uncaught.catch(() => { }); // observed below, or not at all when the page succeeds
    page.on("pageerror", (err) => {
        problems.push(`pageerror: ${err.message}`);
        failed(err);
    });
    page.on("console", (msg) => void (msg.type() === "error" && problems.push(`console.error: ${msg.text()}`)));
    try {
        await page.goto(url);
        await Promise.race([
            page.waitForFunction(() => globalThis.nninitResult !== undefined, null, { timeout: 60_000 }),
            uncaught,
        ]).catch((err) => problems.push(`the page set no result: ${err.message}`));
        const result = ((await page.evaluate(() => globalThis.nninitResult)) ?? {});
        if (problems.length > 0)
            result.error = [result.error, ...problems].filter(Boolean).join("\n");
        return result;
    }
    finally {
        await page.close();
    }
}
/** The checks on one bundle's page (`label`: which bundler made it). */
function checkPage(t, label, got, expected) {
    t.equal(got.error, undefined, `${label}: the page ran without errors`);
    t.equal(got.backend?.name, "wasm", `${label}: the page reports backend "wasm"`);
    t.equal(got.backend?.isa, "simd128", `${label}: isa simd128`);
    t.match(got.backend?.loadError, /native backend does not run in a browser/, `${label}: loadError says why not native`);
    t.same(Object.keys(got.fills ?? {}).sort(), Object.keys(expected.fills).sort(), `${label}: the page computes the same cases`);
    for (const [name, hash] of Object.entries(expected.fills)) {
        t.equal(got.fills?.[name]?.sha256, hash, `${label}: "${name}" has Node's bytes`);
    }
    t.ok(typeof got.asyncTurns === "number" && got.asyncTurns > 0, `${label}: the page's event loop turned (${got.asyncTurns} times) while a large nninit/promises fill ran: it ran on Web Workers`);
    t.same(got.weights?.map((w) => ({ shape: w.shape, sha256: w.sha256 })), expected.weights, `${label}: the nninit-initialized tfjs model has the weights Node builds`);
    for (const name of ["nninit/tfjs", "tfjs"]) {
        const time = got.times?.[name];
        t.ok(time !== undefined && Number.isFinite(time.firstMs) && Number.isFinite(time.bestMs), `${label}: the page timed the ${name} build`);
    }
}
/**
 * Bundles with Vite (its Rolldown bundler and resolver): `entry` into `outDir`/main.js; returns its
 * text. `minify` drops the comments (dist/'s, which name `process` and `Buffer` in prose).
 */
async function viteBuild(entry, outDir, minify) {
    const vite = await import("vite");
    await vite.build({
        root: pageDir, configFile: false, logLevel: "silent", mode: "production",
        build: { outDir, emptyOutDir: true, minify, modulePreload: false,
            rolldownOptions: { input: entry, output: { entryFileNames: "main.js", codeSplitting: false } } },
    });
    const files = (0, node_fs_1.readdirSync)(outDir, { recursive: true, withFileTypes: true }).filter((f) => f.isFile());
    if (files.length !== 1 || files[0].name !== "main.js")
        throw new Error(`Vite wrote ${files.map((f) => f.name).join(", ")}, not main.js alone`);
    return (0, node_fs_1.readFileSync)((0, node_path_1.join)(outDir, "main.js"), "utf8");
}
/** An entry with nninit alone (no tfjs): its bundle is nninit's, every byte of it. */
const CORE_ENTRY = 'import { kaimingNormal, backend } from "nninit";\nimport * as promises from "nninit/promises";\n' +
    "console.log(kaimingNormal(new Float32Array(4), [2, 2], { seed: 1 }), backend, promises);\n";
/** What no line of nninit's browser build may hold: Node's globals, or a require that a bundler left to run. */
const NODE_GLOBALS = [["process", /\bprocess\b/], ["Buffer", /(?<![\w$])Buffer\b/], ["__dirname", /__dirname/],
    ["a require left unbundled", /typeof require|[^\w$.]require\(/]];
const NODE_IMPORT = /\bfrom\s*["']node:|import\(\s*["']node:|require\(\s*["']node:/;
// ---- the tests -------------------------------------------------------------------------------
function main() {
    // entry files inside the package (so that "nninit" resolves to it by name, as in an app), git-ignored
    (0, node_fs_1.mkdirSync)((0, node_path_1.join)(root, ".nninit-tmp"), { recursive: true });
    const work = (0, node_fs_1.mkdtempSync)((0, node_path_1.join)(root, ".nninit-tmp", "browser-"));
    tap_1.default.teardown(() => (0, node_fs_1.rmSync)(work, { recursive: true, force: true }));
    const coreEntry = (0, node_path_1.join)(work, "core.js");
    (0, node_fs_1.writeFileSync)(coreEntry, CORE_ENTRY);
    const pages = [];
    tap_1.default.test("nninit, nninit/promises and nninit/tfjs bundle for the browser with esbuild, with nothing from Node", async (t) => {
        const core = await bundle(coreEntry);
        t.same(nodeOnlyInputs(core.meta), [], "nninit + nninit/promises: no Node module in the graph");
        t.ok(Object.keys(core.meta.inputs).includes("dist/backend/host.browser.js"), "the browser host is in it");
        for (const [what, re] of NODE_GLOBALS)
            t.notOk(re.test(core.js), `nninit + nninit/promises: the bundle has no ${what}`);
        const page = await bundle((0, node_path_1.join)(pageDir, "main.js"));
        t.same(staleInputs(page.meta), [], "the page's dist/ files are built from the current lib/ (else: npx tsc -p tsconfig.build.json)");
        t.same(nodeOnlyInputs(page.meta), [], "examples/browser/main.js (nninit, nninit/tfjs, nninit/promises, @tensorflow/tfjs): no Node module in the graph");
        const inputs = Object.keys(page.meta.inputs);
        t.ok(inputs.includes("dist/tfjs/tf.js") && inputs.includes("dist/backend/native.browser.js"), "nninit/tfjs and the browser's native stub are in it");
        pages.push({ label: "esbuild", js: page.js });
    });
    tap_1.default.test("Vite builds the same, with nothing from Node", async (t) => {
        const core = await viteBuild(coreEntry, (0, node_path_1.join)(work, "vite-core"), true);
        // Vite turns a Node builtin it meets into an empty "__vite-browser-external" module (tfjs's own
        // "browser" field asks for a few): nninit alone must need none
        t.notOk(core.includes("__vite-browser-external"), "nninit + nninit/promises: Vite stubbed no Node builtin");
        for (const [what, re] of NODE_GLOBALS)
            t.notOk(re.test(core), `nninit + nninit/promises: the bundle has no ${what}`);
        t.notOk(NODE_IMPORT.test(core), "nninit + nninit/promises: no node: import");
        const page = await viteBuild((0, node_path_1.join)(pageDir, "main.js"), (0, node_path_1.join)(work, "vite-page"), false);
        t.notOk(NODE_IMPORT.test(page), "examples/browser/main.js: the Vite bundle imports no node: module");
        pages.push({ label: "Vite", js: page });
    });
    const missing = (0, node_fs_1.existsSync)(chromiumPath) ? false : `${chromiumPath} is not installed (apt-get install chromium, or set NNINIT_CHROMIUM)`;
    tap_1.default.test("the example page in headless Chromium, bundled by esbuild and by Vite", { skip: required ? false : missing }, async (t) => {
        if (missing !== false)
            return void t.fail(`NNINIT_REQUIRE_SHIP=1 but ${missing}`);
        t.same(pages.map((p) => p.label), ["esbuild", "Vite"], "both bundles were built");
        const expected = { fills: {}, weights: nodeModelWeights() };
        for (const [name, fill] of Object.entries(FILLS))
            expected.fills[name] = sha256(await fill());
        let js = "";
        const { server, url } = await serve(() => js);
        t.teardown(() => new Promise((ok) => {
            server.closeAllConnections(); // the browser's keep-alive sockets would hold close() open
            server.close(() => ok());
        }));
        const { chromium } = await import("playwright-core");
        const browser = await chromium.launch({
            executablePath: chromiumPath,
            args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        });
        t.teardown(() => browser.close());
        for (const { label, js: bundled } of pages) {
            js = bundled;
            const got = await runPage(browser, url);
            checkPage(t, label, got, expected);
            t.comment(`${label} page: backend ${got.backend?.name}/${got.backend?.isa}; tfjs model init ms (first build, best of the next 2): ` +
                Object.entries(got.times ?? {}).map(([k, v]) => `${k} ${v.firstMs.toFixed(1)}, ${v.bestMs.toFixed(1)}`).join("; "));
        }
    });
}
if (forced.length > 0) {
    tap_1.default.pass(`skipped: the browser build is tested once, in the run without ${forced.join("/")}`);
}
else {
    main();
}
