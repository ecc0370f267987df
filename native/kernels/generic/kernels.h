// The block kernels (uniform, normal, truncNormal), the dtype stores, and the KernelTable of one
// ISA, written once over a vector type V of 8 u32/f32 lanes (one block's lanes).
// Implements docs/stream.md §4 (element mapping), §6 (normal), §7 (truncNormal), §8 (uniform,
// dtypes); mirrors lib/backend/jsKernels.ts. Included inside an ISA namespace after stream.h,
// math.h and half.h; no #include on purpose.
//
// Mapping (§4): uniform/truncNormal write step k of the 8 lanes to block elements 8k..8k+7 (one
// vector store); normal writes the pair (2g, 2g+1) to elements 16g+l and 16g+8+l (two stores).

// ---- kernels: one generator step -> one (or two) vectors of float32 results -----------------
template <class V>
struct UniformK {
  static constexpr int kSteps = 512, kPerStep = 8, kInterleave = 2;
  static constexpr bool kBlockwise = false;
  typename V::F lo, span;
  explicit UniformK(const float* p) : lo(V::f(p[0])), span(V::f(p[1])) {}
  // v = RN32(lo + RN32(span * u)), u = (x >> 8) * 2^-24 (exact)
  template <class S>
  NNINIT_INLINE void step(Gen<V>& g, typename S::T* d) const {
    const typename V::F u = V::fmul(V::cvt_i32(V::shr(g.next(), 8)), V::f(0x1p-24f));
    S::put(d, V::fadd(lo, V::fmul(span, u)));
  }
};

template <class V>
struct NormalK {
  static constexpr int kSteps = 256, kPerStep = 16, kInterleave = 1;
  static constexpr bool kBlockwise = false;
  typename V::F mean, sd;
  explicit NormalK(const float* p) : mean(V::f(p[0])), sd(V::f(p[1])) {}
  // Box–Muller: r from x1, (c, s) from x2; mean + RN32(std * RN32(r * c)) and the same with s.
  template <class S>
  NNINIT_INLINE void step(Gen<V>& g, typename S::T* d) const {
    const typename V::U x1 = g.next();
    const typename V::U x2 = g.next();
    const typename V::F r = bm_radius<V>(x1);
    typename V::F c, s;
    sincos_2pi<V>(x2, c, s);
    S::put(d, V::fadd(mean, V::fmul(sd, V::fmul(r, c))));
    S::put(d + 8, V::fadd(mean, V::fmul(sd, V::fmul(r, s))));
  }
};

template <class V>
struct TruncNormalK {
  static constexpr int kSteps = 512, kPerStep = 8, kInterleave = 1;
  static constexpr bool kBlockwise = true;
  typename V::F mean, sd, pa, w, lo, hi;
  typename V::U sgn;  // sign bit set when the interval was mirrored (params[4] < 0)
  explicit TruncNormalK(const float* p)
      : mean(V::f(p[0])), sd(V::f(p[1])), pa(V::f(p[2])), w(V::f(p[3])), lo(V::f(p[5])), hi(V::f(p[6])),
        sgn(V::u(p[4] < 0 ? 0x80000000u : 0u)) {}

  // p = clamp(RN32(pa + RN32(u * w)), 2^-100, 1 - 2^-24), u = (x >> 8) * 2^-24
  NNINIT_INLINE typename V::F prob(Gen<V>& g) const {
    using F = typename V::F;
    const F u = V::fmul(V::cvt_i32(V::shr(g.next(), 8)), V::f(0x1p-24f));
    F p = V::fadd(pa, V::fmul(u, w));
    p = V::fsel(V::flt(p, V::f(0x1p-100f)), V::f(0x1p-100f), p);
    return V::fsel(V::fgt(p, V::f(1.0f - 0x1p-24f)), V::f(1.0f - 0x1p-24f), p);
  }

