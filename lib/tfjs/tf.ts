/**
 * The one place that loads TensorFlow.js. Only `nninit/tfjs` reaches this file; the main entry
 * never loads tfjs (test/tfjs.test.ts checks it).
 *
 * tfjs-layers does not export its `Initializer` base class, yet `tf.layers.dense({kernelInitializer})`
 * accepts an object only if it is `instanceof` that class (tfjs-layers `getInitializer`); anything
 * else is taken for a config dict. So the base class is read off an instance that tfjs-layers made:
 * `Object.getPrototypeOf(Zeros) === Initializer` (initializers.ts in tfjs-layers 4.x). Both
 * packages must be the copies the application uses: tfjs's own bundles (`@tensorflow/tfjs`,
 * `@tensorflow/tfjs-node`) `require` them by name, so npm's hoisting gives one copy of each; a
 * second copy of tfjs-core would make registration invisible to tfjs-layers, hence the check below.
 */
import type * as TfCore from "@tensorflow/tfjs-core";
import type * as TfLayers from "@tensorflow/tfjs-layers";
import type { Initializer } from "@tensorflow/tfjs-layers/dist/initializers";

// Each require names its package literally, so that bundlers (a browser build: docs/browser.md) see it.
function load<T>(name: string, get: () => unknown): T {
  try {
    return get() as T;
  } catch (cause) {
    throw new Error(`nninit/tfjs needs the "${name}" package (install @tensorflow/tfjs or @tensorflow/tfjs-node)`, { cause });
  }
}

/** tfjs-core: tensors and the serialization registry. */
export const tfc = load<typeof TfCore>("@tensorflow/tfjs-core", () => require("@tensorflow/tfjs-core"));
const tfl = load<typeof TfLayers>("@tensorflow/tfjs-layers", () => require("@tensorflow/tfjs-layers"));

/** tfjs-layers' abstract `Initializer` class (not exported by tfjs-layers; see the header). */
export const InitializerBase = Object.getPrototypeOf(tfl.initializers.zeros().constructor) as typeof Initializer;

if (typeof InitializerBase !== "function" || !(InitializerBase.prototype instanceof tfc.serialization.Serializable)) {
  throw new Error(
    "nninit/tfjs: @tensorflow/tfjs-layers and @tensorflow/tfjs-core resolve to different copies of tfjs-core " +
      "(classes registered here would be invisible to tfjs-layers); dedupe them (npm dedupe)",
  );
}

export type { Initializer };
export type Tensor = TfCore.Tensor;
export type DataType = TfCore.DataType;
export type ConfigDict = TfCore.serialization.ConfigDict;
export type Serializable = TfCore.serialization.Serializable;
export type SerializableConstructor<T extends Serializable> = TfCore.serialization.SerializableConstructor<T>;
