/**
 * PyTorch's torch.nn.init.calculate_gain table (docs/methods.md §2).
 */
import { rangeError, typeError } from "./errors.js";
import { arg, checkEnum } from "./validate.js";

export const NONLINEARITIES = [
  "linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d", "conv_transpose3d",
  "sigmoid", "tanh", "relu", "leaky_relu", "selu",
] as const;
/** A nonlinearity name accepted by calculateGain (PyTorch's spelling). */
export type Nonlinearity = (typeof NONLINEARITIES)[number];

/**
 * The recommended gain for a nonlinearity: 1 for linear/conv/sigmoid, 5/3 for tanh, sqrt(2) for
 * relu, sqrt(2 / (1 + slope^2)) for leaky_relu (slope = `param`, default 0.01), 3/4 for selu.
 */
export function calculateGain(nonlinearity: Nonlinearity, param?: number): number {
  const nl = checkEnum(arg("nonlinearity"), nonlinearity, NONLINEARITIES);
  switch (nl) {
    case "tanh": return 5 / 3;
    case "relu": return Math.SQRT2;
    case "selu": return 3 / 4;
    case "leaky_relu": {
      if (param === undefined) param = 0.01;
      if (typeof param !== "number") throw typeError(arg("param"), "of type number (the negative slope)", param);
      if (!Number.isFinite(param)) throw rangeError(arg("param"), "a finite number", param);
      return Math.sqrt(2 / (1 + param * param));
    }
    default: return 1;
  }
}
