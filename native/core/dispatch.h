// ISA implementations and runtime selection (ids scalar | avx2 | avx512 | neon, as ISA_IDS in lib/backend/select.ts).
// Each implementation is compiled in its own translation unit; the CPU (and OS: xgetbv) is asked
// once which of them may run. No N-API here.
#ifndef NNINIT_CORE_DISPATCH_H_
#define NNINIT_CORE_DISPATCH_H_

#include <string>
#include <vector>

#include "../kernels/kernel_table.h"
#include "../linalg/linalg_table.h"

namespace nninit {

struct Impl {
  const char* name;         // the ISA id
  const char* description;
  const KernelTable& (*table)();
  const LinalgTable& (*linalg)();  // orthogonal's float64 QR kernels for this ISA (native/linalg)
  bool supported;           // this CPU and OS can run it
};

// Every implementation compiled into this binary, best first.
const std::vector<Impl>& compiled_impls();
// The names of the compiled implementations this machine supports, best first.
std::vector<std::string> supported_names();
// The compiled implementation named `name`, or nullptr.
const Impl* find_impl(const std::string& name);
// The best supported implementation (scalar at worst).
const Impl* best_impl();

}  // namespace nninit

#endif  // NNINIT_CORE_DISPATCH_H_
