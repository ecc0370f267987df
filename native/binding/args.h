// Re-checks every argument the binding receives from JS (the TypeScript layer validated them
// already; the native layer trusts nothing) and builds a FillPlan. Every failure throws a JS
// TypeError/RangeError (native/binding/errors.h); nothing is written before all checks pass.
#ifndef NNINIT_BINDING_ARGS_H_
#define NNINIT_BINDING_ARGS_H_

#include <napi.h>

#include "../core/fill.h"
#include "../core/sparse.h"
#include "../linalg/qr.h"

namespace nninit {

// The checked output array.
struct OutArg {
  Napi::TypedArray array;
  napi_value buffer = nullptr;  // its ArrayBuffer or SharedArrayBuffer
  bool shared = false;          // backed by a SharedArrayBuffer (can never be detached)
};

// fill / fillAsync(out, dtype, kernel, params, keyHi, keyLo, offset, threads[, isa])
FillPlan parse_random(const Napi::CallbackInfo& info, OutArg& out);
// kernel, params, keyHi, keyLo at info[at .. at + 3] into s.kernel, s.params and s.key (fill's
// arguments 2..5; fillQuantize's 4..7)
void parse_kernel(const Napi::CallbackInfo& info, size_t at, FillPlan& s);
// fillConstant / fillConstantAsync(out, dtype, value, threads[, isa])
FillPlan parse_constant(const Napi::CallbackInfo& info, OutArg& out);
// streamFill(out: Float32Array, value, threads)
FillPlan parse_stream(const Napi::CallbackInfo& info, OutArg& out);
// orthonormalize / orthonormalizeAsync(a: Float32Array, m, n, gain, transpose, threads[, isa]):
// m >= n >= 1 integers with m*n <= a.length, gain finite, transpose boolean. `a` is the checked array.
struct OrthoArgs {
  OrthoSpec spec;
  OutArg a;
  float* data = nullptr;
};
OrthoArgs parse_orthonormalize(const Napi::CallbackInfo& info, const char* fn);
// sparseZeros(out, dtype, keyHi, keyLo, rows, cols, zeros, threads[, isa]): out of the dtype's array
// type with out.length == rows*cols, rows < 2^32, 0 <= zeros <= rows. `isa` is checked like every
// binding's (the zeroing is integer code, the same on every ISA).
SparseSpec parse_sparse(const Napi::CallbackInfo& info);
// The ISA named by a JS value (a supported ISA id), for setIsa and the optional isa arguments.
const Impl* parse_isa(Napi::Env env, const Napi::Value& v, const char* name);
// A thread count in [0, kMaxThreads] (0: the environment's default).
int parse_threads(Napi::Env env, const Napi::Value& v, const char* name);

// Shared checks (RangeError for a wrong count, TypeError/RangeError naming `name` otherwise).
void check_count(const Napi::CallbackInfo& info, size_t min, size_t max, const char* fn);
double get_number(Napi::Env env, const Napi::Value& v, const char* name);
// An integer-valued number in [lo, hi].
double get_integer(Napi::Env env, const Napi::Value& v, const char* name, double lo, double hi);

}  // namespace nninit

#endif  // NNINIT_BINDING_ARGS_H_
