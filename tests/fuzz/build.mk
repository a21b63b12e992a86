# tests/fuzz/: libFuzzer harnesses, one per parser, tests/fuzz/fuzz_<name>.c,
# each with its seed corpus in tests/fuzz/corpus/<name>/. Built only by
# `make fuzz` (clang, into build-fuzz/fuzz/); like the unit tests, each links
# every project library and the external ones, so a new harness needs no line here.
FUZZ_LDLIBS := -lyaml -lsqlite3 -lcurl -lrdkafka -lhiredis -lssl -lcrypto -lm
FUZZERS += $(patsubst tests/fuzz/%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
$(foreach f,$(patsubst tests/fuzz/%.c,%,$(wildcard tests/fuzz/fuzz_*.c)),\
  $(eval $(f)_SRCS := tests/fuzz/$(f).c)\
  $(eval $(f)_LIBS = $$(LIBRARIES) $$(LIBRARIES))\
  $(eval $(f)_LDLIBS := $$(FUZZ_LDLIBS)))
