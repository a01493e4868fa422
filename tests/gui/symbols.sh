#!/bin/sh
# symbols.sh - the window's code keeps to its own prefix: no global symbol
# of the GTK front end's library may use the core's public hve_ prefix
# (or HVE_), so a reader (and the linker) can tell the layers apart.
# Usage: symbols.sh NM LIBRARY. Exit 0 = pass, 1 = fail.
set -u
nm_tool=$1
lib=$2
out=$("$nm_tool" -g --defined-only "$lib") || { echo "FAIL: $nm_tool $lib"; exit 1; }
bad=$(printf '%s\n' "$out" | awk 'NF == 3 { print $3 }' | grep -i '^_*hve_' || true)
if [ -n "$bad" ]; then
  echo "FAIL: the GTK front end defines symbols with the core's prefix:"
  printf '  %s\n' $bad
  exit 1
fi
n=$(printf '%s\n' "$out" | awk 'NF == 3' | wc -l)
echo "symbols: $n global symbols in $(basename "$lib"), none with hve_"
[ "$n" -gt 0 ] || { echo "FAIL: no symbols read"; exit 1; }
