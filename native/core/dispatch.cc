// ISA detection and the implementation list (native/core/dispatch.h): the one place where an ISA
// id picks its kernels, elementwise (native/kernels) and linear algebra (native/linalg).
#include "dispatch.h"

#include <cstdint>

namespace nninit {
namespace {

#if defined(__x86_64__) || defined(_M_X64)
// XCR0: the register states the OS saves (bit 1 SSE, 2 AVX, 5-7 AVX-512). Call it only after
// cpuid reported OSXSAVE, else xgetbv faults.
uint32_t xcr0() {
  uint32_t lo, hi;
  __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
  return lo;
}

// AVX state (XMM | YMM) enabled by the OS in XCR0: without it AVX instructions fault even when
// cpuid advertises them (e.g. a kernel booted with noxsave).
bool os_saves_ymm() {
  uint32_t eax, ebx, ecx, edx;
  __asm__ volatile("cpuid" : "=a"(eax), "=b"(ebx), "=c"(ecx), "=d"(edx) : "a"(1), "c"(0));
  if ((ecx & (1u << 27)) == 0) return false;  // OSXSAVE
  return (xcr0() & 6u) == 6u;
}

bool has_avx2() {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2") && os_saves_ymm();
}

// AVX-512 F/BW/DQ/VL, with the OS saving opmask and all ZMM state (XCR0 bits 5-7).
bool has_avx512() {
  __builtin_cpu_init();
  return has_avx2() && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
         __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl") && (xcr0() & 0xe6u) == 0xe6u;
}
#endif

std::vector<Impl> build_list() {
  std::vector<Impl> list;
#if defined(__x86_64__) || defined(_M_X64)
  list.push_back({"avx512", "AVX-512 (F/BW/DQ/VL), 16 lanes = 2 blocks per vector, no FMA", &avx512::kernels, &linalg_avx512::table, has_avx512()});
  list.push_back({"avx2", "AVX2, 8 lanes per vector, no FMA", &avx2::kernels, &linalg_avx2::table, has_avx2()});
#endif
#if defined(__aarch64__)
  list.push_back({"neon", "AArch64 NEON, 2 x 4 lanes, no FMA", &neon::kernels, &linalg_scalar::table, true});  // the linalg kernels have no NEON tile yet
#endif
  list.push_back({"scalar", "portable C++ (baseline ISA)", &scalar::kernels, &linalg_scalar::table, true});
  return list;
}

}  // namespace

const std::vector<Impl>& compiled_impls() {
  static const std::vector<Impl> list = build_list();
  return list;
}

std::vector<std::string> supported_names() {
  std::vector<std::string> names;
  for (const Impl& i : compiled_impls()) {
    if (i.supported) names.push_back(i.name);
  }
  return names;
}

const Impl* find_impl(const std::string& name) {
  for (const Impl& i : compiled_impls()) {
    if (name == i.name) return &i;
  }
  return nullptr;
}

const Impl* best_impl() {
  for (const Impl& i : compiled_impls()) {
    if (i.supported) return &i;
  }
  return &compiled_impls().back();
}

}  // namespace nninit
