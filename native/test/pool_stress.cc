// Stress test of the thread pool and the fill partition without Node (native/core/pool.*, fill.*),
// built with -fsanitize=thread by .ci/sanitizers (a TSan report fails CI) and runnable plain:
//   g++ -std=c++17 -O1 -g -fsanitize=thread -pthread -ffp-contract=off native/test/pool_stress.cc \
//       native/core/{pool,fill,quant,dispatch}.cc native/kernels/{scalar,avx2,avx512,neon}/kernels.cc \
//       native/linalg/{scalar,avx2,avx512}/linalg.cc -o pool_stress
//   ./pool_stress [rounds per caller, default 300] [seed, default 1]
// Several caller threads run, at once, sync fills and async fills (waited for, cancelled mid-fill,
// or left running and collected later) of random kernels, dtypes, sizes, offsets and thread
// counts. Every output sits between guard zones; each result is compared with the same fill run
// single-threaded on the caller (threads = 1 runs inline, no pool). A cancelled fill may leave
// elements unwritten, but every written element must be right; on_done must run exactly once.
// Exit status 0 when every check passed, 1 otherwise (TSan exits 66 on a race, see .ci/sanitizers).
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "../core/dispatch.h"
#include "../core/fill.h"
#include "../kernels/generic/constant.h"

