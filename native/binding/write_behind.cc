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
#include <cstring>
#include <string>

#ifdef __linux__
#include <fcntl.h>
#endif

#include "args.h"
#include "errors.h"

namespace nninit {
namespace {

constexpr double kMaxSafe = 9007199254740991.0;  // 2^53 - 1

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
    Napi::Env env = info.Env();
    check_count(info, 5, 5, "writeBehind");
    const int fd = static_cast<int>(get_integer(env, info[0], "fd", 0, 2147483647.0));
    const double start = get_integer(env, info[1], "start", 0, kMaxSafe);
    const double length = get_integer(env, info[2], "length", 0, kMaxSafe);
    const double drop_start = get_integer(env, info[3], "dropStart", 0, kMaxSafe);
    const double drop_length = get_integer(env, info[4], "dropLength", 0, kMaxSafe);
    if (start + length > kMaxSafe || drop_start + drop_length > kMaxSafe) {
      throw_value(env, "nninit binding writeBehind: a range ends past 2^53 - 1");
    }
    auto* w = new WriteBehind(env, fd, static_cast<int64_t>(start), static_cast<int64_t>(length),
                              static_cast<int64_t>(drop_start), static_cast<int64_t>(drop_length));
    Napi::Promise p = w->promise();
    w->Queue();  // AsyncWorker deletes itself after OnOK/OnError
    return p;
  });
}

}  // namespace nninit
