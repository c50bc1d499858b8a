#!/bin/sh
# Benchmark of geo/: the point -> grid index and boundary validation (see
# bench/bench_geo.c). Builds build/bench/bench_geo with -O2 and runs it.
# usage: bench/geo.sh [SIDE [POINTS [RUNS]]]   (defaults: 100 x 100 grids,
#        1,000,000 random points, 5 runs)
set -e
cd "$(dirname "$0")/.."
mkdir -p build/bench
${CC:-gcc} -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Wshadow -O2 -g -Isrc \
    -o build/bench/bench_geo bench/bench_geo.c \
    src/geo/*.c src/core/*.c \
    -lgeos_c -lproj -ljansson -lm -lpthread
exec build/bench/bench_geo "$@"
