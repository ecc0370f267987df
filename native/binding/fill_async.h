// Promise-returning fills computed on nninit's pool, off the event loop (docs/contributing.md, "Pitfalls": async fills, terminated workers).
#ifndef NNINIT_BINDING_FILL_ASYNC_H_
#define NNINIT_BINDING_FILL_ASYNC_H_

#include <napi.h>

#include <string>

#include "args.h"

namespace nninit {

// Starts `spec` on the pool and returns a Promise that settles on the main thread.
// SharedArrayBuffer-backed `out` is written in place; any other `out` is computed into native
// memory and copied in when done, after re-checking that it is still attached and as long.
Napi::Value start_async(Napi::Env env, FillSpec spec, const OutArg& out);

// Shared by the async bindings (fill_async.cc, orthonormalize.cc); main thread only.
// An Error (RangeError when `range`) with Node's `code`.
napi_value make_error(napi_env env, bool range, const char* code, const std::string& msg);
// Copies `bytes` from `src` into the typed array behind `ref` if it is still attached and still
// `length` elements long; false (nothing written) otherwise.
bool copy_if_attached(napi_env env, napi_ref ref, size_t length, const void* src, size_t bytes);
// Rejects `deferred` with `error`, or resolves it with undefined when `error` is null.
void settle_deferred(napi_env env, napi_deferred deferred, napi_value error);

}  // namespace nninit

#endif  // NNINIT_BINDING_FILL_ASYNC_H_
