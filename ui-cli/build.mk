# ui-cli/: schedctl, the command-line front of the scheduler.
# Everything but main (schedctl.c) is the "schedcli" library so the unit tests
# (tests/unit/test_schedctl_*.c) can link the pure parts (dates, nearest name,
# closure, grid layout); the state store comes from the "sched" library, the
# launcher's way of starting a command (schedctl test) from "exec".
LIBRARIES += schedcli
schedcli_SRCS := $(filter-out ui-cli/schedctl.c,$(wildcard ui-cli/*.c))

PROGRAMS += schedctl
schedctl_SRCS := ui-cli/schedctl.c
schedctl_LIBS := schedcli sched exec base
schedctl_LDLIBS := -lyaml -lsqlite3 -lm -ljansson

# Test helper: a state file with DAG rows, for the daemon-down tests.
TEST_PROGRAMS += sched_mkstate
sched_mkstate_SRCS := tests/tools/sched_mkstate.c
sched_mkstate_LIBS := sched base
sched_mkstate_LDLIBS := -lyaml -lsqlite3 -lm -ljansson