  // One block in three passes (same per-lane operations as the reference, another schedule), over
  // kPass steps at a time (each element depends on its own p only, so the cut changes no bit):
  // 1. p, then AS 241's central-region z for the pass's kPass * kLanes elements; the indices of
  //    the lanes outside the central region (about 11% for [-2, 2]) are packed into `idx`;
  // 2. the outer region (log, sqrt, second rational) for the packed lanes only, 8 at a time
  //    (computing it for every vector that has one such lane cost 2x);
  // 3. v = clamp(RN32(mean + RN32(std * (+-z))), lo, hi) and the store.
  // kPass bounds the frame (docs/safety.md, "Small thread stacks"): the three buffers take 24 KiB
  // on AVX-512 and 12 KiB elsewhere instead of 96 / 48 KiB for all 512 steps, and stay in L1
  // (measured: as fast or up to ~9% faster than one pass of 512; 64 steps cost up to 5% on AVX-512).
  static constexpr int kPass = 128;
  static_assert(kSteps % kPass == 0, "passes cover the block");
  template <class S>
  NNINIT_INLINE void block(Gen<V>& g, typename S::T* dst) const {
    using F = typename V::F;
    constexpr int L = V::kLanes;  // buffers hold one pass of the V::kBlocks blocks of g, step-major
    alignas(64) float pbuf[kPass * L];
    alignas(64) float zbuf[kPass * L];
    alignas(64) uint32_t idx[kPass * L + L];
    for (int s0 = 0; s0 < kSteps; s0 += kPass, dst += 8 * kPass) {
      size_t m = 0;
      // (p is stored first and re-read: with p computed in the second loop, GCC's loop
      // distribution split it into three loops that each re-ran the generator)
      for (int s = 0; s < kPass; ++s) V::store(pbuf + L * s, prob(g));
      for (int s = 0; s < kPass; ++s) {
        typename V::M central;
        V::store(zbuf + L * s, ndtri_central<V>(V::ld_f32(pbuf + L * s), central));
        m += V::compress(idx + m, V::add(V::lane_ids(), V::u(L * s)), V::mnot(central));
      }
      for (int i = 0; i < L; ++i) idx[m + i] = 0;  // padding lanes compute a harmless value
      for (size_t c = 0; c < m; c += L) {
        alignas(64) float z[L];
        V::store(z, ndtri_outer<V>(V::gather(pbuf, V::load(idx + c))));
        const size_t k = m - c < L ? m - c : L;
        for (size_t i = 0; i < k; ++i) zbuf[idx[c + i]] = z[i];
      }
      for (int s = 0; s < kPass; ++s) {
        const F z = V::from_bits(V::xor_(V::bits(V::ld_f32(zbuf + L * s)), sgn));
        F v = V::fadd(mean, V::fmul(sd, z));
        v = V::fsel(V::flt(v, lo), lo, v);
        v = V::fsel(V::fgt(v, hi), hi, v);
        S::put(dst + 8 * s, v);
      }
    }
  }
};

// ---- float32 -> dtype conversion for partial blocks (scalar code; at most two per fill) -------
inline void store_range(const float* src, size_t n, void* dst, DType dt) {
  if (dt == DType::kFloat32) {
    float* d = static_cast<float*>(dst);
    for (size_t i = 0; i < n; ++i) d[i] = src[i];
  } else if (dt == DType::kFloat64) {
    double* d = static_cast<double*>(dst);
    for (size_t i = 0; i < n; ++i) d[i] = static_cast<double>(src[i]);
  } else {
    uint16_t* d = static_cast<uint16_t*>(dst);
    const bool bf = dt == DType::kBFloat16;
    for (size_t i = 0; i < n; ++i) {
      uint32_t b;
      __builtin_memcpy(&b, src + i, 4);
      d[i] = bf ? bf16_from_bits(b) : f16_from_bits(b);
    }
  }
}

