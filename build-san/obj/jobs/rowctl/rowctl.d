build-san/obj/jobs/rowctl/rowctl.o: jobs/rowctl/rowctl.c \
 jobs/common/job.h jobs/common/rowstore.h
jobs/common/job.h:
jobs/common/rowstore.h:
