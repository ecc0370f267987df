// The block kernels (uniform, normal, truncNormal), the dtype stores, and the KernelTable of one
// ISA, written once over a vector type V of 8 u32/f32 lanes (one block's lanes).
// Implements docs/stream.md §4 (element mapping), §6 (normal), §7 (truncNormal), §8 (uniform,
// dtypes); mirrors lib/backend/jsKernels.ts. Included inside an ISA namespace after stream.h,
// math.h, ziggurat_tables.h and half.h; no #include on purpose.
//
// Mapping (§4): every method writes step k of the 8 lanes to block elements 8k..8k+7 (one vector
// store per block).

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

// N vectors of V as one vector type: each operation applies to the N parts, so code written
// for V (zig_slow, threefry2x32, log32) runs N independent dependency chains side by side that
// the CPU overlaps. The ziggurat's slow path is latency-bound otherwise (Threefry's 20 dependent
// rounds, log32, gathers), and uses Wide<V, 2>.
template <class V, int N>
struct Wide {
  static constexpr int kBlocks = V::kBlocks * N, kLanes = V::kLanes * N;
  struct U { typename V::U v[N]; };
  struct F { typename V::F v[N]; };
  struct M { typename V::M v[N]; };
#define NNINIT_W(T, expr) T r; for (int j = 0; j < N; ++j) r.v[j] = expr; return r
  static NNINIT_INLINE U u(uint32_t x) { NNINIT_W(U, V::u(x)); }
  static NNINIT_INLINE F f(float x) { NNINIT_W(F, V::f(x)); }
  static NNINIT_INLINE U load(const uint32_t* p) { NNINIT_W(U, V::load(p + j * V::kLanes)); }
  static NNINIT_INLINE void store(float* p, F a) { for (int j = 0; j < N; ++j) V::store(p + j * V::kLanes, a.v[j]); }
  static NNINIT_INLINE U add(U a, U b) { NNINIT_W(U, V::add(a.v[j], b.v[j])); }
  static NNINIT_INLINE U sub(U a, U b) { NNINIT_W(U, V::sub(a.v[j], b.v[j])); }
  static NNINIT_INLINE U xor_(U a, U b) { NNINIT_W(U, V::xor_(a.v[j], b.v[j])); }
  static NNINIT_INLINE U or_(U a, U b) { NNINIT_W(U, V::or_(a.v[j], b.v[j])); }
  static NNINIT_INLINE U and_(U a, U b) { NNINIT_W(U, V::and_(a.v[j], b.v[j])); }
  static NNINIT_INLINE U shl(U a, int n) { NNINIT_W(U, V::shl(a.v[j], n)); }
  static NNINIT_INLINE U shr(U a, int n) { NNINIT_W(U, V::shr(a.v[j], n)); }
  static NNINIT_INLINE U rotl(U a, int n) { NNINIT_W(U, V::rotl(a.v[j], n)); }
  static NNINIT_INLINE M eq(U a, U b) { NNINIT_W(M, V::eq(a.v[j], b.v[j])); }
  static NNINIT_INLINE M gt(U a, U b) { NNINIT_W(M, V::gt(a.v[j], b.v[j])); }
  static NNINIT_INLINE U sel(M m, U a, U b) { NNINIT_W(U, V::sel(m.v[j], a.v[j], b.v[j])); }
  static NNINIT_INLINE M mnot(M m) { NNINIT_W(M, V::mnot(m.v[j])); }
  static NNINIT_INLINE M mand(M a, M b) { NNINIT_W(M, V::mand(a.v[j], b.v[j])); }
  static NNINIT_INLINE M mor(M a, M b) { NNINIT_W(M, V::mor(a.v[j], b.v[j])); }
  static NNINIT_INLINE uint32_t mask_bits(M m) {
    uint32_t r = 0;
    for (int j = 0; j < N; ++j) r |= V::mask_bits(m.v[j]) << (j * V::kLanes);
    return r;
  }
  static NNINIT_INLINE bool all(M m) {
    bool r = true;
    for (int j = 0; j < N; ++j) r = r && V::all(m.v[j]);
    return r;
  }
  static NNINIT_INLINE F fadd(F a, F b) { NNINIT_W(F, V::fadd(a.v[j], b.v[j])); }
  static NNINIT_INLINE F fsub(F a, F b) { NNINIT_W(F, V::fsub(a.v[j], b.v[j])); }
  static NNINIT_INLINE F fmul(F a, F b) { NNINIT_W(F, V::fmul(a.v[j], b.v[j])); }
  static NNINIT_INLINE F fdiv(F a, F b) { NNINIT_W(F, V::fdiv(a.v[j], b.v[j])); }
  static NNINIT_INLINE F cvt_i32(U a) { NNINIT_W(F, V::cvt_i32(a.v[j])); }
  static NNINIT_INLINE F cvt_u32(U a) { NNINIT_W(F, V::cvt_u32(a.v[j])); }
  static NNINIT_INLINE U bits(F a) { NNINIT_W(U, V::bits(a.v[j])); }
  static NNINIT_INLINE F from_bits(U a) { NNINIT_W(F, V::from_bits(a.v[j])); }
  static NNINIT_INLINE M flt(F a, F b) { NNINIT_W(M, V::flt(a.v[j], b.v[j])); }
  static NNINIT_INLINE M fle(F a, F b) { NNINIT_W(M, V::fle(a.v[j], b.v[j])); }
  static NNINIT_INLINE F fsel(M m, F a, F b) { NNINIT_W(F, V::fsel(m.v[j], a.v[j], b.v[j])); }
  static NNINIT_INLINE F gather(const float* base, U idx) { NNINIT_W(F, V::gather(base, idx.v[j])); }
#undef NNINIT_W
};

