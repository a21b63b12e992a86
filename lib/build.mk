# lib/: the base library under everything else (scheduler, executors, jobs,
# ui-cli, tools): memory, buffers, dates, logfmt, progress, option parsing.
# It includes nothing of the project above it; every program links it last.
LIBRARIES += base
base_SRCS := $(wildcard lib/*.c)
