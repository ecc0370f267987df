"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.measureDiskWrite = measureDiskWrite;
exports.measureCheckpointWrite = measureCheckpointWrite;
exports.measureFolderWrite = measureFolderWrite;
exports.measureGgufWrite = measureGgufWrite;
/**
 * Checkpoint write throughput against the disk's own sequential write rate, measured in the same
 * run and the same way (same directory, chunk size, double-buffered positioned writes, fsync
 * included): `await measureCheckpointWrite({ config: "tinyllama-1.1b" })` for one .safetensors
 * file, `await measureFolderWrite({ config: "llama-2-7b", parts: 3 })` for a sharded Hugging Face
 * folder written by one process and by `parts` processes (the CLI's --part i/N),
 * `await measureGgufWrite({ config: "llama-2-7b" })` for GGUF files in F16 (against the disk) and
 * Q4_0 (against a bare `normal` fill of as many elements). Bench-only: it
 * measures the built package (dist/) through its internal modules, and is not part of the API.
 */
const node_child_process_1 = require("node:child_process");
const promises_1 = require("node:fs/promises");
const node_os_1 = require("node:os");
const node_path_1 = require("node:path");
const index_js_1 = require("../dist/index.js");
const configs_js_1 = require("../dist/model/configs.js");
const atomic_js_1 = require("../dist/model/atomic.js");
const folder_js_1 = require("../dist/model/folder.js");
const gguf_js_1 = require("../dist/model/gguf.js");
const quant_js_1 = require("../dist/model/quant.js");
const pipe_js_1 = require("../dist/model/pipe.js");
const presets_js_1 = require("../dist/model/presets.js");
const write_js_1 = require("../dist/model/write.js");
const median = (xs) => {
    const s = [...xs].sort((a, b) => a - b);
    return s.length % 2 === 1 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
/**
 * Lets the file system finish with a deleted file before the next timed write: fsyncs the directory,
 * which commits the journal transaction holding the unlink (on ext4 mounted with `discard`, the
 * commit also sends the freed blocks' discards to the device, which would otherwise land in the
 * next write's time).
 */
async function settle(dir) {
    const d = await (0, promises_1.open)(dir, "r").catch(() => null);
    await d?.sync().catch(pipe_js_1.noop);
    await d?.close().catch(pipe_js_1.noop);
}
/** Seconds to write `bytes` bytes of a constant buffer to a new file in `dir` (fsync included; file deleted). */
async function measureDiskWrite(dir, bytes, chunkBytes = 32 << 20) {
    const start = performance.now();
    const file = await (0, atomic_js_1.createAtomic)((0, node_path_1.join)(dir, "nninit-disk-rate.bin"), bytes);
    try {
        const w = new pipe_js_1.ChunkWriter(file.fh, chunkBytes, 0);
        for (let left = bytes; left > 0;) {
            const n = Math.min(left, w.free);
            w.bytes(n).fill(0x5a); // not zeros: some devices and file systems compress or skip them
            w.commit(n);
            left -= n;
            if (w.free === 0)
                await w.flush();
        }
        await w.finish();
        await file.fh.sync();
        return (performance.now() - start) / 1000;
    }
    finally {
        await file.abort();
    }
}
/**
 * Writes the checkpoint of `config` and constant buffers of the same size, alternately, and
 * compares the median rates. Deletes every file it wrote. Needs free space for one checkpoint.
 */
async function measureCheckpointWrite(options) {
    const { config: configIn, dtype, seed, dir = (0, node_os_1.tmpdir)(), threads, chunkBytes = 32 << 20, repeats = 5, warmup = true } = options; // each read once
    const config = typeof configIn === "string" ? (0, configs_js_1.builtinConfig)(configIn) : configIn;
    const preset = (0, presets_js_1.presetFromConfig)(config);
    const path = (0, node_path_1.join)(dir, `nninit-bench-${process.pid}.safetensors`);
    const writeOptions = { seed: seed ?? 1, dtype: dtype ?? "bfloat16", threads, chunkBytes };
    const bytes = (0, write_js_1.planSafetensors)(preset, writeOptions).layout.totalBytes;
    const diskSeconds = [];
    const checkpointSeconds = [];
    try {
        if (warmup)
            await measureDiskWrite(dir, bytes, chunkBytes);
        for (let i = 0; i < repeats; i++) {
            await settle(dir);
            diskSeconds.push(await measureDiskWrite(dir, bytes, chunkBytes));
            await settle(dir);
            checkpointSeconds.push((await (0, write_js_1.writeSafetensors)(path, preset, writeOptions)).seconds);
            await (0, promises_1.unlink)(path);
        }
    }
    finally {
        await (0, promises_1.unlink)(path).catch(() => { });
    }
    const diskBytesPerSecond = median(diskSeconds.map((s) => bytes / s));
    const checkpointBytesPerSecond = median(checkpointSeconds.map((s) => bytes / s));
    return {
        config: typeof configIn === "string" ? configIn : String(config.model_type ?? "config"),
        backend: index_js_1.backend.name,
        parameters: preset.parameters,
        bytes,
        checkpointSeconds,
        checkpointBytesPerSecond,
        diskSeconds,
        diskBytesPerSecond,
        ratio: checkpointBytesPerSecond / diskBytesPerSecond,
        bestRatio: Math.min(...diskSeconds) / Math.min(...checkpointSeconds),
        peakRssBytes: process.resourceUsage().maxRSS * 1024,
    };
}
/** Peak RSS of a CLI run from its summary line ("peak RSS 151 MiB"). */
function parseRss(line) {
    const m = /peak RSS ([\d.]+) (B|KiB|MiB|GiB)/.exec(line);
    return m === null ? NaN : Number(m[1]) * { B: 1, KiB: 2 ** 10, MiB: 2 ** 20, GiB: 2 ** 30 }[m[2]];
}
/**
 * Writes the Hugging Face folder of `config` (sharded at `maxShardSize`) once in this process and
 * once as `parts` processes of the CLI (`--part i/N`, all at once, one folder), after a
 * constant-buffer write of the same size to the same disk. Deletes everything it wrote.
 */
async function measureFolderWrite(options) {
    const { config: configIn, dtype = "bfloat16", dir = (0, node_os_1.tmpdir)(), maxShardSize, parts = 3 } = options;
    const config = typeof configIn === "string" ? (0, configs_js_1.builtinConfig)(configIn) : configIn;
    const plan = (0, folder_js_1.planModelFolder)(config, { seed: 1, dtype, maxShardSize });
    const bytes = plan.files.reduce((a, f) => a + f.fileBytes, 0);
    const root = await (0, promises_1.mkdtemp)((0, node_path_1.join)(dir, "nninit-bench-folder-"));
    try {
        await settle(dir);
        const diskSeconds = await measureDiskWrite(root, bytes);
        await settle(root);
        const one = await (0, folder_js_1.writeModelFolder)((0, node_path_1.join)(root, "one"), config, { seed: 1, dtype, maxShardSize });
        if (!one.complete)
            throw new Error("the one-process folder is not complete");
        await (0, promises_1.rm)((0, node_path_1.join)(root, "one"), { recursive: true });
        await settle(root);
        let partsSeconds = null;
        let partsPeakRssBytes = null;
        if (parts > 0) {
            const cli = (0, node_path_1.resolve)(__dirname, "..", "dist", "cli", "main.js");
            const configPath = (0, node_path_1.join)(root, "config.json");
            await (0, promises_1.writeFile)(configPath, JSON.stringify(config));
            const start = performance.now();
            const outs = await Promise.all(Array.from({ length: parts }, (_, i) => new Promise((res, rej) => {
                const args = [cli, "init", "-c", configPath, "-o", `${(0, node_path_1.join)(root, "parts")}/`, "-d", dtype, "-s", "1", "--part", `${i}/${parts}`, "--progress", "none"];
                if (maxShardSize !== undefined)
                    args.push("--max-shard-size", String(maxShardSize));
                const c = (0, node_child_process_1.spawn)(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
                let out = "";
                let err = "";
                c.stdout.on("data", (d) => (out += d));
                c.stderr.on("data", (d) => (err += d));
                c.on("close", (code) => (code === 0 ? res(out) : rej(new Error(`part ${i}/${parts} exited ${code}: ${err}`))));
            })));
            partsSeconds = (performance.now() - start) / 1000;
            if (!outs.some((o) => /complete \(/.test(o)))
                throw new Error(`no part completed the folder:\n${outs.join("")}`);
            partsPeakRssBytes = Math.max(...outs.map(parseRss));
        }
        return {
            config: typeof configIn === "string" ? configIn : String(config.model_type ?? "config"),
            backend: index_js_1.backend.name, parameters: plan.preset.parameters, bytes, shards: plan.files.length,
            diskSeconds, folderSeconds: one.seconds, partsSeconds, parts,
            peakRssBytes: process.resourceUsage().maxRSS * 1024, partsPeakRssBytes,
        };
    }
    finally {
        await (0, promises_1.rm)(root, { recursive: true, force: true });
    }
}
/** Seconds of a bare `normal` fill of `count` elements, `buf.length` at a time. */
function bareNormalFill(buf, count, threads) {
    const start = performance.now();
    for (let done = 0; done < count; done += buf.length) {
        const out = count - done >= buf.length ? buf : buf.subarray(0, count - done);
        (0, index_js_1.normal)(out, { std: 0.02, seed: done, threads });
    }
    return (performance.now() - start) / 1000;
}
/**
 * Writes the GGUF file of `config` in F16 after a constant-buffer write of the same size (the
 * disk's rate, same directory and chunk size, fsync included), then in Q4_0 between two bare
 * `normal` fills of the model's element count in this process (Q4_0 is ≈ 0.56 bytes an element,
 * so generation, not the disk, is its limit). Deletes every file it wrote. Needs free space for
 * the F16 file.
 */
async function measureGgufWrite(options) {
    const { config: configIn, dir = (0, node_os_1.tmpdir)(), threads, chunkBytes = 32 << 20 } = options; // each read once
    const config = typeof configIn === "string" ? (0, configs_js_1.builtinConfig)(configIn) : configIn;
    const path = (0, node_path_1.join)(dir, `nninit-bench-${process.pid}.gguf`);
    const opts = (dtype) => ({ seed: 1, dtype, threads, chunkBytes });
    const f16Plan = (0, gguf_js_1.planGguf)(config, opts("f16"));
    const q4Plan = (0, gguf_js_1.planGguf)(config, opts("q4_0"));
    try {
        await measureDiskWrite(dir, Math.min(f16Plan.totalBytes, 1 << 30), chunkBytes); // warm-up, not counted
        await settle(dir);
        const diskSeconds = await measureDiskWrite(dir, f16Plan.totalBytes, chunkBytes);
        await settle(dir);
        const f16Seconds = (await (0, gguf_js_1.writeGguf)(path, config, opts("f16"))).seconds;
        await (0, promises_1.unlink)(path);
        await settle(dir);
        const buf = new Float32Array(chunkBytes / 4);
        bareNormalFill(buf, Math.min(f16Plan.parameters, 1 << 24), threads); // warm-up
        const fill0 = bareNormalFill(buf, q4Plan.parameters, threads);
        const q4Seconds = (await (0, gguf_js_1.writeGguf)(path, config, opts("q4_0"))).seconds;
        await (0, promises_1.unlink)(path);
        const fill1 = bareNormalFill(buf, q4Plan.parameters, threads);
        return {
            config: typeof configIn === "string" ? configIn : String(config._name_or_path ?? config.model_type ?? "config"),
            backend: index_js_1.backend.name,
            quantizer: quant_js_1.quantizerBackend,
            parameters: q4Plan.parameters,
            f16: { bytes: f16Plan.totalBytes, seconds: f16Seconds, diskSeconds, ratio: diskSeconds / f16Seconds },
            q4: { bytes: q4Plan.totalBytes, seconds: q4Seconds, fillSeconds: [fill0, fill1], ratio: q4Seconds / ((fill0 + fill1) / 2) },
            peakRssBytes: process.resourceUsage().maxRSS * 1024,
        };
    }
    finally {
        await (0, promises_1.unlink)(path).catch(() => { });
    }
}