namespace {

using nninit::DType;
using nninit::FillKind;
using nninit::FillPlan;
using nninit::KernelId;

constexpr size_t kGuard = 64;       // bytes of guard zone on each side of an output
constexpr unsigned char kFill = 0xff;  // all-ones: a NaN in every dtype, never produced by a fill

std::atomic<long> g_failures{0};
std::atomic<long> g_fills{0};
std::atomic<long> g_cancelled{0};
std::mutex g_print;

void fail(const std::string& what) {
  std::lock_guard<std::mutex> lock(g_print);
  if (g_failures.fetch_add(1) < 20) std::fprintf(stderr, "pool_stress: FAIL %s\n", what.c_str());
}

// An output buffer with guard zones; elements start as kFill bytes.
struct Out {
  std::vector<unsigned char> mem;
  size_t bytes;
  explicit Out(size_t b) : mem(b + 2 * kGuard, kFill), bytes(b) {}
  void* data() { return mem.data() + kGuard; }
  bool guards_intact() const {
    for (size_t i = 0; i < kGuard; ++i) {
      if (mem[i] != kFill || mem[kGuard + bytes + i] != kFill) return false;
    }
    return true;
  }
};

FillPlan random_plan(std::mt19937_64& rng, const std::vector<const nninit::Impl*>& impls) {
  FillPlan s;
  s.impl = impls[rng() % impls.size()];
  s.kind = rng() % 5 == 0 ? FillKind::kConstant : FillKind::kRandom;
  s.dtype = static_cast<DType>(rng() % nninit::kDTypeCount);
  s.kernel = static_cast<KernelId>(rng() % nninit::kKernelCount);
  // kernel parameters (lib/backend/jsKernels.ts): uniform [lo, span] = U(-1, 1), normal
  // [mean, std] = N(0.5, 2), truncNormal [mean, std, pa, w, sgn, lo, hi] = N(0, 1) cut to [-2, 2]
  const float params[nninit::kKernelCount][nninit::kMaxParams] = {
      {-1.0f, 2.0f}, {0.5f, 2.0f}, {0.0f, 1.0f, 0.02275013f, 0.95449974f, 1.0f, -2.0f, 2.0f}};
  std::memcpy(s.params, params[static_cast<int>(s.kernel)], sizeof s.params);
  s.key = rng();
  s.offset = rng() % 4 == 0 ? 0 : rng() % (uint64_t{1} << 40);
  const unsigned size_class = rng() % 10;
  s.n = size_class < 3 ? rng() % 5000 : size_class < 8 ? rng() % 300000 : rng() % 2000000;
  s.threads = 1 + static_cast<int>(rng() % 8);
  s.nt_mode = static_cast<int>(rng() % 3) - 1;
  double value = static_cast<double>(static_cast<int64_t>(rng() % 2001) - 1000) / 8.0;
  s.const_bits = nninit::constant_bits(s.dtype, value);
  return s;
}

// The reference: the same plan run on the calling thread alone.
Out reference(FillPlan s) {
  Out ref(s.n * nninit::dtype_size(s.dtype));
  s.dst = ref.data();
  s.threads = 1;
  nninit::fill_sync(s);
  return ref;
}

std::string describe(const FillPlan& s, const char* mode) {
  char buf[200];
  std::snprintf(buf, sizeof buf, "%s %s kernel=%d dtype=%d n=%zu offset=%llu threads=%d impl=%s", mode,
                s.kind == FillKind::kConstant ? "constant" : "random", static_cast<int>(s.kernel),
                static_cast<int>(s.dtype), s.n, static_cast<unsigned long long>(s.offset), s.threads, s.impl->name);
  return buf;
}

// Full equality, or (after a cancel) every element either right or still all kFill bytes.
void check(const FillPlan& s, Out& out, bool may_be_partial, const char* mode) {
  if (!out.guards_intact()) fail("guard zone overwritten: " + describe(s, mode));
  const Out ref = reference(s);
  const size_t es = nninit::dtype_size(s.dtype);
  const unsigned char* got = static_cast<const unsigned char*>(out.data());
  const unsigned char* want = ref.mem.data() + kGuard;
  if (std::memcmp(got, want, s.n * es) == 0) return;
  if (!may_be_partial) {
    fail("result differs from the single-threaded fill: " + describe(s, mode));
    return;
  }
  for (size_t i = 0; i < s.n; ++i) {
    if (std::memcmp(got + i * es, want + i * es, es) == 0) continue;
    bool untouched = true;
    for (size_t b = 0; b < es; ++b) untouched = untouched && got[i * es + b] == kFill;
    if (!untouched) {
      fail("cancelled fill wrote a wrong element " + std::to_string(i) + ": " + describe(s, mode));
      return;
    }
  }
}

struct Pending {
  FillPlan plan;
  std::unique_ptr<Out> out;
  std::shared_ptr<nninit::TaskGroup> group;
  std::shared_ptr<std::atomic<int>> done;
  bool cancelled = false;
};

void finish(Pending& p, const char* mode) {
  p.group->wait();
  if (p.done->load() != 1) fail("on_done ran " + std::to_string(p.done->load()) + " times: " + describe(p.plan, mode));
  check(p.plan, *p.out, p.cancelled, mode);
  g_fills.fetch_add(1);
  if (p.cancelled) g_cancelled.fetch_add(1);
}

Pending start(const FillPlan& plan) {
  Pending p;
  p.plan = plan;
  p.out = std::make_unique<Out>(plan.n * nninit::dtype_size(plan.dtype));
  p.plan.dst = p.out->data();
  p.done = std::make_shared<std::atomic<int>>(0);
  auto done = p.done;
  p.group = nninit::fill_async(p.plan, [done] { done->fetch_add(1); });
  return p;
}

void caller(unsigned id, unsigned rounds, uint64_t seed, const std::vector<const nninit::Impl*>& impls) {
  std::mt19937_64 rng(seed * 1000003 + id);
  std::vector<Pending> later;
  for (unsigned r = 0; r < rounds; ++r) {
    FillPlan s = random_plan(rng, impls);
    switch (rng() % 4) {
      case 0: {  // sync
        Out out(s.n * nninit::dtype_size(s.dtype));
        s.dst = out.data();
        nninit::fill_sync(s);
        check(s, out, false, "sync");
        g_fills.fetch_add(1);
        break;
      }
      case 1: {  // async, waited for
        Pending p = start(s);
        finish(p, "async");
        break;
      }
      case 2: {  // async, cancelled after a random short delay
        Pending p = start(s);
        std::this_thread::sleep_for(std::chrono::microseconds(rng() % 300));
        p.group->cancel();
        p.cancelled = true;
        finish(p, "async-cancelled");
        break;
      }
      default:  // async, collected later (many task groups in the queue at once)
        later.push_back(start(s));
        if (later.size() >= 8) {
          for (Pending& p : later) finish(p, "async-batched");
          later.clear();
        }
    }
  }
  for (Pending& p : later) finish(p, "async-batched");
}

}  // namespace

int main(int argc, char** argv) {
  const unsigned rounds = argc > 1 ? static_cast<unsigned>(std::strtoul(argv[1], nullptr, 10)) : 300;
  const uint64_t seed = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 1;
  std::vector<const nninit::Impl*> impls;
  for (const nninit::Impl& impl : nninit::compiled_impls()) {
    if (impl.supported) impls.push_back(&impl);
  }
  constexpr unsigned kCallers = 4;
  const auto t0 = std::chrono::steady_clock::now();
  std::vector<std::thread> callers;
  for (unsigned i = 0; i < kCallers; ++i) callers.emplace_back(caller, i, rounds, seed, std::cref(impls));
  for (std::thread& t : callers) t.join();
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("pool_stress: %ld fills (%ld cancelled) from %u callers in %.1f s, %ld failures\n", g_fills.load(),
              g_cancelled.load(), kCallers, secs, g_failures.load());
  return g_failures.load() == 0 ? 0 : 1;
}