// The normal's ziggurat (docs/stream.md §6). A draw w: layer i = w >> 25, sign bit 24, magnitude
// m = w & 0xffffff; value x = RN32(m * W[i]) (m < 2^24 converts exactly), fast when m < K[i].
template <class V>
NNINIT_INLINE typename V::F zig_signed(typename V::U w, typename V::F x) {  // the draw's sign on x
  return V::from_bits(V::xor_(V::bits(x), V::shl(V::and_(w, V::u(0x1000000u)), 7)));
}

// The slow path (§6.4) for V::kLanes elements at block positions e with retry keys k1:k0:
// attempts t0 .. t1 - 1 (each one Threefry pair (a, b) = TF(k, e, t)) for the lanes not yet
// `done`, updating their draws d and, for each lane that finishes, res. Lanes finish
// independently (masks); the loop stops when all have. With kTail false the tail's two logs
// are never computed and tail lanes stay undone (NormalK leaves those to the one-lane pass).
template <class V, bool kTail>
NNINIT_INLINE void zig_attempts(typename V::U k0, typename V::U k1, typename V::U e, typename V::U& d,
                                typename V::M& done, typename V::F& res, int t0, int t1) {
  using U = typename V::U;
  using F = typename V::F;
  using M = typename V::M;
  for (int t = t0; t < t1 && !V::all(done); ++t) {
    U a, b;
    threefry2x32<V>(k0, k1, e, V::u(static_cast<uint32_t>(t)), a, b);
    const U i = V::shr(d, 25);
    const M tail = V::eq(i, V::u(0));
    const M live = V::mnot(done);
    if (kTail && V::mask_bits(V::mand(live, tail)) != 0) {
      // the tail beyond r (Marsaglia 1964): s = RN32(log32(u1) / -R), accepted when
      // s*s <= -2*log32(u2); a rejected tail keeps its draw for the next attempt
      const F p = log32<V>(V::fmul(V::cvt_u32(V::or_(a, V::u(1))), V::f(0x1p-32f)));
      const F q = log32<V>(V::fmul(V::cvt_u32(V::or_(b, V::u(1))), V::f(0x1p-32f)));
      const F s = V::fdiv(p, V::f(-kZigR));
      const M acc = V::mand(V::mand(live, tail), V::fle(V::fmul(s, s), V::fmul(V::f(-2.0f), q)));
      res = V::fsel(acc, zig_signed<V>(d, V::fadd(V::f(kZigR), s)), res);
      done = V::mor(done, acc);
    }
    // the wedge of layer i: y = FY[i] + u * DY[i], accepted when log32(y) < -x*x/2
    const F x = V::fmul(V::cvt_i32(V::and_(d, V::u(0xffffff))), V::gather(kZigW, i));
    const F uy = V::fmul(V::cvt_i32(V::shr(a, 8)), V::f(0x1p-24f));
    const F y = V::fadd(V::gather(kZigFY, i), V::fmul(uy, V::gather(kZigDY, i)));
    const M wedge = V::mand(live, V::mnot(tail));
    const M wacc = V::mand(wedge, V::flt(log32<V>(V::fsel(tail, V::f(1.0f), y)), V::fmul(V::f(-0.5f), V::fmul(x, x))));
    res = V::fsel(wacc, zig_signed<V>(d, x), res);
    done = V::mor(done, wacc);
    // a rejected wedge takes a fresh draw b, accepted at once when fast
    const M fresh = V::mand(wedge, V::mnot(wacc));
    d = V::sel(fresh, b, d);
    const U i2 = V::shr(d, 25);
    const F m2 = V::cvt_i32(V::and_(d, V::u(0xffffff)));
    const M fast = V::mand(fresh, V::flt(m2, V::gather(kZigK, i2)));
    res = V::fsel(fast, zig_signed<V>(d, V::fmul(m2, V::gather(kZigW, i2))), res);
    done = V::mor(done, fast);
  }
}

