// The binding's orthonormalize / orthonormalizeAsync (native/binding/orthonormalize.cc), the N-API
// side of native/linalg/qr.h.
#ifndef NNINIT_BINDING_ORTHONORMALIZE_H_
#define NNINIT_BINDING_ORTHONORMALIZE_H_

#include <napi.h>

namespace nninit {

// orthonormalize(a: Float32Array, m, n, gain, transpose, threads[, isa]) -> undefined
Napi::Value Orthonormalize(const Napi::CallbackInfo& info);
// orthonormalizeAsync(same) -> Promise<void>
Napi::Value OrthonormalizeAsync(const Napi::CallbackInfo& info);

}  // namespace nninit

#endif  // NNINIT_BINDING_ORTHONORMALIZE_H_
