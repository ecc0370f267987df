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
exports.machine = machine;
exports.cpuTicks = cpuTicks;
exports.otherShare = otherShare;
/** The run's header: the machine, Node, the nninit backend as loaded, the commit. */
const node_child_process_1 = require("node:child_process");
const node_fs_1 = require("node:fs");
const os = __importStar(require("node:os"));
const nn = __importStar(require("../dist/index.js"));
const SIMD = ["sse4_1", "avx2", "fma", "avx512f", "asimd", "sve"];
function cpuFeatures() {
    try {
        const flags = /^(?:flags|Features)\s*:(.*)$/m.exec((0, node_fs_1.readFileSync)("/proc/cpuinfo", "utf8"))?.[1].trim().split(/\s+/) ?? [];
        return SIMD.filter((f) => flags.includes(f));
    }
    catch {
        return [];
    }
}
function commit() {
    try {
        const git = (...args) => (0, node_child_process_1.execFileSync)("git", args, { cwd: __dirname, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
        const dirty = git("status", "--porcelain", "--", "lib", "native") !== "";
        return git("rev-parse", "--short", "HEAD") + (dirty ? " + uncommitted changes in lib/ or native/" : "");
    }
    catch {
        return null;
    }
}
function machine(isas, tfjs) {
    const b = nn.backend;
    return {
        cpu: os.cpus()[0]?.model.trim() ?? "unknown",
        cores: os.availableParallelism(),
        cpuFeatures: cpuFeatures(),
        totalMemGiB: os.totalmem() / 2 ** 30,
        node: process.version,
        platform: `${os.platform()} ${os.arch()}`,
        backend: { name: b.name, isa: b.isa, threads: b.threads, ...(b.loadError === undefined ? {} : { loadError: b.loadError }) },
        isas,
        streamVersion: nn.STREAM_VERSION,
        tfjs,
        commit: commit(),
    };
}
/** Linux /proc counters, or null elsewhere. */
function cpuTicks() {
    try {
        const cpu = (0, node_fs_1.readFileSync)("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/).slice(1).map(Number);
        const total = cpu.slice(0, 8).reduce((a, b) => a + b, 0);
        const busy = total - cpu[3] - cpu[4]; // minus idle and iowait
        const stat = (0, node_fs_1.readFileSync)("/proc/self/stat", "utf8");
        const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ").map(Number); // fields[0] is field 3 (state)
        const own = fields[11] + fields[12] + fields[13] + fields[14]; // utime stime cutime cstime (fields 14-17)
        return { busy, own };
    }
    catch {
        return null;
    }
}
/** The share of the machine's CPU time that other processes used between two readings. */
function otherShare(a, b, seconds, cores) {
    if (a === null || b === null)
        return null;
    const hz = 100; // USER_HZ is 100 on every Linux ABI Node runs on
    return Math.max(0, (b.busy - a.busy) - (b.own - a.own)) / hz / (seconds * cores);
}
