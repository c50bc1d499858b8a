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

SRC := $(sort $(filter-out src/main.c,$(wildcard src/*/*.c)))
HDR := $(wildcard src/*/*.h)
EMBED := $(sort $(wildcard data/*.txt) $(wildcard src/store/schema/sqlite/*.sql) \
         $(wildcard web/static/*))
UNIT_TESTS := $(sort $(wildcard tests/unit/test_*.c))

REL := build/release
ASAN := build/asan
REL_CFLAGS := $(CSTD) $(WARN) -O2 -g -Isrc -Ibuild/gen
ASAN_CFLAGS := $(CSTD) $(WARN) -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
               -fno-sanitize-recover=undefined -Isrc -Ibuild/gen

.PHONY: all deps demo test unit apitest lint layers bench clean format web
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

$(REL)/%.o: src/%.c $(HDR)
	@mkdir -p $(dir $@)
	@echo "CC  $<"
	@$(CC) $(REL_CFLAGS) -c $< -o $@
$(ASAN)/%.o: src/%.c $(HDR)
	@mkdir -p $(dir $@)
	@echo "CC  $< (asan)"
	@$(CC) $(ASAN_CFLAGS) -c $< -o $@
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
$(ASAN)/tests/%: tests/unit/%.c tests/unit/*.h $(ASAN_OBJ)
	@mkdir -p $(dir $@)
	@echo "LD  $@"
	@$(CC) $(ASAN_CFLAGS) -o $@ $< $(ASAN_OBJ) $(LIBS) -lcmocka

demo: deps web $(REL)/chuishao
	@if [ -f "$(DB)" ]; then echo "using the existing $(DB) (delete it for a fresh demo)"; \
	 else $(REL)/chuishao demo --db $(DB) || exit 1; fi
	$(REL)/chuishao demo-logins --db $(DB)
	$(REL)/chuishao serve --db $(DB) --port $(PORT)

test: deps web layers $(ASAN)/chuishao $(patsubst tests/unit/%.c,$(ASAN)/tests/%,$(UNIT_TESTS))
	@tools/run-tests.sh $(ASAN)

unit: $(patsubst tests/unit/%.c,$(ASAN)/tests/%,$(UNIT_TESTS))
	@for t in $^; do CHUISHAO_DATA_DIR=data $$t || exit 1; done

layers:
	@tools/check-layers.sh

lint: layers
	clang-format --dry-run -Werror src/*/*.c src/*/*.h tests/unit/*.c tools/*.c

format:
	clang-format -i src/*/*.c src/*/*.h tests/unit/*.c tools/*.c

bench: deps $(REL)/chuishao
	bench/run.sh

clean:
	rm -rf build
