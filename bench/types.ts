/**
 * The shape of a bench run, as written to bench/results/<date>.json (schema 1) and read back by
 * bench/report.ts and bench/chart.ts. Times are seconds per call; rates are float32 elements per
 * second; bytes are bytes written (4 per float32 element).
 */

/** Who fills the array in a row. */
export const IMPLS = ["native-1t", "native-nt", "wasm", "wasm-workers", "js", "tfjs"] as const;
export type ImplId = (typeof IMPLS)[number];

export const IMPL_LABELS: Record<ImplId, string> = {
  "native-1t": "native 1T",
  "native-nt": "native NT",
  wasm: "wasm",
  "wasm-workers": "wasm workers",
  js: "pure TS",
  tfjs: "tfjs",
};

/** One timed cell: `samples` medians of `callsPerSample` back-to-back calls each. */
export interface Timing {
  /** Median seconds per call over the samples. */
  medianS: number;
  /** Fastest sample's seconds per call. */
  bestS: number;
  samples: number;
  callsPerSample: number;
  /**
   * Largest growth of the process's resident set during a sample, over its RSS just before
   * (after a GC), in bytes; null where the OS gives no way to read a peak.
   */
  peakExtraBytes: number | null;
}

/** A baseline row: a plain memory write of `size` float32 elements. */
export interface BaselineRow extends Timing {
  id: "fill-first" | "fill-last" | "stream";
  size: number;
  threads: number;
}

/** A method × implementation × size row. */
export interface Row extends Timing {
  method: string;
  impl: ImplId;
  size: number;
  /** The tfjs call that served as this method's peer (tfjs rows only). */
  peer?: string;
}

/** A thread-count sweep point. */
export interface SweepRow extends Timing {
  method: string;
  size: number;
  threads: number;
}

export interface Machine {
  cpu: string;
  cores: number;
  /** SIMD features the CPU reports (from /proc/cpuinfo), independent of what nninit uses. */
  cpuFeatures: string[];
  totalMemGiB: number;
  node: string;
  platform: string;
  /** nninit.backend as loaded in the parent process. */
  backend: { name: string; isa: string | null; threads: number; loadError?: string };
  /** The ISAs the native core can run here (empty without native). */
  isas: string[];
  streamVersion: number;
  tfjs: string | null;
  commit: string | null;
}

export interface Config {
  quick: boolean;
  sizes: number[];
  /** Largest size tfjs runs at (it is slow; see docs/benchmarks.md). */
  tfjsMaxSize: number;
  sweepSize: number;
  minSamples: number;
  maxSamples: number;
  budgetS: number;
  sampleTargetS: number;
  memory: "vmhwm" | "rss-after";
}

/**
 * A whole task timed end to end (bench/cases/scenarios.ts): nninit against its peer (tfjs) or its
 * limit (the disk), with the target and whether this run met it (null: a --quick run,
 * whose reduced sizes do not test the target).
 */
export interface Scenario {
  id: string;
  label: string;
  nninit: { label: string; seconds: number };
  peer: { label: string; seconds: number } | null;
  ratio: number | null;
  /** What the ratio means, printed after it ("faster than tfjs"). */
  ratioLabel: string;
  target: string;
  met: boolean | null;
  details: string;
}

export interface BenchResult {
  schema: 1;
  date: string;
  command: string;
  durationS: number;
  /**
   * Share of the machine's CPU time (all cores) that other processes used during the run; they
   * compete with the measured code. Null where /proc is missing.
   */
  otherCpuShare: number | null;
  machine: Machine;
  config: Config;
  baselines: BaselineRow[];
  rows: Row[];
  sweep: SweepRow[];
  /** Absent in results written before scenarios existed. */
  scenarios?: Scenario[];
  /** Why a group of rows is missing. */
  notes: string[];
  /** The orthogonal method's rows (bench/cases/orthogonal.ts); absent in older results. */
  orthogonal?: OrthoRow[];
}

/** One orthogonal timing: draw + orthonormalize of an n×n matrix, or tfjs's initializer. */
export interface OrthoRow {
  n: number;
  impl: "native-1t" | "native-nt" | "tfjs";
  threads: number;
  samples: number;
  bestS: number;
  medianS: number;
}
