build-vg/obj/tests/unit/test_storage.o: tests/unit/test_storage.c \
 jobs/common/storage.h jobs/common/job.h
jobs/common/storage.h:
jobs/common/job.h:
