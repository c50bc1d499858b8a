# tests/store/store.mk - the store's conformance suite (tests/store/README.md),
# included by the Makefile: one cmocka binary per tests/store/test_store_*.c,
# built like the unit tests (ASan/UBSan objects of src/) and run by
# tools/run-tests.sh with every other build/asan/tests/test_* binary.
STORE_TEST_SRC := $(sort $(wildcard tests/store/test_store_*.c))
STORE_TESTS := $(patsubst tests/store/%.c,$(ASAN)/tests/%,$(STORE_TEST_SRC))

$(STORE_TESTS): $(ASAN)/tests/%: tests/store/%.c $(ASAN_OBJ)
	@mkdir -p $(dir $@)
	@echo "LD  $@"
	@$(CC) $(ASAN_CFLAGS) -MMD -MP -o $@ $< $(ASAN_OBJ) $(LIBS) -lcmocka

# `make store-test`: build and run only this suite.
.PHONY: store-test
store-test: $(STORE_TESTS)
	@for t in $(STORE_TESTS); do $$t || exit 1; done
