# tests/tools/: helpers of the integration tests that are neither servers nor
# programs: sqlite_fault.so, the LD_PRELOAD shim of the fault-injection tests.
# Built without the sanitizers (it is preloaded into sanitized programs too).
$(BUILD)/tests/sqlite_fault.so: tests/tools/sqlite_fault.c
	@mkdir -p $(@D)
	$(CC) -std=c11 -Wall -Wextra -Werror -O2 -g -fPIC -shared -o $@ $< -ldl
test-programs: $(BUILD)/tests/sqlite_fault.so
