/**
 * The GGUF parts of the `nninit` command, for lib/cli/main.ts to call:
 *   nninit init --config <config.json | folder | name> --out model.gguf [--dtype f32|f16|bf16|q8_0|q4_0]
 *                [--seed N] [--threads N] [--tokenizer other.gguf] [--progress ...] [--quiet]
 *     (an --out ending in .gguf, or --format gguf)     -> ggufInit(values, io)
 *   nninit info model.gguf                             -> ggufInfo(path, io)
 * Exit codes as main's: 0 success, 1 the write failed (no file is left under the name), 2 bad
 * usage or bad config, 130 interrupted.
 */
import { planGguf, readGgufHeader, resolveGgufDType, writeGguf, GGUF_DTYPES, type GgufDType, type GgufPlan, type GgufScalar } from "../model/gguf.js";
import { ensureParent, loadConfig, parseProgress, parseSeed, parseThreads, printable, runWrite, summaryTail, UsageError, type Io, type Values } from "./common.js";

/** Whether `init` should write GGUF: --format gguf, or an --out ending in .gguf (any case) without --format. */
export function isGgufTarget(values: Values): boolean {
  return values.format === "gguf" || (values.format === undefined && typeof values.out === "string" && /\.gguf$/i.test(values.out));
}

function inputs(v: Values): { config: unknown; dtype: GgufDType | undefined; seed: bigint | undefined; threads: number | undefined } {
  if (typeof v.config !== "string") throw new UsageError("init needs --config <config.json | folder | name>");
  if (typeof v.out !== "string") throw new UsageError("init needs --out <file.gguf>");
  if (v["max-shard-size"] !== undefined || v.part !== undefined) throw new UsageError("--max-shard-size and --part write safetensors folders, not GGUF files");
  let dtype: GgufDType | undefined;
  if (v.dtype !== undefined) {
    try {
      dtype = resolveGgufDType(v.dtype);
    } catch {
      throw new UsageError(`--dtype must be one of ${GGUF_DTYPES.join(", ")} for GGUF, got ${JSON.stringify(v.dtype)}`);
    }
  }
  return { config: loadConfig(v.config), dtype, seed: parseSeed(v.seed), threads: parseThreads(v.threads) };
}

/**
 * `nninit init ... --out model.gguf`: writes a GGUF file (lib/model/gguf.ts). Resolves with the
 * exit code; messages go to io.
 */
export async function ggufInit(v: Values, io: Io): Promise<number> {
  const inp = inputs(v);
  const mode = parseProgress(v);
  const tokenizer = typeof v.tokenizer === "string" ? v.tokenizer : undefined;
  let plan: GgufPlan;
  try {
    plan = planGguf(inp.config, { seed: inp.seed ?? 0n, dtype: inp.dtype, tokenizer });
  } catch (err) {
    throw new UsageError(`bad config ${String(v.config)}: ${(err as Error).message}`);
  }
  const out = v.out as string;
  return runWrite(io, mode, v.quiet === true, `removed the partial file (${out} was not written)`, async (onProgress, signal) => {
    ensureParent(out);
    const r = await writeGguf(out, inp.config, { seed: inp.seed, dtype: plan.dtype, threads: inp.threads, tokenizer, signal, onProgress });
    return `wrote ${out}: ${plan.modelType}, ${r.tensors} tensors, ${r.parameters.toLocaleString("en-US")} parameters, ${summaryTail(r.bytes, `GGUF ${r.dtype}`, r.seed, r.seconds)}`;
  });
}

/** A metadata value for display: arrays by type and length, long strings cut. */
function show(v: GgufScalar | GgufScalar[]): string {
  if (Array.isArray(v)) return `[${v.length} items${v.length > 0 ? `: ${v.slice(0, 4).map((x) => show(x)).join(", ")}${v.length > 4 ? ", ..." : ""}` : ""}]`;
  if (typeof v === "string") return JSON.stringify(v.length > 60 ? `${v.slice(0, 57)}...` : v);
  return String(v);
}

/** `nninit info model.gguf`: version, metadata (arrays summarized) and tensors (ne: innermost first). Throws on a malformed file. */
export function ggufInfo(path: string, io: Io): number {
  const h = readGgufHeader(path);
  const seed = h.metadata["nninit.seed"];
  const lines = [`${path}: GGUF v${h.version}, ${h.tensors.length} tensors, ${Object.keys(h.metadata).length} metadata keys, data at byte ${h.dataStart}` +
    (seed !== undefined ? `, nninit seed ${String(seed.value)}` : "")];
  for (const [k, v] of Object.entries(h.metadata)) lines.push(`  ${k} = ${show(v.value)}`);
  for (const t of h.tensors) lines.push(`  ${t.name}  ${t.typeName}  ne [${t.dims.join(", ")}]`);
  io.stdout.write(lines.map(printable).join("\n") + "\n");
  return 0;
}
