// orthonormalize / orthonormalizeAsync (native/binding/orthonormalize.h).
//
// Sync: the checked Float32Array is copied into a float64 workspace, factored, and written back
// only at the very end, so an error (bad argument, std::bad_alloc) leaves it unchanged.
// Async (start_pool_promise, native/binding/pool_promise.h: the lifetime rules): `a` is read into the workspace
// on the main thread before the Promise is returned; one pool task computes into a float32
// scratch (running each parallel step with threads + 1 participants so that `threads` are busy
// besides it; results never depend on the count); the main thread copies the scratch into `a` in
// the completion callback if `a` is still attached with the same length, and rejects otherwise.
// An env cleanup hook cancels (the factorization stops between panels) and waits.
#include "orthonormalize.h"

#include <atomic>
#include <cstring>
#include <memory>
#include <new>
#include <string>

#include "../core/pool.h"
#include "../linalg/qr.h"
#include "args.h"
#include "errors.h"
#include "pool_promise.h"

namespace nninit {
namespace {

class AsyncOrtho : public PoolTask {
 public:
  napi_value settle(napi_env env, napi_ref a) override {
    if (group->cancelled() || cancel.load()) {
      return make_error(env, false, "ERR_NNINIT_CANCELLED", "nninit: the async orthonormalize was cancelled");
    }
    if (!error.empty()) return make_error(env, false, "ERR_NNINIT_OUT_OF_MEMORY", error);
    if (!copy_if_attached(env, a, length, scratch.get(), spec.m * spec.n * sizeof(float))) {
      return make_error(env, true, "ERR_INVALID_STATE",
                        "The \"a\" argument was detached, transferred or resized while the async orthonormalize ran; "
                        "nothing was written");
    }
    return nullptr;
  }

  // The factorization stops between panels.
  void teardown() override { cancel.store(true); }

  // On a pool thread.
  void compute() {
    OrthoSpec s = spec;
    if (s.threads > 1) s.threads += 1;  // this thread only coordinates between parallel steps
    try {
      orthonormalize_workspace(s, work.data(), scratch.get(), &cancel);
    } catch (const std::bad_alloc&) {
      error = "nninit: out of memory";
    } catch (const std::exception& e) {
      error = std::string("nninit: ") + e.what();
    }
    work = Doubles();
  }

  std::atomic<bool> cancel{false};
  OrthoSpec spec;
  Doubles work;
  std::unique_ptr<float[]> scratch;
  size_t length = 0;  // a.length at the start
  std::string error;  // set by the task when it failed (out of memory)
};

}  // namespace

Napi::Value Orthonormalize(const Napi::CallbackInfo& info) {
  return guard(info.Env(), [&] {
    OrthoArgs r = parse_orthonormalize(info, "orthonormalize");
    Doubles w = load_workspace(r.spec, r.data);
    orthonormalize_workspace(r.spec, w.data(), r.data, nullptr);
    return info.Env().Undefined();
  });
}

Napi::Value OrthonormalizeAsync(const Napi::CallbackInfo& info) {
  return guard(info.Env(), [&] {
    Napi::Env env = info.Env();
    OrthoArgs r = parse_orthonormalize(info, "orthonormalizeAsync");
    auto a = std::make_unique<AsyncOrtho>();
    AsyncOrtho* task = a.get();
    task->spec = r.spec;
    task->length = r.a.array.ElementLength();
    task->work = load_workspace(r.spec, r.data);
    task->scratch.reset(new float[r.spec.m * r.spec.n]);
    napi_value promise = start_pool_promise(env, std::move(a), r.a.array, "nninit.orthonormalizeAsync", false,
                                            [task](std::function<void()> on_done) {
                                              return run_async(1, 1, [task](size_t) { task->compute(); }, std::move(on_done));
                                            });
    return Napi::Value(env, promise);
  });
}

}  // namespace nninit
