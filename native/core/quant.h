// ggml's legacy block quantizations Q8_0 and Q4_0 (the GGUF writer's quantized types), computed
// bit for bit as lib/model/quant.ts computes them (that file is the reference; it reproduces
// ggml's quantize_row_q8_0_ref / quantize_row_q4_0_ref in float32): the same float32 operations
// in the same order, no FMA (the project compiles with -ffp-contract=off and no target here has
// "fma"), the block scale rounded to float16 by native/kernels/generic/half.h's integer code
// (round to nearest even, exact subnormals). Blocks are independent, so the pool partition never
// changes a byte. Inputs are arbitrary: NaN, ±Inf, subnormals give the reference's bytes (quant.ts
// documents each case). No N-API here.
#ifndef NNINIT_CORE_QUANT_H_
#define NNINIT_CORE_QUANT_H_

#include <cstddef>
#include <cstdint>

namespace nninit {

constexpr size_t kQuantBlock = 32;     // QK: elements per block
constexpr size_t kQ8_0Bytes = 34;      // float16 d + 32 int8
constexpr size_t kQ4_0Bytes = 18;      // float16 d + 16 bytes of two 4-bit values
enum class QuantType : int { kQ8_0 = 0, kQ4_0 = 1 };

inline size_t quant_block_bytes(QuantType t) { return t == QuantType::kQ8_0 ? kQ8_0Bytes : kQ4_0Bytes; }

struct QuantSpec {
  QuantType type = QuantType::kQ8_0;
  const float* src = nullptr;
  size_t nblocks = 0;      // src holds nblocks * 32 floats, dst nblocks * block bytes
  uint8_t* dst = nullptr;  // must not overlap src (the binding checks)
  int threads = 1;         // participants, the calling thread included
  bool simd = true;        // false: the portable loop (scalar ISA, tests); true: AVX2 where the CPU has it
};

// Quantizes on the calling thread plus pool threads; returns when done.
void quantize_sync(const QuantSpec& spec);

// One range of blocks on the calling thread (portable code, or AVX2 where `simd` and the CPU allow).
void quantize_blocks(QuantType type, const float* src, size_t nblocks, uint8_t* dst, bool simd);

// Whether this build and CPU run the AVX2 loops (x86-64 with AVX2 and OS support of its state).
bool quant_avx2_available();

}  // namespace nninit

#endif  // NNINIT_CORE_QUANT_H_
