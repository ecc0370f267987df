/** The run's header: the machine, Node, the nninit backend as loaded, the commit. */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import * as os from "node:os";
import * as nn from "../dist/index.js";
import type { Machine } from "./types.js";

const SIMD = ["sse4_1", "avx2", "fma", "avx512f", "asimd", "sve"];

function cpuFeatures(): string[] {
  try {
    const flags = /^(?:flags|Features)\s*:(.*)$/m.exec(readFileSync("/proc/cpuinfo", "utf8"))?.[1].trim().split(/\s+/) ?? [];
    return SIMD.filter((f) => flags.includes(f));
  } catch {
    return [];
  }
}

function commit(): string | null {
  try {
    const git = (...args: string[]): string => execFileSync("git", args, { cwd: __dirname, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
    const dirty = git("status", "--porcelain", "--", "lib", "native") !== "";
    return git("rev-parse", "--short", "HEAD") + (dirty ? " + uncommitted changes in lib/ or native/" : "");
  } catch {
    return null;
  }
}

export function machine(isas: string[], tfjs: string | null): Machine {
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
