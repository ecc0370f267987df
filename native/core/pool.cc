// The thread pool (native/core/pool.h). One process-wide pool shared by every Node environment
// (main thread and worker_threads). It is never destroyed: its threads sleep on a condition
// variable and die with the process, so no static destructor can join (or std::terminate on) them.
// Threads are started with pthread_create (std::thread cannot set a stack size) and a stack of
// kStackBytes; Windows keeps std::thread (the executable's default stack, 1 MiB unless set otherwise).
#include "pool.h"

#include <algorithm>
#include <chrono>
#include <deque>
#include <system_error>
#include <vector>

#ifdef _WIN32
#include <thread>
#else
#include <pthread.h>
#endif

namespace nninit {
namespace {

// A worker that ran out of work spins this long before sleeping: back-to-back fills then find it
// awake (waking a sleeping thread took longer than a 64 Ki-element task here).
constexpr auto kSpin = std::chrono::microseconds(50);

// Stack of each pool thread. The default would be the C library's: 8 MiB on glibc (RLIMIT_STACK,
// so `ulimit -s` lowers it) but 128 KiB on musl (Alpine), and kernel frames used to reach 163 KiB.
// The deepest chain a task runs now is under 48 KiB (-fstack-usage, docs/safety.md: the pool's own
// frames + fill.cc partial_block's 16 KiB block + a kernel frame of at most 28 KiB); 1 MiB leaves
// a margin of 20x (AddressSanitizer builds about double the frames), and only touched pages cost memory.
constexpr size_t kStackBytes = size_t{1} << 20;

inline void cpu_relax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  __asm__ volatile("yield");
#endif
}

}  // namespace

TaskGroup::TaskGroup(size_t ntasks, int max_workers, std::function<void(size_t)> fn, std::function<void()> on_done)
    : ntasks_(ntasks), max_workers_(max_workers), fn_(std::move(fn)), on_done_(std::move(on_done)) {}

void TaskGroup::run_tasks() {
  for (;;) {
    const size_t t = next_.fetch_add(1);
    if (t >= ntasks_) return;
    if (!cancelled_.load(std::memory_order_relaxed)) fn_(t);
    if (done_.fetch_add(1) + 1 == ntasks_) {
      if (on_done_) on_done_();
      std::lock_guard<std::mutex> lock(mutex_);
      finished_ = true;
      cv_.notify_all();
    }
  }
}

void TaskGroup::wait() {
  std::unique_lock<std::mutex> lock(mutex_);
  cv_.wait(lock, [this] { return finished_; });
}

class Pool {
 public:
  static Pool& get() {
    static Pool* pool = new Pool();  // leaked on purpose (see the file comment)
    return *pool;
  }

  // Queues `group` for up to group->max_workers_ pool threads, starting threads as needed.
  // Returns how many pool threads exist (at least 1 unless starting one failed).
  int submit(const std::shared_ptr<TaskGroup>& group) {
    int have;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      grow(std::min(group->max_workers_, kMaxPoolThreads));
      have = static_cast<int>(threads_.size());
      if (have > 0) {
        queue_.push_back(group);
        queued_.store(queue_.size(), std::memory_order_relaxed);
      }
    }
    for (int i = 0; i < group->max_workers_ && i < have; ++i) cv_.notify_one();
    return have;
  }

 private:
  Pool() { threads_.reserve(kMaxPoolThreads); }  // (no reallocation after a thread started)

  void grow(int want) {  // mutex_ held
    while (static_cast<int>(threads_.size()) < want) {
      if (!start_thread()) return;  // out of threads: run with what we have
    }
  }

#ifdef _WIN32
  bool start_thread() {
    try {
      threads_.emplace_back([this] { work(); });
    } catch (const std::system_error&) {
      return false;
    }
    return true;
  }
#else
  // Starts one thread running work() on a kStackBytes stack; false when it could not.
  bool start_thread() {
    pthread_attr_t attr;
    if (pthread_attr_init(&attr) != 0) return false;
    pthread_t thread;
    const bool ok = pthread_attr_setstacksize(&attr, kStackBytes) == 0 &&
                    pthread_create(&thread, &attr, &Pool::thread_main, this) == 0;
    pthread_attr_destroy(&attr);
    if (ok) threads_.push_back(thread);
    return ok;
  }
  static void* thread_main(void* pool) {
    static_cast<Pool*>(pool)->work();
    return nullptr;
  }
#endif

  // Spins until a group is queued or kSpin has passed.
  void spin() {
    const auto until = std::chrono::steady_clock::now() + kSpin;
    for (unsigned i = 1; queued_.load(std::memory_order_relaxed) == 0; ++i) {
      cpu_relax();
      if (i % 64 == 0 && std::chrono::steady_clock::now() > until) return;
    }
  }

  void work() {
    std::unique_lock<std::mutex> lock(mutex_);
    for (;;) {
      if (queue_.empty()) {
        lock.unlock();
        spin();
        lock.lock();
        cv_.wait(lock, [this] { return !queue_.empty(); });
      }
      std::shared_ptr<TaskGroup> group = queue_.front();
      if (++group->workers_ >= group->max_workers_) queue_.pop_front();
      queued_.store(queue_.size(), std::memory_order_relaxed);
      lock.unlock();
      group->run_tasks();
      lock.lock();
      // every task of `group` is claimed now: make sure it leaves the queue
      auto it = std::find(queue_.begin(), queue_.end(), group);
      if (it != queue_.end()) queue_.erase(it);
      queued_.store(queue_.size(), std::memory_order_relaxed);
    }
  }

  std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<std::shared_ptr<TaskGroup>> queue_;
  std::atomic<size_t> queued_{0};  // queue_.size(), readable without the mutex (spin())
#ifdef _WIN32
  std::vector<std::thread> threads_;
#else
  std::vector<pthread_t> threads_;  // never joined (see the file comment)
#endif
};

void run_sync(size_t ntasks, int threads, const std::function<void(size_t)>& fn) {
  if (ntasks == 0) return;
  const int helpers = static_cast<int>(std::min<size_t>(ntasks - 1, static_cast<size_t>(std::max(threads - 1, 0))));
  if (helpers == 0) {
    for (size_t t = 0; t < ntasks; ++t) fn(t);
    return;
  }
  auto group = std::make_shared<TaskGroup>(ntasks, helpers, fn, nullptr);
  Pool::get().submit(group);
  group->run_tasks();  // the caller works too, so the group finishes even if no pool thread came
  group->wait();
}

std::shared_ptr<TaskGroup> run_async(size_t ntasks, int threads, std::function<void(size_t)> fn,
                               std::function<void()> on_done) {
  if (ntasks == 0) {  // still complete through a pool thread, so on_done never runs inline
    ntasks = 1;
    fn = [](size_t) {};
  }
  const int workers = static_cast<int>(std::min<size_t>(ntasks, static_cast<size_t>(std::max(threads, 1))));
  auto group = std::make_shared<TaskGroup>(ntasks, workers, std::move(fn), std::move(on_done));
  if (Pool::get().submit(group) == 0) {
    throw std::system_error(std::make_error_code(std::errc::resource_unavailable_try_again),
                            "nninit could not start a worker thread");
  }
  return group;
}

}  // namespace nninit
