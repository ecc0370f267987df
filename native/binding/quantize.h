// The binding's quantizeQ8_0 / quantizeQ4_0 (native/binding/quantize.cc), the N-API side of
// native/core/quant.h.
#ifndef NNINIT_BINDING_QUANTIZE_H_
#define NNINIT_BINDING_QUANTIZE_H_

#include <napi.h>

namespace nninit {

// quantizeQ8_0(src: Float32Array, srcOffset, n, dst: Uint8Array, dstOffset[, threads[, isa]]) -> bytes written
// Quantizes src[srcOffset .. srcOffset + n) (n a multiple of 32) into n / 32 blocks of 34 bytes
// at dst[dstOffset ..]; n / 32 * 34 is returned.
Napi::Value QuantizeQ8_0(const Napi::CallbackInfo& info);
// quantizeQ4_0(same) -> bytes written (n / 32 * 18)
Napi::Value QuantizeQ4_0(const Napi::CallbackInfo& info);
// fillQuantize(dst: Uint8Array, dstOffset, type (0 Q8_0, 1 Q4_0), n, kernel, params, keyHi, keyLo,
// offset, threads[, isa]) -> bytes written: the float32 random fill of stream elements
// [offset, offset + n) (as fill's kernel/params/key; offset and n multiples of 32) quantized into
// n / 32 blocks at dst[dstOffset ..] without storing the floats (native/core/fill.h
// fill_quantize_sync). The same bytes as fill into a Float32Array, then quantizeQ8_0/Q4_0.
Napi::Value FillQuantize(const Napi::CallbackInfo& info);

}  // namespace nninit

#endif  // NNINIT_BINDING_QUANTIZE_H_
