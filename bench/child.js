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
exports.CHILDREN = void 0;
exports.runChild = runChild;
exports.childMain = childMain;
/**
 * The wasm, pure-TS and tfjs columns run in child processes (`main.js --child wasm|js|tfjs`):
 * - wasm and pure TS: the child starts with NNINIT_BACKEND=wasm (=js), so the very same public
 *   API runs on that backend, with no private entry point (plans, validation and the wasm
 *   backend's copy out of its module memory are timed, as users pay them); the child checks that
 *   the switch took effect. A process per backend also keeps each one's JIT and GC state apart:
 *   three backends timed in one process would warm and collect each other's code;
 * - tfjs: keeps tfjs's heap and allocations out of the parent, whose RSS is measured.
 * Children run one at a time while the parent waits. They print progress to the inherited stderr
 * (synchronous, unlike IPC messages, which would wait for the measuring loop to end) and send
 * their rows over the IPC channel at the end.
 */
const node_child_process_1 = require("node:child_process");
const path = __importStar(require("node:path"));
const nn = __importStar(require("../dist/index.js"));
const nnAsync = __importStar(require("../dist/promises.js"));
const harness_js_1 = require("./harness.js");
const nninit_js_1 = require("./cases/nninit.js");
const scenarios_js_1 = require("./cases/scenarios.js");
const tfjs_js_1 = require("./cases/tfjs.js");
exports.CHILDREN = ["wasm", "js", "tfjs", ...scenarios_js_1.SCENARIO_CHILDREN];
/** The backend a child forces with NNINIT_BACKEND (undefined: the parent's, nninit as users get it). */
function childBackend(impl) {
    return impl === "wasm" ? "wasm" : impl === "js" || impl === "tfjs" ? "js" : undefined;
}
function runChild(impl, config) {
    return new Promise((resolve) => {
        const child = (0, node_child_process_1.fork)(path.join(__dirname, "main.js"), ["--child", impl, "--config", JSON.stringify(config)], {
            // scenario children keep the parent's backend (nninit as users get it)
            env: childBackend(impl) === undefined ? process.env : { ...process.env, NNINIT_BACKEND: childBackend(impl) },
            execArgv: process.execArgv,
            stdio: ["ignore", 2, 2, "ipc"], // the child's stdout (tfjs prints a banner there) joins our stderr
        });
        let result = null;
        child.on("message", (m) => {
            result = { rows: m.rows, notes: m.notes, tfjs: m.tfjs, scenarios: m.scenarios };
        });
        child.on("close", (code, signal) => {
            resolve(result ?? { rows: [], notes: [`the ${impl} rows are missing: their process ended (${signal ?? `exit code ${code}`})`], tfjs: null });
        });
    });
}
function send(m) {
    return new Promise((resolve) => process.send?.(m, undefined, undefined, () => resolve()));
}
async function childRows(impl, config) {
    const log = (line) => void process.stderr.write(`  ${line}\n`);
    if (impl !== "wasm" && impl !== "js" && impl !== "tfjs") {
        try {
            return { rows: [], notes: [], tfjs: null, scenarios: await (0, scenarios_js_1.runScenario)(impl, config, log) };
        }
        catch (e) {
            return { rows: [], notes: [`scenario ${impl} skipped: ${e.message}`], tfjs: null };
        }
    }
    if (impl === "wasm" || impl === "js") {
        if (nn.backend.name !== impl) {
            const what = impl === "js" ? "pure-TS" : "wasm";
            return { rows: [], notes: [`NNINIT_BACKEND=${impl} did not select the ${impl} backend (got ${nn.backend.name}): ${what} rows skipped`], tfjs: null };
        }
        const buf = (0, harness_js_1.prefaulted)(Math.max(...config.sizes));
        const rows = (0, nninit_js_1.nninitRows)(nn, impl, undefined, buf, config.sizes, config, log);
        if (impl === "wasm")
            rows.push(...(await (0, nninit_js_1.promisesRows)(nnAsync, "wasm-workers", buf, config.sizes, config, log)));
        return { rows, notes: [], tfjs: null };
    }
    const tf = await (0, tfjs_js_1.loadTfjs)();
    if ("error" in tf)
        return { rows: [], notes: [`tfjs rows skipped: ${tf.error}`], tfjs: null };
    const sizes = config.sizes.filter((s) => s <= config.tfjsMaxSize);
    return { rows: (0, tfjs_js_1.tfjsRows)(tf.tf, sizes, config, log), notes: [], tfjs: tf.version };
}
async function childMain(impl, config) {
    const result = await childRows(impl, config);
    await send({ type: "done", ...result });
    process.exit(0);
}
