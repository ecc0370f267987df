// Async fills (native/binding/fill_async.h), on the pool through start_pool_promise (its lifetime
// rules: native/binding/pool_promise.h).
//
// An ordinary `out` is never written by a pool thread: the fill writes `scratch`, owned here, and
// settle() copies it into `out` on the main thread if `out` is still attached with the same
// length. A SharedArrayBuffer-backed `out` is written in place. The Promise carries cancel() (an
// AbortSignal's abort): the pool skips the tasks not yet started and settle() rejects once the
// running ones finished.
#include "fill_async.h"

#include <cstdlib>
#include <memory>
#include <string>

#include "errors.h"
#include "pool_promise.h"

namespace nninit {
namespace {

class AsyncFill : public PoolTask {
 public:
  ~AsyncFill() override { std::free(scratch); }

  napi_value settle(napi_env env, napi_ref out) override {
    if (group->cancelled()) return make_error(env, false, "ERR_NNINIT_CANCELLED", "nninit: the async fill was cancelled");
    if (scratch != nullptr && !copy_if_attached(env, out, length, scratch, bytes)) {
      return make_error(env, true, "ERR_INVALID_STATE",
                        "The \"out\" argument was detached, transferred or resized while the async fill ran; "
                        "nothing was written");
    }
    return nullptr;
  }

  void* scratch = nullptr;  // null: writing in place (SharedArrayBuffer or empty)
  size_t bytes = 0;
  size_t length = 0;        // out.length at the start
};

void* alloc_scratch(size_t bytes) {
  const size_t rounded = (bytes + 63) / 64 * 64;
  return std::aligned_alloc(64, rounded == 0 ? 64 : rounded);
}

}  // namespace

Napi::Value start_async(Napi::Env env, FillPlan plan, const OutArg& out) {
  auto a = std::make_unique<AsyncFill>();
  a->length = plan.n;
  a->bytes = plan.n * dtype_size(plan.dtype);
  if (!out.shared && plan.n > 0) {
    a->scratch = alloc_scratch(a->bytes);
    if (a->scratch == nullptr) {
      throw Napi::Error::New(env, "nninit: out of memory for the async fill's buffer (" + std::to_string(a->bytes) + " bytes)");
    }
    plan.dst = a->scratch;
    if (plan.nt_mode == 0) plan.nt_mode = -1;  // read back soon by the copy: keep it in cache
  }
  napi_value promise = start_pool_promise(env, std::move(a), out.array, "nninit.fillAsync", true,
                                          [&plan](std::function<void()> on_done) { return fill_async(plan, std::move(on_done)); });
  return Napi::Value(env, promise);
}

}  // namespace nninit
