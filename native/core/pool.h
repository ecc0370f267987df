// nninit's own persistent thread pool (not libuv's: a long fill there would starve fs/dns/crypto).
// A TaskGroup is `ntasks` independent tasks fn(t) (the C++ side has no "job": lib/api/execute.ts's
// Job is a TS-level fill or matrix job); participants claim tasks from an atomic counter, so WHICH
// thread runs a task never matters (the partition itself is fixed by native/core/fill.cc).
// Sync task groups: the calling thread works too and waits. Async task groups: pool threads only;
// `on_done` runs on the thread that finishes the last task. Task groups can be cancelled (env
// teardown): tasks not yet started are skipped, and wait() returns once none is running.
#ifndef NNINIT_CORE_POOL_H_
#define NNINIT_CORE_POOL_H_

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>

namespace nninit {

class TaskGroup {
 public:
  TaskGroup(size_t ntasks, int max_workers, std::function<void(size_t)> fn, std::function<void()> on_done);
  void cancel() { cancelled_.store(true); }
  bool cancelled() const { return cancelled_.load(); }
  // Blocks until every task has finished or been skipped, and on_done has returned.
  void wait();

 private:
  friend class Pool;
  friend void run_sync(size_t, int, const std::function<void(size_t)>&);
  void run_tasks();  // claims and runs tasks until none is left
  bool exhausted() const { return next_.load() >= ntasks_; }

  const size_t ntasks_;
  const int max_workers_;  // pool threads that may join
  int workers_ = 0;        // pool threads that joined (guarded by the pool's mutex)
  std::function<void(size_t)> fn_;
  std::function<void()> on_done_;
  std::atomic<size_t> next_{0};
  std::atomic<size_t> done_{0};
  std::atomic<bool> cancelled_{false};
  std::mutex mutex_;
  std::condition_variable cv_;
  bool finished_ = false;
};

// Most pool threads ever started (threads asked beyond it only change scheduling, never output).
constexpr int kMaxPoolThreads = 256;

// Runs fn(0..ntasks) on the calling thread plus up to threads-1 pool threads; returns when done.
void run_sync(size_t ntasks, int threads, const std::function<void(size_t)>& fn);
// Starts fn(0..ntasks) on up to `threads` pool threads; on_done runs after the last task.
// Throws std::system_error when no pool thread can be started.
std::shared_ptr<TaskGroup> run_async(size_t ntasks, int threads, std::function<void(size_t)> fn,
                               std::function<void()> on_done);

}  // namespace nninit

#endif  // NNINIT_CORE_POOL_H_
