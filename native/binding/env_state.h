// Per-environment settings (main thread and each worker_thread have their own), kept as N-API
// instance data: the default ISA and the default thread count.
#ifndef NNINIT_BINDING_ENV_STATE_H_
#define NNINIT_BINDING_ENV_STATE_H_

#include <napi.h>

#include "../core/dispatch.h"
#include "../core/types.h"

namespace nninit {

struct EnvState {
  const Impl* impl;
  int threads;
};

// std::thread::hardware_concurrency(), at least 1 and at most kMaxThreads.
int hardware_threads();

inline EnvState& env_state(Napi::Env env) { return *env.GetInstanceData<EnvState>(); }

}  // namespace nninit

#endif  // NNINIT_BINDING_ENV_STATE_H_
