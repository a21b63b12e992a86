# tests/tools/: helpers of the integration tests that are neither servers nor
# programs: sqlite_fault.so, the LD_PRELOAD shim of the fault-injection tests.
# Built without the sanitizers (it is preloaded into sanitized programs too).
$(BUILD)/tests/sqlite_fault.so: tests/tools/sqlite_fault.c
	@mkdir -p $(@D)
	$(CC) -std=c11 -Wall -Wextra -Werror -O2 -g -fPIC -shared -o $@ $< -ldl
test-programs: $(BUILD)/tests/sqlite_fault.so

# openapi_check: checks the REST API's answers against ui-web/openapi.yaml's
# schemas (tests/integration/web_api_*.sh).
TEST_PROGRAMS += openapi_check
openapi_check_SRCS := tests/tools/openapi_check.c
openapi_check_LIBS :=
openapi_check_LDLIBS := -lyaml -ljansson
