build-vg/obj/tests/unit/test_rollup.o: tests/unit/test_rollup.c \
 jobs/rollup/agg.h jobs/common/job.h jobs/common/records.h \
 jobs/rollup/drive.h jobs/rollup/period.h
jobs/rollup/agg.h:
jobs/common/job.h:
jobs/common/records.h:
jobs/rollup/drive.h:
jobs/rollup/period.h:
