# Makefile: builds every program into build/bin, runs the tests and the benchmarks.
#
# Non-recursive on purpose: each part of the tree describes itself in its own
# build.mk (scheduler/build.mk, jobs/loggen/build.mk, ...), adding to the lists
# below, so a new program touches no other part's file.
#
#   make              build every program into $(BUILD)/bin
#   make deps         install the Debian packages the project needs (apt-get, as root)
#   make test         deps, build, unit + integration tests, then the same under ASan+UBSan,
#                     then every fuzz harness TEST_FUZZ_SECONDS (10) (make fuzz)
#   make check        unit + integration tests of the current $(BUILD) only
#   make valgrind     unit tests under valgrind --leak-check=full
#   make bench        the benchmarks (figures and ratios, never a pass/fail on speed)
#   make demo         the smart car pipeline end to end
#   make fuzz         libFuzzer harnesses (clang, ASan+UBSan) in build-fuzz/, each run
#                     FUZZ_SECONDS (60) on a copy of its corpus tests/fuzz/corpus/<name>/

BUILD   ?= build
SAN     ?= 0
CC      ?= gcc
AR      ?= ar

CFLAGS  := -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -g -MMD -MP -I. -pthread
LDFLAGS := -pthread
ifeq ($(FUZZ),1)
  # make fuzz: every object instrumented for libFuzzer (coverage only: the
  # fuzzer's main is linked into the harnesses alone), ASan+UBSan aborting.
  CFLAGS  += -O1 -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
  LDFLAGS += -fsanitize=address,undefined
else ifeq ($(SAN),1)
  CFLAGS  += -O1 -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
  LDFLAGS += -fsanitize=address,undefined
else
  CFLAGS  += -O2
endif

# Filled in by the build.mk files.
LIBRARIES  :=
PROGRAMS   :=
UNIT_TESTS :=
TEST_PROGRAMS :=   # helpers of the integration tests (test servers), built into $(BUILD)/tests
FUZZERS    :=      # libFuzzer harnesses (tests/fuzz/build.mk), built into $(BUILD)/fuzz by make fuzz

include $(sort $(wildcard */build.mk */*/build.mk))

obj = $(patsubst %.c,$(BUILD)/obj/%.o,$(1))
libfiles = $(foreach l,$(1),$(BUILD)/lib/lib$(l).a)

# A library: NAME_SRCS. A program: NAME_SRCS, NAME_LIBS (ours, dependents first), NAME_LDLIBS.
# A unit test: same variables as a program, always linked with cmocka.
define LIB_template
$(BUILD)/lib/lib$(1).a: $(call obj,$($(1)_SRCS))
	@mkdir -p $$(@D)
	@rm -f $$@
	$(AR) rcs $$@ $$^
endef
define PROG_template
$(2)/$(1): $(call obj,$($(1)_SRCS)) $(call libfiles,$($(1)_LIBS))
	@mkdir -p $$(@D)
	$(CC) $(LDFLAGS) -o $$@ $(call obj,$($(1)_SRCS)) $(call libfiles,$($(1)_LIBS)) $($(1)_LDLIBS) $(3)
endef

$(foreach l,$(LIBRARIES),$(eval $(call LIB_template,$(l))))
$(foreach p,$(PROGRAMS),$(eval $(call PROG_template,$(p),$(BUILD)/bin,)))
$(foreach t,$(UNIT_TESTS),$(eval $(call PROG_template,$(t),$(BUILD)/tests,-lcmocka)))
$(foreach t,$(TEST_PROGRAMS),$(eval $(call PROG_template,$(t),$(BUILD)/tests,)))
$(foreach f,$(FUZZERS),$(eval $(call PROG_template,$(f),$(BUILD)/fuzz,-fsanitize=fuzzer)))

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -c -o $@ $<

.DEFAULT_GOAL := all
.PHONY: all unit-build test-programs fuzz-build deps deps-fuzz test check unit integration valgrind bench demo \
	demo-clean run clean fuzz

all: $(addprefix $(BUILD)/bin/,$(PROGRAMS))
unit-build: $(addprefix $(BUILD)/tests/,$(UNIT_TESTS))
test-programs: $(addprefix $(BUILD)/tests/,$(TEST_PROGRAMS))
fuzz-build: $(addprefix $(BUILD)/fuzz/,$(FUZZERS))

deps:
	@tests/tools/install-deps.sh

# clang, libFuzzer and the sanitizer runtimes: only when fuzzing is asked for.
deps-fuzz:
	@tests/tools/install-deps.sh fuzz

unit: all unit-build
	@tests/tools/run-unit.sh $(BUILD)/tests $(UNIT_TESTS)

integration: all test-programs
	@BUILD=$(BUILD) tests/tools/run-integration.sh

check: unit integration

# make test ends with every fuzz harness for TEST_FUZZ_SECONDS (10) each, so a
# parser regression (or a corpus crash input coming back) fails the suite.
TEST_FUZZ_SECONDS ?= 10
test: deps
	@$(MAKE) --no-print-directory -j2 all unit-build test-programs
	@$(MAKE) --no-print-directory check
	@$(MAKE) --no-print-directory -j2 BUILD=build-san SAN=1 all unit-build test-programs
	@$(MAKE) --no-print-directory BUILD=build-san SAN=1 check
	@$(MAKE) --no-print-directory fuzz FUZZ_SECONDS=$(TEST_FUZZ_SECONDS)

# make fuzz: its own tree (build-fuzz/, every library compiled by clang with
# the fuzzer's coverage and ASan+UBSan), then each harness FUZZ_SECONDS on a
# scratch copy of its corpus; a crash fails with the input's path.
FUZZ_SECONDS ?= 60

FUZZ_BUILD ?= build-fuzz
fuzz: deps deps-fuzz
	@$(MAKE) --no-print-directory -j2 BUILD=$(FUZZ_BUILD) FUZZ=1 CC=clang fuzz-build
	@FUZZ_SECONDS=$(FUZZ_SECONDS) ONLY="$(ONLY)" tests/tools/run-fuzz.sh $(FUZZ_BUILD) $(FUZZERS)

valgrind: unit-build
	@VALGRIND=1 tests/tools/run-unit.sh $(BUILD)/tests $(UNIT_TESTS)

bench: deps
	@$(MAKE) --no-print-directory -j2 all test-programs
	@BUILD=$(BUILD) tests/bench/run.sh

demo: deps
	@$(MAKE) --no-print-directory -j2 all
	@if [ -x tests/tools/demo.sh ]; then BUILD=$(BUILD) tests/tools/demo.sh; \
	 else echo "make demo: not yet (the demo lands with the pipeline DAGs issue)"; fi

demo-clean:
	rm -rf demo-workspace

run: deps
	@$(MAKE) --no-print-directory -j2 all
	@BUILD=$(BUILD) tests/tools/run.sh

clean:
	rm -rf build build-san build-fuzz

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)
