#!/bin/sh
# Compiles the in-place SGEMM shim into the trainer's classes (Maven runs this after compiling Java):
#   build.sh OUTPUT_DIR JAVA_HOME
# Without a C compiler the build goes on and the OpenBLAS backend copies operands through native buffers.
set -eu
out=$1
java_home=$2
cc=${CC:-cc}
src=$(dirname "$0")/tessera_sgemm.c
if ! command -v "$cc" >/dev/null 2>&1; then
  echo "[warning] tessera: no C compiler ($cc); the OpenBLAS backend will copy every operand (install gcc for in-place products)" >&2
  exit 0
fi
mkdir -p "$out"
"$cc" -O2 -shared -fPIC -Wall -Wextra -Werror -I"$java_home/include" -I"$java_home/include/linux" \
  -o "$out/libtessera_sgemm.so" "$src"
