# scheduler/: the DAG model and loader, cron, the state store, the planner and
# the daemon. Everything but the daemon's main is the "sched" library, which
# schedctl links too.
LIBRARIES += sched
sched_SRCS := $(filter-out scheduler/schedulerd.c,$(wildcard scheduler/*.c))

ifneq ($(wildcard scheduler/schedulerd.c),)
PROGRAMS += schedulerd
schedulerd_SRCS := scheduler/schedulerd.c
schedulerd_LIBS := sched exec base
schedulerd_LDLIBS := -lyaml -lsqlite3 -lm -ljansson -lcurl
endif
