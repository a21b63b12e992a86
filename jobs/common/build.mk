# jobs/common/: what the jobs share (logging and result manners, storage and
# row-store clients, record formats). One static library, every .c here.
LIBRARIES += jobcommon
jobcommon_SRCS := $(wildcard jobs/common/*.c)