// ---- stores: one vector of float32 results -> 8 elements per block of the output dtype ------
// V's stores write lanes 8b..8b+7 to p + b * kBlockSize (b < V::kBlocks); put_first writes the
// first block's lanes only (V::st1_*: only ISAs with V::kBlocks > 1 have them and call it).
template <class V, bool NT>
struct StoreF32 {
  using Plain = StoreF32<V, false>;  // the same without streaming stores
  using T = float;
  static constexpr bool kNT = NT;
  NNINIT_INLINE static void put(T* p, typename V::F v) { NT ? V::nt_f32(p, v) : V::st_f32(p, v); }
  NNINIT_INLINE static void put_first(T* p, typename V::F v) { V::st1_f32(p, v); }
};
template <class V, bool NT>
struct StoreF64 {  // exact widening
  using Plain = StoreF64<V, false>;  // the same without streaming stores
  using T = double;
  static constexpr bool kNT = NT;
  NNINIT_INLINE static void put(T* p, typename V::F v) { NT ? V::nt_f64(p, v) : V::st_f64(p, v); }
  NNINIT_INLINE static void put_first(T* p, typename V::F v) { V::st1_f64(p, v); }
};
// The 16-bit dtypes (D: kBFloat16 or kFloat16): float32 bits rounded by half.h, 16-bit stores.
template <class V, bool NT, DType D>
struct StoreHalf {
  using Plain = StoreHalf<V, false, D>;  // the same without streaming stores
  using T = uint16_t;
  static constexpr bool kNT = NT;
  NNINIT_INLINE static typename V::U round(typename V::U b) {
    if constexpr (D == DType::kBFloat16) return bf16_bits<V>(b); else return f16_bits<V>(b);
  }
  NNINIT_INLINE static void put(T* p, typename V::F v) {
    const typename V::U h = round(V::bits(v));
    NT ? V::nt_u16(p, h) : V::st_u16(p, h);
  }
  NNINIT_INLINE static void put_first(T* p, typename V::F v) { V::st1_u16(p, round(V::bits(v))); }
};
template <class V, bool NT>
using StoreBF16 = StoreHalf<V, NT, DType::kBFloat16>;
template <class V, bool NT>
using StoreF16 = StoreHalf<V, NT, DType::kFloat16>;
// S with regular stores of the first block only: a range that ends inside the span of one vector.
template <class V, class S>
struct StoreFirst {
  using Plain = StoreFirst;
  using T = typename S::T;
  static constexpr bool kNT = false;
  NNINIT_INLINE static void put(T* p, typename V::F v) { S::put_first(p, v); }
};

// ---- block loops ----------------------------------------------------------------------------
// I generators of V::kBlocks consecutive blocks each, from block j, interleaved step by step
// (independent dependency chains: ILP).
template <class V, class K, class S, int I>
NNINIT_INLINE void run_group(const K& k, uint64_t key, uint64_t j, typename S::T* dst) {
  constexpr uint64_t kSpan = V::kBlocks * kBlockSize;  // elements one generator covers
  Gen<V> g[I];
  for (int b = 0; b < I; ++b) g[b].seed(key, j + b * V::kBlocks);
  if constexpr (K::kBlockwise) {
    for (int b = 0; b < I; ++b) k.template block<S>(g[b], dst + b * kSpan);
  } else {
    for (int s = 0; s < K::kSteps; ++s) {
      for (int b = 0; b < I; ++b) k.template step<S>(g[b], dst + b * kSpan + s * K::kPerStep);
    }
  }
}

