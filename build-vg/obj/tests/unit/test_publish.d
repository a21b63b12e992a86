build-vg/obj/tests/unit/test_publish.o: tests/unit/test_publish.c \
 jobs/common/publish.h jobs/common/job.h jobs/common/storage.h
jobs/common/publish.h:
jobs/common/job.h:
jobs/common/storage.h:
