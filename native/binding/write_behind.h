// Write-behind for streamed files (native/binding/write_behind.cc).
#ifndef NNINIT_BINDING_WRITE_BEHIND_H_
#define NNINIT_BINDING_WRITE_BEHIND_H_

#include <napi.h>

namespace nninit {

// writeBehind(fd, start, length, dropStart, dropLength) -> Promise<void>
Napi::Value WriteBehindAsync(const Napi::CallbackInfo& info);

}  // namespace nninit

#endif  // NNINIT_BINDING_WRITE_BEHIND_H_
