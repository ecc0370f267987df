// writeBehind(fd, start, length, dropStart, dropLength) -> Promise<void>, for lib/model/pipe.ts's
// ChunkWriter (docs/models.md "Write-behind"). On libuv's thread pool, never on the event loop:
//   1. sync_file_range(start, length, WRITE): start writing back the chunk just written, now;
//   2. if dropLength > 0: wait until [dropStart, +dropLength) (written a few chunks earlier) is on
//      the device (WAIT_BEFORE | WRITE | WAIT_AFTER), then posix_fadvise(DONTNEED) it.
// So a streamed checkpoint keeps a bounded window of dirty and cached pages instead of the whole
// file, the final fsync has almost nothing left to do, and the page cache reuses the same pages
// (on the development VM a fresh page costs the host a fault: plain writes of 2.2 GB took 3.6-6.5 s,
// with write-behind 1.0-1.1 s). Both calls are advice: EINVAL/ESPIPE/ENOSYS (a pipe, a file system
// without the call) are ignored; EIO, ENOSPC and the like reject with the errno's code. Outside
// Linux the promise resolves and nothing happens (the final fsync does all the work).
#include "write_behind.h"

#include <cerrno>
#include <cmath>
#include <cstring>
#include <string>

#ifdef __linux__
#include <fcntl.h>
#endif

#include "errors.h"

namespace nninit {
namespace {

constexpr double kMaxSafe = 9007199254740991.0;  // 2^53 - 1

double integer_arg(const Napi::CallbackInfo& info, size_t i, const char* name, double hi) {
  const Napi::Value v = info[i];
  if (!v.IsNumber()) throw_type(info.Env(), name, "of type number", v);
  const double x = v.As<Napi::Number>().DoubleValue();
  if (!(x >= 0 && x <= hi) || std::floor(x) != x) {
    throw_range(info.Env(), name, hi == kMaxSafe ? "a safe integer >= 0" : "an integer in [0, 2147483647]", v);
  }
  return x;
}

const char* errno_code(int e) {
  switch (e) {
    case EIO: return "EIO";
    case ENOSPC: return "ENOSPC";
    case EDQUOT: return "EDQUOT";
    case EBADF: return "EBADF";
    case ENOMEM: return "ENOMEM";
    default: return "EIO";
  }
}

class WriteBehind : public Napi::AsyncWorker {
 public:
  WriteBehind(Napi::Env env, int fd, int64_t start, int64_t length, int64_t drop_start, int64_t drop_length)
      : Napi::AsyncWorker(env, "nninit.writeBehind"),
        deferred_(Napi::Promise::Deferred::New(env)),
        fd_(fd), start_(start), length_(length), drop_start_(drop_start), drop_length_(drop_length) {}

  Napi::Promise promise() const { return deferred_.Promise(); }

  void Execute() override {
#ifdef __linux__
    if (length_ > 0 && sync_file_range(fd_, start_, length_, SYNC_FILE_RANGE_WRITE) != 0) note(errno);
    if (drop_length_ > 0 && error_ == 0) {
      const unsigned flags = SYNC_FILE_RANGE_WAIT_BEFORE | SYNC_FILE_RANGE_WRITE | SYNC_FILE_RANGE_WAIT_AFTER;
      if (sync_file_range(fd_, drop_start_, drop_length_, flags) != 0) note(errno);
      if (error_ == 0) {
        const int r = posix_fadvise(fd_, drop_start_, drop_length_, POSIX_FADV_DONTNEED);
        if (r != 0) note(r);
      }
    }
#endif
  }

  void OnOK() override {
    if (error_ == 0) {
      deferred_.Resolve(Env().Undefined());
      return;
    }
    Napi::Error e = Napi::Error::New(Env(), std::string("write-behind failed: ") + std::strerror(error_));
    e.Set("code", Napi::String::New(Env(), errno_code(error_)));
    e.Set("errno", Napi::Number::New(Env(), -error_));
    deferred_.Reject(e.Value());
  }

  void OnError(const Napi::Error& e) override { deferred_.Reject(e.Value()); }

 private:
  // Advice the file or its file system does not take is not an error.
  void note(int e) {
    if (e == EINVAL || e == ESPIPE || e == ENOSYS || e == EOPNOTSUPP) return;
    if (error_ == 0) error_ = e;
  }

  Napi::Promise::Deferred deferred_;
  int fd_;
  int64_t start_, length_, drop_start_, drop_length_;
  int error_ = 0;
};

}  // namespace

Napi::Value WriteBehindAsync(const Napi::CallbackInfo& info) {
  return guard(info.Env(), [&]() -> Napi::Value {
    if (info.Length() != 5) throw_value(info.Env(), "nninit binding writeBehind expects 5 arguments, got " + std::to_string(info.Length()));
    const int fd = static_cast<int>(integer_arg(info, 0, "fd", 2147483647.0));
    const double start = integer_arg(info, 1, "start", kMaxSafe);
    const double length = integer_arg(info, 2, "length", kMaxSafe);
    const double drop_start = integer_arg(info, 3, "dropStart", kMaxSafe);
    const double drop_length = integer_arg(info, 4, "dropLength", kMaxSafe);
    if (start + length > kMaxSafe || drop_start + drop_length > kMaxSafe) {
      throw_value(info.Env(), "nninit binding writeBehind: a range ends past 2^53 - 1");
    }
    auto* w = new WriteBehind(info.Env(), fd, static_cast<int64_t>(start), static_cast<int64_t>(length),
                              static_cast<int64_t>(drop_start), static_cast<int64_t>(drop_length));
    Napi::Promise p = w->promise();
    w->Queue();  // AsyncWorker deletes itself after OnOK/OnError
    return p;
  });
}

}  // namespace nninit
