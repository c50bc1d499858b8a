# fuzz/fuzz.mk - the fuzz targets (fuzz/README.md), included by the Makefile.
#
# Every fuzz/fuzz_<target>.c is built twice:
#  - by `make test`: with gcc and the test build's sanitizers, plus the
#    replay driver fuzz/replay.c, into $(ASAN)/tests/test_fuzz_<target>,
#    which tools/run-tests.sh runs: it replays fuzz/corpus/<target>/ and
#    fuzz/regressions/<target>/ (no clang, no libFuzzer);
#  - by `make fuzz`: with clang and libFuzzer over a third build of the
#    sources instrumented for coverage ($(FUZZ)/obj), into
#    $(FUZZ)/fuzz_<target>, which fuzz/run.sh runs for FUZZ_SECONDS each,
#    seeded from the committed corpus; new inputs go to $(FUZZ)/corpus/,
#    crashes to fuzz/regressions/<target>/.

FUZZ_TARGETS := $(patsubst fuzz/fuzz_%.c,%,$(sort $(wildcard fuzz/fuzz_*.c)))
FUZZ_COMMON := fuzz/fixture.c
FUZZ_HDR := fuzz/fuzz.h
FUZZ_REPLAY := $(patsubst %,$(ASAN)/tests/test_fuzz_%,$(FUZZ_TARGETS))

$(ASAN)/tests/test_fuzz_%: fuzz/fuzz_%.c fuzz/replay.c $(FUZZ_COMMON) $(FUZZ_HDR) $(ASAN_OBJ)
	@mkdir -p $(dir $@)
	@echo "LD  $@"
	@$(CC) $(ASAN_CFLAGS) -DFUZZ_NAME='"$*"' -o $@ fuzz/fuzz_$*.c fuzz/replay.c \
	    $(FUZZ_COMMON) $(ASAN_OBJ) $(LIBS)

FUZZ := build/fuzz
FUZZ_CC ?= clang
FUZZ_SECONDS ?= 20
# No -Werror here: clang warns about other things than gcc, and the gcc
# builds already hold the sources to -Werror.
FUZZ_CFLAGS := $(CSTD) $(filter-out -Werror,$(WARN)) -O1 -g -fno-omit-frame-pointer \
               -fsanitize=address,undefined -fno-sanitize-recover=undefined -Isrc -Ibuild/gen
FUZZ_OBJ := $(patsubst src/%.c,$(FUZZ)/obj/%.o,$(SRC)) $(FUZZ)/obj/gen/embed.o

# Kept between runs (make would delete them as intermediate files).
.SECONDARY: $(FUZZ_OBJ)
$(FUZZ)/obj/%.o: src/%.c
	@mkdir -p $(dir $@)
	@echo "CC  $< (fuzz)"
	@$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -MMD -MP -c $< -o $@
$(FUZZ)/obj/gen/embed.o: build/gen/embed.c
	@mkdir -p $(dir $@)
	@$(FUZZ_CC) $(FUZZ_CFLAGS) -c $< -o $@
$(FUZZ)/fuzz_%: fuzz/fuzz_%.c $(FUZZ_COMMON) $(FUZZ_HDR) $(FUZZ_OBJ)
	@echo "LD  $@ (libFuzzer)"
	@$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ fuzz/fuzz_$*.c $(FUZZ_COMMON) \
	    $(FUZZ_OBJ) $(LIBS)

# make fuzz [FUZZ_SECONDS=N] [FUZZ_TARGETS="query ident"]
fuzz: fuzz-deps
	@$(MAKE) --no-print-directory fuzz-run
fuzz-deps:
	@tools/deps.sh fuzz
fuzz-run: $(patsubst %,$(FUZZ)/fuzz_%,$(FUZZ_TARGETS))
	@FUZZ_SECONDS=$(FUZZ_SECONDS) fuzz/run.sh $(FUZZ) $(FUZZ_TARGETS)
.PHONY: fuzz-deps fuzz-run
