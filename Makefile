# chuishao - build, test, demo, bench. See README.md.
#   make            release build: build/release/chuishao
#   make demo       install what is missing, build, create chuishao.db with demo data, serve
#   make test       install what is missing, build with ASan/UBSan, run every test
#   make bench      load benchmarks (see bench/README.md)
#   make lint       clang-format check and the layer check

PORT ?= 8080
DB ?= chuishao.db
CC ?= gcc
CSTD := -std=c11 -D_GNU_SOURCE
WARN := -Wall -Wextra -Werror -Wshadow -Wno-unused-parameter
LIBS := -lmicrohttpd -ljansson -lsodium -lsqlite3 -lgeos_c -lproj -lxlsxwriter -lpthread -lm

# Sources by layer, then subject: src/<layer>/*.c and src/<layer>/<subject>/*.c.
SRC := $(sort $(filter-out src/main.c,$(wildcard src/*/*.c src/*/*/*.c)))
EMBED := $(sort $(wildcard data/*.txt) $(wildcard src/store/schema/sqlite/*.sql) \
         $(wildcard web/static/*))
UNIT_TESTS := $(sort $(wildcard tests/unit/test_*.c))

REL := build/release
ASAN := build/asan
REL_CFLAGS := $(CSTD) $(WARN) -O2 -g -Isrc -Ibuild/gen
ASAN_CFLAGS := $(CSTD) $(WARN) -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
               -fno-sanitize-recover=undefined -Isrc -Ibuild/gen

.PHONY: all deps demo test unit apitest lint layers bench clean format web fuzz
all: $(REL)/chuishao

# The browser application (web/web.mk): `make web` builds it into build/web,
# which `chuishao serve` serves.
include web/web.mk

deps:
	@tools/deps.sh

build/gen/embed.c: tools/embed.c $(EMBED)
	@mkdir -p build/gen
	$(CC) -O1 -o build/gen/embed tools/embed.c
	build/gen/embed $@ $(EMBED)

# -MMD -MP: each object's header dependencies in a .d file beside it, so a
# change to one subject's header rebuilds only what includes it.
$(REL)/%.o: src/%.c
	@mkdir -p $(dir $@)
	@echo "CC  $<"
	@$(CC) $(REL_CFLAGS) -MMD -MP -c $< -o $@
$(ASAN)/%.o: src/%.c
	@mkdir -p $(dir $@)
	@echo "CC  $< (asan)"
	@$(CC) $(ASAN_CFLAGS) -MMD -MP -c $< -o $@
$(REL)/gen/embed.o: build/gen/embed.c
	@mkdir -p $(dir $@)
	$(CC) $(REL_CFLAGS) -c $< -o $@
$(ASAN)/gen/embed.o: build/gen/embed.c
	@mkdir -p $(dir $@)
	$(CC) $(ASAN_CFLAGS) -c $< -o $@

REL_OBJ := $(patsubst src/%.c,$(REL)/%.o,$(SRC)) $(REL)/gen/embed.o
ASAN_OBJ := $(patsubst src/%.c,$(ASAN)/%.o,$(SRC)) $(ASAN)/gen/embed.o

$(REL)/chuishao: $(REL_OBJ) $(REL)/main.o
	@echo "LD  $@"
	@$(CC) $(REL_CFLAGS) -o $@ $^ $(LIBS)
$(ASAN)/chuishao: $(ASAN_OBJ) $(ASAN)/main.o
	@echo "LD  $@"
	@$(CC) $(ASAN_CFLAGS) -o $@ $^ $(LIBS)
$(ASAN)/tests/%: tests/unit/%.c $(ASAN_OBJ)
	@mkdir -p $(dir $@)
	@echo "LD  $@"
	@$(CC) $(ASAN_CFLAGS) -MMD -MP -o $@ $< $(ASAN_OBJ) $(LIBS) -lcmocka

-include $(shell find build -name '*.d' 2>/dev/null)

# The store's own test suite (tests/store/store.mk: STORE_TESTS, built like
# the unit tests) and the fuzz targets (fuzz/fuzz.mk: FUZZ_REPLAY, binaries
# that replay the committed corpora and regressions; `make fuzz` runs the
# fuzzers themselves with clang's libFuzzer).
STORE_TESTS :=
FUZZ_REPLAY :=
-include tests/store/store.mk
-include fuzz/fuzz.mk

demo: deps web $(REL)/chuishao
	@if [ -f "$(DB)" ]; then echo "using the existing $(DB) (delete it for a fresh demo)"; \
	 else $(REL)/chuishao demo --db $(DB) || exit 1; fi
	$(REL)/chuishao demo-logins --db $(DB)
	$(REL)/chuishao serve --db $(DB) --port $(PORT)

test: deps web layers $(ASAN)/chuishao $(patsubst tests/unit/%.c,$(ASAN)/tests/%,$(UNIT_TESTS)) \
      $(STORE_TESTS) $(FUZZ_REPLAY)
	@tools/run-tests.sh $(ASAN)

unit: $(patsubst tests/unit/%.c,$(ASAN)/tests/%,$(UNIT_TESTS))
	@for t in $^; do CHUISHAO_DATA_DIR=data $$t || exit 1; done

# The tools that nag, run by `make test` before the build (docs/architecture.md
# "Tools that nag"): the layer rule, the direction of includes and where roles
# are named, the function-length watch, and clang-format.
FORMATTED = $(sort $(shell find src tests/unit tests/store fuzz tools -name '*.[ch]' 2>/dev/null))
layers:
	@tools/check-layers.sh
	@tools/check-includes.sh
	@tools/check-funcs.sh
	@clang-format --dry-run -Werror $(FORMATTED) && echo "clang-format: ok"

lint: layers

format:
	clang-format -i $(FORMATTED)

bench: deps $(REL)/chuishao
	bench/run.sh

clean:
	rm -rf build
