// Promise-returning fills computed on nninit's pool, off the event loop (docs/contributing.md, "Pitfalls": async fills, terminated workers).
#ifndef NNINIT_BINDING_FILL_ASYNC_H_
#define NNINIT_BINDING_FILL_ASYNC_H_

#include <napi.h>

#include "args.h"

namespace nninit {

// Starts `plan` on the pool and returns a Promise that settles on the main thread.
// SharedArrayBuffer-backed `out` is written in place; any other `out` is computed into native
// memory and copied in when done, after re-checking that it is still attached and as long.
Napi::Value start_async(Napi::Env env, FillPlan plan, const OutArg& out);

}  // namespace nninit

#endif  // NNINIT_BINDING_FILL_ASYNC_H_
