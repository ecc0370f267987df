#!/usr/bin/env bash
# Checks every shipped binary in prebuilds/ for what would keep it from loading on an older Linux:
#   - no GLIBC_ symbol version above 2.28 (RHEL 8, Ubuntu 20.04, Debian 10),
#   - no GLIBCXX_ or CXXABI_ version at all (libstdc++ is linked in statically),
#   - DT_NEEDED only glibc's own libraries and libgcc_s (which every glibc system has).
# Prints each binary's needs; exits non-zero on the first violation.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
max_glibc=2.28
shopt -s nullglob
files=("$root"/prebuilds/*/*.node)
[ ${#files[@]} -gt 0 ] || { echo "check-prebuilds: no binaries in prebuilds/" >&2; exit 1; }
status=0
for f in "${files[@]}"; do
  rel=${f#"$root"/}
  versions=$(readelf -V --wide "$f" | grep -oE 'Name: [A-Z_]+[0-9.]*' | sed 's/Name: //' | sort -Vu | tr '\n' ' ')
  needed=$(readelf -d "$f" | sed -nE 's/.*\(NEEDED\).*\[(.*)\]/\1/p' | tr '\n' ' ')
  echo "$rel: needs ${needed}; versions ${versions}"
  glibc_top=$(tr ' ' '\n' <<<"$versions" | sed -nE 's/^GLIBC_([0-9.]+)$/\1/p' | sort -V | tail -n 1)
  if [ -n "$glibc_top" ] && [ "$(printf '%s\n%s\n' "$glibc_top" "$max_glibc" | sort -V | tail -n 1)" != "$max_glibc" ]; then
    echo "check-prebuilds: $rel needs GLIBC_$glibc_top (> $max_glibc); the symbols above $max_glibc:" >&2
    objdump -T "$f" | sed -nE 's/.*\(GLIBC_([0-9.]+)\) +(.*)$/\1 \2/p' | while read -r v sym; do
      [ "$(printf '%s\n%s\n' "$v" "$max_glibc" | sort -V | tail -n 1)" = "$max_glibc" ] || echo "  $sym@GLIBC_$v" >&2
    done
    status=1
  fi
  if grep -qE 'GLIBCXX_|CXXABI_' <<<"$versions"; then
    echo "check-prebuilds: $rel depends on the system's libstdc++ (${versions})" >&2
    status=1
  fi
  for lib in $needed; do
    case "$lib" in
      libc.so.6|libm.so.6|libpthread.so.0|libdl.so.2|libgcc_s.so.1|ld-linux-*.so.*) ;;
      *) echo "check-prebuilds: $rel needs $lib, which is not part of glibc" >&2; status=1 ;;
    esac
  done
done
exit "$status"