// One lane as a vector type (generic/kernels.h's one-lane pass of the ziggurat's slow path):
// the same operations on one uint32 / float, masks are bools.
struct Lane1 {
  static constexpr int kBlocks = 1, kLanes = 1;
  using U = uint32_t;
  using F = float;
  using M = bool;
  static NNINIT_INLINE U u(uint32_t x) { return x; }
  static NNINIT_INLINE F f(float x) { return x; }
  static NNINIT_INLINE U add(U a, U b) { return a + b; }
  static NNINIT_INLINE U sub(U a, U b) { return a - b; }
  static NNINIT_INLINE U xor_(U a, U b) { return a ^ b; }
  static NNINIT_INLINE U or_(U a, U b) { return a | b; }
  static NNINIT_INLINE U and_(U a, U b) { return a & b; }
  static NNINIT_INLINE U shl(U a, int n) { return a << n; }
  static NNINIT_INLINE U shr(U a, int n) { return a >> n; }
  static NNINIT_INLINE U rotl(U a, int n) { return (a << n) | (a >> (32 - n)); }
  static NNINIT_INLINE M eq(U a, U b) { return a == b; }
  static NNINIT_INLINE U sel(M m, U a, U b) { return m ? a : b; }
  static NNINIT_INLINE M mnot(M m) { return !m; }
  static NNINIT_INLINE M mand(M a, M b) { return a && b; }
  static NNINIT_INLINE M mor(M a, M b) { return a || b; }
  static NNINIT_INLINE uint32_t mask_bits(M m) { return m ? 1u : 0u; }
  static NNINIT_INLINE bool all(M m) { return m; }
  static NNINIT_INLINE F fadd(F a, F b) { return a + b; }
  static NNINIT_INLINE F fsub(F a, F b) { return a - b; }
  static NNINIT_INLINE F fmul(F a, F b) { return a * b; }
  static NNINIT_INLINE F fdiv(F a, F b) { return a / b; }
  static NNINIT_INLINE F cvt_i32(U a) { return static_cast<float>(static_cast<int32_t>(a)); }
  static NNINIT_INLINE F cvt_u32(U a) { return static_cast<float>(a); }
  static NNINIT_INLINE U bits(F a) { U r; __builtin_memcpy(&r, &a, 4); return r; }
  static NNINIT_INLINE F from_bits(U a) { F r; __builtin_memcpy(&r, &a, 4); return r; }
  static NNINIT_INLINE M flt(F a, F b) { return a < b; }
  static NNINIT_INLINE M fle(F a, F b) { return a <= b; }
  static NNINIT_INLINE F fsel(M m, F a, F b) { return m ? a : b; }
  static NNINIT_INLINE F gather(const float* base, U idx) { return base[idx]; }
};

