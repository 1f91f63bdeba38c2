# Shared by the bench scripts (source it from the repository root).

# build_targets BUILD_DIR TARGET...: configures BUILD_DIR as a Release tree
# without tests if it is new, then builds only the targets named.
build_targets() {
  local build=$1
  shift
  if [ ! -f "$build/CMakeCache.txt" ]; then
    bash scripts/build.sh "$build" -DCMAKE_BUILD_TYPE=Release -DEDGEHUB_TESTS=OFF -- "$@" >/dev/null
  else
    ninja -C "$build" "$@" >/dev/null
  fi
}
