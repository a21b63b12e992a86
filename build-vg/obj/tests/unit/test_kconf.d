build-vg/obj/tests/unit/test_kconf.o: tests/unit/test_kconf.c \
 jobs/common/kconf.h jobs/common/job.h lib/options.h
jobs/common/kconf.h:
jobs/common/job.h:
lib/options.h:
