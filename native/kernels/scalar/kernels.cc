// The scalar (portable) implementation: the generic kernels instantiated over plain arrays.
// Compiled at the baseline ISA with -ffp-contract=off (binding.gyp); docs/stream.md §3–§8.
#include <cstddef>
#include <cstdint>

#include "../kernel_table.h"
#include "../generic/prelude.h"

namespace nninit {
namespace scalar {

#include "vec.h"
#include "../generic/stream.h"
#include "../generic/math.h"
#include "../generic/half.h"
#include "../generic/kernels.h"

const KernelTable& kernels() { return make_table(); }

}  // namespace scalar
}  // namespace nninit
