// The NEON implementation (AArch64 only; compiles to nothing elsewhere): the generic kernels
// instantiated over pairs of 128-bit NEON registers. docs/stream.md §3–§8. NEON is part of the
// AArch64 baseline, so no target region is needed. Checked bit for bit against the other ISAs under
// qemu-aarch64 (test/package.test.ts, on the shipped linux-arm64 prebuild); not yet on arm64 hardware.
#if defined(__aarch64__)

#include <arm_neon.h>

#include <cstddef>
#include <cstdint>

#include "../kernel_table.h"
#include "../generic/prelude.h"

namespace nninit {
namespace neon {

#include "vec.h"
#include "../generic/stream.h"
#include "../generic/math.h"
#include "../generic/half.h"
#include "../generic/kernels.h"

const KernelTable& kernels() { return make_table(); }

}  // namespace neon
}  // namespace nninit

#endif