// The slow path of one element from attempt t0 on (docs/stream.md §6.4), then the fallback past
// attempt 8: the current draw's value as is (probability < 1e-14 per element).
NNINIT_INLINE float zig_finish(uint32_t k0, uint32_t k1, uint32_t e, uint32_t d, int t0) {
  bool done = false;
  float res = 0.0f;
  zig_attempts<Lane1, true>(k0, k1, e, d, done, res, t0, 8);
  if (done) return res;
  return zig_signed<Lane1>(d, static_cast<float>(d & 0xffffffu) * kZigW[d >> 25]);
}

template <class V>
struct NormalK {
  static constexpr int kSteps = 512, kPerStep = 8, kInterleave = 1;
  static constexpr bool kBlockwise = true;
  typename V::F mean, sd;
  typename V::Lut lw, lk;
  explicit NormalK(const float* p) : mean(V::f(p[0])), sd(V::f(p[1])), lw(V::lut_load(kZigW)), lk(V::lut_load(kZigK)) {}

  // One block in passes of kPass steps, as TruncNormalK: 1. every step's draws: the fast value,
  // or for a slow lane the draw's word itself (as float bits), and a bit mask of those lanes;
  // 2. their indices packed into `idx`; 3. the slow path for them (zig_attempts: attempt 0 two
  // vectors at a time, then zig_finish for the few lanes left, one at a time); 4. mean + std * z,
  // stored.
  // Software-pipelined: pass p's step 4 runs inside pass p+1's step 1 (two buffers), so the
  // stores spread over the generator's work (as a loop of its own, they came in 4-8 KiB bursts
  // at the memory's rate while the ALUs idled: a quarter of the time on AVX-512).
  static constexpr int kPass = 64;
  static constexpr int kPasses = kSteps / kPass;
  static_assert(kSteps % kPass == 0, "passes cover the block");
  template <class S>
  NNINIT_INLINE void block(Gen<V>& g, typename S::T* dst) const {
    using U = typename V::U;
    using F = typename V::F;
    constexpr int L = V::kLanes;  // L = 8 * V::kBlocks lanes: lane c is lane c % 8 of block c / 8
    constexpr int kLog2L = L == 16 ? 4 : 3;
    static_assert(L == 8 || L == 16, "one or two blocks per vector");
    using W = Wide<V, 2>;  // the slow lanes go two vectors at a time
    using WU = typename W::U;
    constexpr int WL = W::kLanes;
    alignas(64) float zb[2][kPass * L];
    alignas(64) uint32_t idx[kPass * L + WL];
    const WU rk0 = W::u(static_cast<uint32_t>(g.rk[0])), rk1 = W::u(static_cast<uint32_t>(g.rk[0] >> 32));
    // step 4 of pass p - 1 runs inside step 1 of pass p (see above)
    const auto out = [&](const float* z, typename S::T* d, int s) { S::put(d + 8 * s, V::fadd(mean, V::fmul(sd, V::ld_f32(z + L * s)))); };
    for (int p = 0, s0 = 0; p <= kPasses; ++p, s0 += kPass) {
      float* const zbuf = zb[p & 1];
      const float* const prev = zb[(p + 1) & 1];
      typename S::T* const prev_dst = dst + 8 * (s0 - kPass);
      if (p == kPasses) {
        for (int s = 0; s < kPass; ++s) out(prev, prev_dst, s);
        break;
      }
      uint32_t maybe[kPass];
      for (int s = 0; s < kPass; ++s) {
        const U w = g.next();
        const U i = V::shr(w, 25);
        const F mag = V::cvt_i32(V::and_(w, V::u(0xffffff)));
        const typename V::M fast = V::flt(mag, V::lut(lk, i));
        const F x = zig_signed<V>(w, V::fmul(mag, V::lut(lw, i)));
        V::store(zbuf + L * s, V::fsel(fast, x, V::from_bits(w)));
        maybe[s] = V::mask_bits(V::mnot(fast));
        if (p > 0) out(prev, prev_dst, s);
      }
      size_t m = 0;
      for (int s = 0; s < kPass; ++s) m += V::pack_lanes(idx + m, static_cast<uint32_t>(L * s), maybe[s]);
      for (int i = 0; i < WL; ++i) idx[m + i] = 0;  // padding lanes compute a harmless value
      for (size_t c = 0; c < m; c += WL) {
        const WU id = W::load(idx + c);
        const WU lane = W::and_(id, W::u(L - 1));
        // position in the block: 8 * step + lane % 8
        const WU e = W::add(W::shl(W::add(W::shr(id, kLog2L), W::u(static_cast<uint32_t>(s0))), 3), W::and_(lane, W::u(7)));
        WU k0 = rk0, k1 = rk1;
        if constexpr (V::kBlocks == 2) {  // lanes 8-15 of a vector belong to the second block
          const typename W::M second = W::gt(lane, W::u(7));
          k0 = W::sel(second, W::u(static_cast<uint32_t>(g.rk[1])), k0);
          k1 = W::sel(second, W::u(static_cast<uint32_t>(g.rk[1] >> 32)), k1);
        }
        // attempt 0 for the wedge lanes, vectorized; the tail lanes and the few wedge lanes not
        // done after it (together ~3.5% of the slow lanes) go on alone, one lane at a time
        WU d = W::bits(W::gather(zbuf, id));
        const uint32_t tail0 = W::mask_bits(W::eq(W::shr(d, 25), W::u(0)));
        typename W::M done = W::eq(W::u(0), W::u(1));
        typename W::F res = W::f(0.0f);
        zig_attempts<W, false>(k0, k1, e, d, done, res, 0, 1);
        alignas(64) float z[WL];
        W::store(z, res);
        const size_t k = m - c < WL ? m - c : WL;
        uint32_t left = ~W::mask_bits(done) & static_cast<uint32_t>((uint64_t{1} << k) - 1);
        if (left != 0) {
          alignas(64) float st[4][WL];  // the lanes' d, e, k0, k1 (as float bits)
          W::store(st[0], W::from_bits(d));
          W::store(st[1], W::from_bits(e));
          W::store(st[2], W::from_bits(k0));
          W::store(st[3], W::from_bits(k1));
          for (; left != 0; left &= left - 1) {
            const int ln = __builtin_ctz(left);
            uint32_t v[4];
            for (int q = 0; q < 4; ++q) __builtin_memcpy(v + q, &st[q][ln], 4);
            z[ln] = zig_finish(v[2], v[3], v[1], v[0], (tail0 >> ln) & 1 ? 0 : 1);
          }
        }
        for (size_t i = 0; i < k; ++i) zbuf[idx[c + i]] = z[i];
      }
    }
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
template <class V, bool NT>
struct StoreBF16 {
  using Plain = StoreBF16<V, false>;  // the same without streaming stores
  using T = uint16_t;
  static constexpr bool kNT = NT;
  NNINIT_INLINE static void put(T* p, typename V::F v) {
    const typename V::U h = bf16_bits<V>(V::bits(v));
    NT ? V::nt_u16(p, h) : V::st_u16(p, h);
  }
  NNINIT_INLINE static void put_first(T* p, typename V::F v) { V::st1_u16(p, bf16_bits<V>(V::bits(v))); }
};
template <class V, bool NT>
struct StoreF16 {
  using Plain = StoreF16<V, false>;  // the same without streaming stores
  using T = uint16_t;
  static constexpr bool kNT = NT;
  NNINIT_INLINE static void put(T* p, typename V::F v) {
    const typename V::U h = f16_bits<V>(V::bits(v));
    NT ? V::nt_u16(p, h) : V::st_u16(p, h);
  }
  NNINIT_INLINE static void put_first(T* p, typename V::F v) { V::st1_u16(p, f16_bits<V>(V::bits(v))); }
};
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

template <class V, template <class> class KT, class S>
void run_kernel(const RunArgs& a) {
  using K = KT<V>;
  const K k(a.params);
  auto* dst = static_cast<typename S::T*>(a.dst);
  uint64_t j = a.block;
  size_t left = a.nblocks;
  for (constexpr size_t n = K::kInterleave * V::kBlocks; left >= n; left -= n, j += n, dst += n * kBlockSize) {
    run_group<V, K, S, K::kInterleave>(k, a.key, j, dst);
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
