/**
 * Fan-in / fan-out of a weight shape, in both conventions (docs/methods.md §1).
 *
 * - layout "torch" (PyTorch nn.init._calculate_fan_in_and_fan_out), shape [out, in, ...kernel]:
 *   receptive = prod(shape[2:]); fanIn = shape[1] * receptive; fanOut = shape[0] * receptive.
 *   Fewer than 2 dimensions is an error, as in PyTorch.
 * - layout "keras" (Keras initializers._compute_fans), shape [...kernel, in, out]:
 *   0-D: fanIn = fanOut = 1; 1-D: fanIn = fanOut = shape[0]; 2-D: [in, out];
 *   N-D: receptive = prod(shape[:-2]); fanIn = shape[-2] * receptive; fanOut = shape[-1] * receptive.
 * Zero-size dimensions give zero fans (both libraries); a zero-element fill writes nothing.
 */
import { rangeError } from "./errors.js";
import { arg, checkEnum, checkShape } from "./validate.js";

export const LAYOUTS = ["torch", "keras"] as const;
/** "torch": [out, in, ...kernel] (PyTorch); "keras": [...kernel, in, out] (Keras, TensorFlow.js). */
export type Layout = (typeof LAYOUTS)[number];

/** Fan-in and fan-out of a weight tensor. */
export interface Fans {
  fanIn: number;
  fanOut: number;
}

/** Fans of a validated shape. */
export function fansOf(shape: readonly number[], layout: Layout): Fans {
  const n = shape.length;
  if (layout === "torch") {
    if (n < 2) throw rangeError(arg("shape"), "of at least 2 dimensions to compute fans with layout \"torch\" (as PyTorch)", shape);
    let receptive = 1;
    for (let i = 2; i < n; i++) receptive *= shape[i];
    return { fanIn: shape[1] * receptive, fanOut: shape[0] * receptive };
  }
  if (n === 0) return { fanIn: 1, fanOut: 1 };
  if (n === 1) return { fanIn: shape[0], fanOut: shape[0] };
  let receptive = 1;
  for (let i = 0; i < n - 2; i++) receptive *= shape[i];
  return { fanIn: shape[n - 2] * receptive, fanOut: shape[n - 1] * receptive };
}

/**
 * Computes the fans of `shape` (default layout "torch").
 * @example computeFans([64, 3, 7, 7]) // { fanIn: 147, fanOut: 3136 }
 */
export function computeFans(shape: readonly number[], layout: Layout = "torch"): Fans {
  return fansOf(checkShape(shape), checkEnum(arg("layout"), layout, LAYOUTS));
}

