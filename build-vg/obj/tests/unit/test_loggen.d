build-vg/obj/tests/unit/test_loggen.o: tests/unit/test_loggen.c \
 jobs/common/records.h jobs/common/job.h jobs/loggen/gen.h \
 jobs/loggen/rng.h
jobs/common/records.h:
jobs/common/job.h:
jobs/loggen/gen.h:
jobs/loggen/rng.h:
