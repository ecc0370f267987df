/**
 * The method table: every public fill method of nninit once, with what the places that list
 * methods need to know about it. Pure data (plan/ knows no backend and no api/ code).
 *
 * Derived from it: `INITS` of nninit/model (lib/model/spec.ts) and its dispatch
 * (lib/model/fill.ts), the method loops of test/validation.test.ts and test/fuzz.test.ts. Checked
 * against it (test/validation.test.ts): the function exports of lib/index.ts and
 * lib/promises.ts (they stay explicit named exports, for tree-shaking and types), the option
 * names each method accepts (its `KEYS` in lib/api/), and the cases of bench/cases/methods.ts.
 * docs/contributing.md "Adding a method" lists the rest a new method needs.
 *
 * Order: the model-spec inits first, in the order `INITS` has always had (its error message
 * lists them), then the matrix methods.
 */

/**
 * - elementwise: fill(out, options), one stream element per output element (uniform, normal, truncNormal);
 * - fan: fill(out, shape, options), an elementwise stream whose parameters come from the fans of `shape`;
 * - constant: no stream (constant, zeros, ones);
 * - matrix: whole-tensor methods that make no FillPlan (orthogonal, eye, dirac, sparse, zca).
 */
export type Family = "elementwise" | "fan" | "constant" | "matrix";

/** The argument between `out` and `options`: none, a shape, a constant's value, or zca's data. */
export type Operand = "none" | "shape" | "value" | "data";

export interface FillMethod<N extends string = string, F extends Family = Family, I extends boolean = boolean> {
  /** The export name, in lib/index.ts and lib/promises.ts. */
  readonly name: N;
  readonly family: F;
  /** How it is called: fill(out, options), fill(out, shape, options), fill(out, value, options), fill(out, data, options). */
  readonly operand: Operand;
  /** Every option name it accepts, in the order its error for an unknown option lists them (its KEYS). */
  readonly options: readonly string[];
  /** Its float-valued options (NaN, ±Infinity and values beyond float32 are errors naming them). */
  readonly numbers: readonly string[];
  /** It draws a stream key: takes `seed` / `generator` (and `threads`). */
  readonly random: boolean;
  /** It takes `offset` (a shard of a longer logical tensor); matrix methods fill whole tensors. */
  readonly offsets: boolean;
  /** A model-spec init of the same name (nninit/model's `INITS`). */
  readonly init: I;
  /** nninit/promises exports a Promise form of the same name. */
  readonly promise: boolean;
  /** constant family: the value it fills with (zeros 0, ones 1); undefined for constant (an argument). */
  readonly value?: number;
}

const COMMON = ["seed", "generator", "offset", "dtype", "threads", "signal"] as const;
const FAN = ["layout", "fanIn", "fanOut", ...COMMON] as const;
const FAN_NUMBERS = ["fanIn", "fanOut"] as const;
const CONSTANT = ["dtype", "offset", "threads", "signal"] as const;

interface Entry<I extends boolean> {
  options: readonly string[];
  numbers?: readonly string[];
  init?: I;
  promise?: boolean;
  value?: number;
  operand?: Operand;
}

function method<const N extends string, const F extends Family, const I extends boolean = false>(name: N, family: F, e: Entry<I>): FillMethod<N, F, I> {
  const operand = e.operand ?? (family === "elementwise" ? "none" : family === "constant" ? (e.value === undefined ? "value" : "none") : "shape");
  const m: FillMethod<N, F, I> = {
    name, family, operand, options: Object.freeze([...e.options]), numbers: Object.freeze([...(e.numbers ?? [])]),
    random: e.options.includes("seed"), offsets: e.options.includes("offset"), init: (e.init ?? false) as I, promise: e.promise ?? true,
    ...(e.value === undefined ? {} : { value: e.value }),
  };
  return Object.freeze(m);
}

/** Every public fill method, once. */
export const FILL_METHODS = Object.freeze([
  method("normal", "elementwise", { options: ["mean", "std", ...COMMON], numbers: ["mean", "std"], init: true }),
  method("uniform", "elementwise", { options: ["low", "high", ...COMMON], numbers: ["low", "high"], init: true }),
  method("truncNormal", "elementwise", { options: ["mean", "std", "a", "b", ...COMMON], numbers: ["mean", "std", "a", "b"], init: true }),
  method("constant", "constant", { options: CONSTANT, init: true }),
  method("zeros", "constant", { options: CONSTANT, value: 0, init: true }),
  method("ones", "constant", { options: CONSTANT, value: 1, init: true }),
  method("xavierUniform", "fan", { options: ["gain", ...FAN], numbers: ["gain", ...FAN_NUMBERS], init: true }),
  method("xavierNormal", "fan", { options: ["gain", ...FAN], numbers: ["gain", ...FAN_NUMBERS], init: true }),
  method("kaimingUniform", "fan", { options: ["a", "mode", "nonlinearity", ...FAN], numbers: ["a", ...FAN_NUMBERS], init: true }),
  method("kaimingNormal", "fan", { options: ["a", "mode", "nonlinearity", ...FAN], numbers: ["a", ...FAN_NUMBERS], init: true }),
  method("lecunUniform", "fan", { options: FAN, numbers: FAN_NUMBERS, init: true }),
  method("lecunNormal", "fan", { options: FAN, numbers: FAN_NUMBERS, init: true }),
  method("varianceScaling", "fan", { options: ["scale", "mode", "distribution", ...FAN], numbers: ["scale", ...FAN_NUMBERS], init: true }),
  method("orthogonal", "matrix", { options: ["gain", "layout", "seed", "generator", "dtype", "threads", "signal"], numbers: ["gain"] }),
  method("eye", "matrix", { options: ["gain", "dtype", "signal"], numbers: ["gain"] }),
  method("identity", "matrix", { options: ["gain", "dtype", "signal"], numbers: ["gain"] }),
  method("dirac", "matrix", { options: ["groups", "layout", "dtype", "signal"] }),
  method("sparse", "matrix", { options: ["sparsity", "std", "seed", "generator", "dtype", "threads", "signal"], numbers: ["sparsity", "std"] }),
  method("zca", "matrix", { options: ["rows", "cols", "eps", "dtype", "signal"], numbers: ["eps"], operand: "data" }),
] as const);

type Table = typeof FILL_METHODS;
/** A public fill method's name. */
export type MethodName = Table[number]["name"];
/** The names of one family's methods. */
export type MethodNamesOf<F extends Family> = Extract<Table[number], { readonly family: F }>["name"];

type InitTuple<T> = T extends readonly [infer H, ...infer R]
  ? H extends { readonly init: true; readonly name: infer N } ? [N, ...InitTuple<R>] : InitTuple<R>
  : [];
/** The model-spec init names, in table order, as a tuple type. */
export type InitNames = InitTuple<Table>;

/** The model-spec init names, in table order (a new array on each call). */
export function initNames(): InitNames {
  return FILL_METHODS.filter((m) => m.init).map((m) => m.name) as unknown as InitNames;
}

const BY_NAME: ReadonlyMap<string, FillMethod> = new Map(FILL_METHODS.map((m) => [m.name, m]));

/** The table entry of method `name` (undefined for a name that is no fill method). */
export function methodInfo(name: string): FillMethod | undefined {
  return BY_NAME.get(name);
}
