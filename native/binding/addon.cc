// The N-API module nninit.node (node-addon-api, C++ exceptions). Exports:
//   fill(out, dtype, kernel, params, keyHi, keyLo, offset, threads[, isa])          -> undefined
//   fillAsync(same)                                                                   -> Promise<void>
//   fillConstant(out, dtype, value, threads[, isa]) / fillConstantAsync(same)
//   orthonormalize(a, m, n, gain, transpose, threads[, isa]) / orthonormalizeAsync(same)
//                                                     gain·Q of a's m×n matrix (native/linalg/qr.h)
//   sparseZeros(out, dtype, keyHi, keyLo, rows, cols, zeros, threads[, isa])
//                                                     +0 at sparse's zero positions (native/core/sparse.h)
//   streamFill(out: Float32Array, value, threads)   streaming-store constant fill (bench baseline)
//   quantizeQ8_0(src: Float32Array, srcOffset, n, dst: Uint8Array, dstOffset[, threads[, isa]]) -> bytes
//   quantizeQ4_0(same) -> bytes                       GGUF block quantizers (native/core/quant.h)
//   fillQuantize(dst: Uint8Array, dstOffset, type, n, kernel, params, keyHi, keyLo, offset, threads[, isa]) -> bytes
//                                                     a float32 fill quantized on the fly (core/fill.h)
//   writeBehind(fd, start, length, dropStart, dropLength) -> Promise<void>
//                                                     streamed-file write-behind (write_behind.cc)
//   setThreads(n)  (0: hardware default)   setIsa(id)   info() -> {isa, isas, compiled, threads, hardwareThreads}
// dtype/kernel codes follow DTYPES (lib/plan/validate.ts) and KERNELS (lib/backend/jsKernels.ts).
// Registered per context (NODE_API_MODULE), so it loads in every worker_thread; per-env settings
// live in instance data (env_state.h). No math here.
#include <napi.h>

#include <thread>

#ifndef _WIN32
#include <dlfcn.h>
#endif

#include "../core/fill.h"
#include "../core/sparse.h"
#include "args.h"
#include "env_state.h"
#include "errors.h"
#include "fill_async.h"
#include "orthonormalize.h"
#include "quantize.h"
#include "write_behind.h"

namespace nninit {

int hardware_threads() {
  const unsigned n = std::thread::hardware_concurrency();
  return n == 0 ? 1 : n > static_cast<unsigned>(kMaxThreads) ? kMaxThreads : static_cast<int>(n);
}

namespace {

// The element-wise fills: one parser (args.cc) per fill kind, then the sync or the async path.
using ParseFill = FillPlan (*)(const Napi::CallbackInfo&, OutArg&);

template <ParseFill Parse>
Napi::Value SyncFill(const Napi::CallbackInfo& info) {
  return guard(info.Env(), [&] {
    OutArg out;
    fill_sync(Parse(info, out));
    return info.Env().Undefined();
  });
}

template <ParseFill Parse>
Napi::Value AsyncFill(const Napi::CallbackInfo& info) {
  return guard(info.Env(), [&] {
    OutArg out;
    FillPlan plan = Parse(info, out);
    return start_async(info.Env(), plan, out);
  });
}

Napi::Value SparseZeros(const Napi::CallbackInfo& info) {
  return guard(info.Env(), [&] {
    sparse_zeros(parse_sparse(info));
    return info.Env().Undefined();
  });
}

Napi::Value SetThreads(const Napi::CallbackInfo& info) {
  if (info.Length() != 1) throw_value(info.Env(), "nninit binding setThreads expects 1 argument");
  const int n = parse_threads(info.Env(), info[0], "threads");
  env_state(info.Env()).threads = n == 0 ? hardware_threads() : n;
  return info.Env().Undefined();
}

Napi::Value SetIsa(const Napi::CallbackInfo& info) {
  if (info.Length() != 1) throw_value(info.Env(), "nninit binding setIsa expects 1 argument");
  env_state(info.Env()).impl = parse_isa(info.Env(), info[0], "isa");
  return info.Env().Undefined();
}

Napi::Array names(Napi::Env env, bool supported_only) {
  Napi::Array a = Napi::Array::New(env);
  uint32_t i = 0;
  for (const Impl& impl : compiled_impls()) {
    if (!supported_only || impl.supported) a.Set(i++, Napi::String::New(env, impl.name));
  }
  return a;
}

Napi::Value Info(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const EnvState& st = env_state(env);
  Napi::Object o = Napi::Object::New(env);
  o.Set("isa", st.impl->name);
  o.Set("isas", names(env, true));
  o.Set("compiled", names(env, false));
  o.Set("threads", st.threads);
  o.Set("hardwareThreads", hardware_threads());
  return o;
}

// Keeps nninit.node mapped for the life of the process. Node dlcloses an addon when the last
// environment that loaded it goes away (a worker_thread that ends, when the main thread never
// required nninit), but the pool's threads outlive every environment (native/core/pool.cc): their
// code must stay. A second dlopen with RTLD_NODELETE makes the unload a no-op.
void pin_library() {
#ifndef _WIN32
  static const bool pinned = [] {
    Dl_info info;
    return dladdr(reinterpret_cast<void*>(&pin_library), &info) != 0 && info.dli_fname != nullptr &&
           dlopen(info.dli_fname, RTLD_NOW | RTLD_NODELETE) != nullptr;
  }();
  (void)pinned;
#endif
}

}  // namespace

Napi::Object init_module(Napi::Env env, Napi::Object exports) {
  pin_library();
  env.SetInstanceData<EnvState>(new EnvState{best_impl(), hardware_threads()});
  exports.Set("fill", Napi::Function::New(env, SyncFill<parse_random>, "fill"));
  exports.Set("fillAsync", Napi::Function::New(env, AsyncFill<parse_random>, "fillAsync"));
  exports.Set("fillConstant", Napi::Function::New(env, SyncFill<parse_constant>, "fillConstant"));
  exports.Set("fillConstantAsync", Napi::Function::New(env, AsyncFill<parse_constant>, "fillConstantAsync"));
  exports.Set("orthonormalize", Napi::Function::New(env, Orthonormalize, "orthonormalize"));
  exports.Set("orthonormalizeAsync", Napi::Function::New(env, OrthonormalizeAsync, "orthonormalizeAsync"));
  exports.Set("sparseZeros", Napi::Function::New(env, SparseZeros, "sparseZeros"));
  exports.Set("streamFill", Napi::Function::New(env, SyncFill<parse_stream>, "streamFill"));
  exports.Set("quantizeQ8_0", Napi::Function::New(env, QuantizeQ8_0, "quantizeQ8_0"));
  exports.Set("quantizeQ4_0", Napi::Function::New(env, QuantizeQ4_0, "quantizeQ4_0"));
  exports.Set("fillQuantize", Napi::Function::New(env, FillQuantize, "fillQuantize"));
  exports.Set("writeBehind", Napi::Function::New(env, WriteBehindAsync, "writeBehind"));
  exports.Set("setThreads", Napi::Function::New(env, SetThreads, "setThreads"));
  exports.Set("setIsa", Napi::Function::New(env, SetIsa, "setIsa"));
  exports.Set("info", Napi::Function::New(env, Info, "info"));
  return exports;
}

}  // namespace nninit

static Napi::Object InitNninit(Napi::Env env, Napi::Object exports) { return nninit::init_module(env, exports); }

NODE_API_MODULE(nninit, InitNninit)
