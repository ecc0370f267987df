// The portable linalg implementation: native/linalg/generic/ over 2-double GCC vectors (SSE2 on
// x86-64, NEON on AArch64, plain code elsewhere), MR = 4, NR = 4, separate multiply and add.
#include <cstddef>
#include <cstring>

#include "../linalg_table.h"

namespace nninit {
namespace linalg_scalar {

typedef double vd __attribute__((vector_size(16)));
constexpr int VL = 2, MV = 2, NR = 4;
static inline vd load(const double* p) { vd v; std::memcpy(&v, p, sizeof v); return v; }
static inline void store(double* p, vd v) { std::memcpy(p, &v, sizeof v); }
static inline vd bcast(double x) { return vd{x, x}; }
static inline vd madd(vd c, vd a, vd b) { return c + a * b; }

#include "../generic/gemm.h"
#include "../generic/panel.h"

const LinalgTable& table() { return make_table("scalar"); }

}  // namespace linalg_scalar
}  // namespace nninit
