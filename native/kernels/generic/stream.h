// Block seeding and the 8-lane xoshiro128+ generator, written once over a vector type V.
// Implements docs/stream.md §2 (SplitMix64), §3 (block/lane seeding), §4 (xoshiro128+ step).
//
// Included by native/kernels/<isa>/kernels.cc INSIDE that ISA's namespace and target region, after
// the system headers and the ISA's `V` (vec.h): every function here is therefore compiled once per
// ISA under its own name, so no inline function is ever shared between target regions (ODR).
// No #include here on purpose.
//
// V provides: U (8 x u32 lanes of one block), load(const uint32_t*), add, xor_, shl, shr, rotl.

constexpr uint64_t kGamma = 0x9E3779B97F4A7C15ull;

// SplitMix64 finalizer (Steele, Lea & Flood 2014; Vigna's splitmix64.c).
NNINIT_INLINE uint64_t mix64(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

// The lane states of one block, word-major (w[k][l] = word s_k of lane l), so that a vector load
// of w[k] gives word k of all 8 lanes.
struct BlockSeed {
  alignas(32) uint32_t w[4][8];
};

// docs/stream.md §3: state = K ^ mix64(j + GAMMA); lane l takes two SplitMix64 outputs a, b as
// [lo32(a), hi32(a), lo32(b), hi32(b)]; an all-zero lane gets s0 = 1.
NNINIT_INLINE void seed_block(uint64_t key, uint64_t block, BlockSeed& s) {
  uint64_t state = key ^ mix64(block + kGamma);
  for (int l = 0; l < 8; ++l) {
    state += kGamma;
    const uint64_t a = mix64(state);
    state += kGamma;
    const uint64_t b = mix64(state);
    s.w[0][l] = static_cast<uint32_t>(a);
    s.w[1][l] = static_cast<uint32_t>(a >> 32);
    s.w[2][l] = static_cast<uint32_t>(b);
    s.w[3][l] = static_cast<uint32_t>(b >> 32);
    if ((a | b) == 0) s.w[0][l] = 1;
  }
}

// xoshiro128+ 1.0 on the 8 lanes of one block (Blackman & Vigna, prng.di.unimi.it).
template <class V>
struct Gen {
  typename V::U s0, s1, s2, s3;

  NNINIT_INLINE void seed(uint64_t key, uint64_t block) {
    BlockSeed bs;
    seed_block(key, block, bs);
    s0 = V::load(bs.w[0]);
    s1 = V::load(bs.w[1]);
    s2 = V::load(bs.w[2]);
    s3 = V::load(bs.w[3]);
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
