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

/** Clock ticks (USER_HZ) of the whole machine's busy time and of this process plus its children. */
export interface CpuTicks {
  busy: number;
  own: number;
}

/** Linux /proc counters, or null elsewhere. */
export function cpuTicks(): CpuTicks | null {
  try {
    const cpu = readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/).slice(1).map(Number);
    const total = cpu.slice(0, 8).reduce((a, b) => a + b, 0);
    const busy = total - cpu[3] - cpu[4]; // minus idle and iowait
    const stat = readFileSync("/proc/self/stat", "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ").map(Number); // fields[0] is field 3 (state)
    const own = fields[11] + fields[12] + fields[13] + fields[14]; // utime stime cutime cstime (fields 14-17)
    return { busy, own };
  } catch {
    return null;
  }
}

/** The share of the machine's CPU time that other processes used between two readings. */
export function otherShare(a: CpuTicks | null, b: CpuTicks | null, seconds: number, cores: number): number | null {
  if (a === null || b === null) return null;
  const hz = 100; // USER_HZ is 100 on every Linux ABI Node runs on
  return Math.max(0, (b.busy - a.busy) - (b.own - a.own)) / hz / (seconds * cores);
}