// Streaming stores, at most two blocks at a time. A group of I generators writes I * V::kBlocks
// blocks 16 KiB apart step by step, each 64-byte line in parts; with more than two such streams a
// thread's write-combining buffers flush part-lines: on a 2-vCPU AVX-512 Xeon, AVX-512 uniform
// (two generators of two blocks, four streams) ran at 0.55-0.8 G/s with 2 threads against 9.4 G/s
// for AVX2's two streams. With streaming stores a kernel therefore runs as many generators as keep
// it at two streams (AVX-512 uniform: one generator of two blocks; the same elements, another
// schedule, no bit changes). Measured on a 2-core AMD EPYC (Zen 4 class), 64 Mi float32 on one
// thread: 4.8-5.0 G/s, against 3.0-3.4 G/s when the two-generator groups were generated into a
// per-thread staging area and copied out with streaming stores (the previous design), and
// 4.2-5.1 G/s for AVX2. Plain stores keep K::kInterleave (AVX-512 uniform into cache: 6.6 G/s
// with two generators, 5.7 with one).
template <class V, class K, class S>
constexpr int interleave() {
  return S::kNT && V::kStreams && K::kInterleave * V::kBlocks > 2 ? 2 / V::kBlocks : K::kInterleave;
}

template <class V, template <class> class KT, class S>
void run_kernel(const RunArgs& a) {
  using K = KT<V>;
  const K k(a.params);
  auto* dst = static_cast<typename S::T*>(a.dst);
  uint64_t j = a.block;
  size_t left = a.nblocks;
  constexpr int kI = interleave<V, K, S>();
  for (constexpr size_t n = kI * V::kBlocks; left >= n; left -= n, j += n, dst += n * kBlockSize) {
    run_group<V, K, S, kI>(k, a.key, j, dst);
  }
  for (constexpr size_t n = V::kBlocks; left >= n; left -= n, j += n, dst += n * kBlockSize) {
    run_group<V, K, S, 1>(k, a.key, j, dst);
  }
  if constexpr (V::kBlocks > 1) {
    // one block left (V::kBlocks is 2 at most): generate both, store the first (no stack scratch)
    static_assert(V::kBlocks == 2, "the tail is one block");
    if (left > 0) run_group<V, K, StoreFirst<V, S>, 1>(k, a.key, j, dst);
  }
  if (S::kNT) V::fence();
}

// ---- constants -------------------------------------------------------------------------------
// n elements of `bits` (the value in the dtype's encoding): element stores up to 16-byte
// alignment, then V::fill16 (16-byte units, non-temporal when nt), then element stores.
inline void fill_constant(void* dst, size_t n, DType dt, uint64_t bits, bool nt) {
  const size_t es = dtype_size(dt);
  uint64_t pat = bits;
  if (es == 4) pat = (bits & 0xffffffffu) * 0x100000001ull;
  if (es == 2) pat = (bits & 0xffffu) * 0x0001000100010001ull;
  char* p = static_cast<char*>(dst);
  char* const end = p + n * es;
  while (p < end && (reinterpret_cast<uintptr_t>(p) & 15) != 0) { __builtin_memcpy(p, &pat, es); p += es; }
  const size_t units = static_cast<size_t>(end - p) / 16;
  V::fill16(p, units, pat, nt);
  for (p += units * 16; p < end; p += es) __builtin_memcpy(p, &pat, es);
}

// ---- the table ------------------------------------------------------------------------------
#define NNINIT_ROW(K)                                                                   \
  {                                                                                     \
    {&run_kernel<V, K, StoreF32<V, false>>, &run_kernel<V, K, StoreF32<V, true>>},      \
    {&run_kernel<V, K, StoreF64<V, false>>, &run_kernel<V, K, StoreF64<V, true>>},      \
    {&run_kernel<V, K, StoreBF16<V, false>>, &run_kernel<V, K, StoreBF16<V, true>>},    \
    {&run_kernel<V, K, StoreF16<V, false>>, &run_kernel<V, K, StoreF16<V, true>>},      \
  }

inline const KernelTable& make_table() {
  static const KernelTable table = {
      {NNINIT_ROW(UniformK), NNINIT_ROW(NormalK), NNINIT_ROW(TruncNormalK)},
      &store_range,
      &fill_constant,
  };
  return table;
}
#undef NNINIT_ROW
