// Block seeding and the 8-lane xoshiro128+ generator, written once over a vector type V.
// Implements docs/stream.md §2 (SplitMix64), §3 (block/lane seeding), §4 (xoshiro128+ step).
//
// Included by native/kernels/<isa>/kernels.cc INSIDE that ISA's namespace and target region, after
// the system headers and the ISA's `V` (vec.h): every function here is therefore compiled once per
// ISA under its own name, so no inline function is ever shared between target regions (ODR).
// No #include here on purpose.
//
// V provides: kBlocks (blocks per vector), kLanes (= 8 * kBlocks), U (kLanes x u32),
// load(const uint32_t*), add, xor_, shl, shr, rotl.

constexpr uint64_t kGamma = 0x9E3779B97F4A7C15ull;

// SplitMix64 finalizer (Steele, Lea & Flood 2014; Vigna's splitmix64.c).
NNINIT_INLINE uint64_t mix64(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

// docs/stream.md §3: state = K ^ mix64(j + GAMMA); lane l takes two SplitMix64 outputs a, b as
// [lo32(a), hi32(a), lo32(b), hi32(b)]; an all-zero lane gets s0 = 1.
// Writes word k of lane l to w[k * stride + l] (word-major: a vector load of a row gives word k
// of all lanes).
NNINIT_INLINE void seed_block(uint64_t key, uint64_t block, uint32_t* w, int stride) {
  uint64_t state = key ^ mix64(block + kGamma);
  for (int l = 0; l < 8; ++l) {
    state += kGamma;
    const uint64_t a = mix64(state);
    state += kGamma;
    const uint64_t b = mix64(state);
    w[l] = static_cast<uint32_t>(a);
    w[stride + l] = static_cast<uint32_t>(a >> 32);
    w[2 * stride + l] = static_cast<uint32_t>(b);
    w[3 * stride + l] = static_cast<uint32_t>(b >> 32);
    if ((a | b) == 0) w[l] = 1;
  }
}

// xoshiro128+ 1.0 on the V::kLanes lanes of V::kBlocks consecutive blocks (8 lanes per block;
// Blackman & Vigna, prng.di.unimi.it).
template <class V>
struct Gen {
  typename V::U s0, s1, s2, s3;

  NNINIT_INLINE void seed(uint64_t key, uint64_t block) {
    alignas(64) uint32_t w[4 * V::kLanes];
    for (int b = 0; b < V::kBlocks; ++b) seed_block(key, block + b, w + 8 * b, V::kLanes);
    s0 = V::load(w);
    s1 = V::load(w + V::kLanes);
    s2 = V::load(w + 2 * V::kLanes);
    s3 = V::load(w + 3 * V::kLanes);
  }

  // result = s0 + s3; t = s1 << 9; s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = rotl(s3, 11)
  NNINIT_INLINE typename V::U next() {
    const typename V::U r = V::add(s0, s3);
    const typename V::U t = V::shl(s1, 9);
    s2 = V::xor_(s2, s0);
    s3 = V::xor_(s3, s1);
    s1 = V::xor_(s1, s2);
    s0 = V::xor_(s0, s3);
    s2 = V::xor_(s2, t);
    s3 = V::rotl(s3, 11);
    return r;
  }
};
