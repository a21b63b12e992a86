build-vg/obj/tests/unit/test_window.o: tests/unit/test_window.c \
 jobs/common/evtime.h lib/civil.h jobs/overspeed/window.h \
 jobs/common/records.h jobs/common/job.h jobs/overspeed/rule.h
jobs/common/evtime.h:
lib/civil.h:
jobs/overspeed/window.h:
jobs/common/records.h:
jobs/common/job.h:
jobs/overspeed/rule.h:
