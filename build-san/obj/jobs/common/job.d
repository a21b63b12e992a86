build-san/obj/jobs/common/job.o: jobs/common/job.c jobs/common/job.h
jobs/common/job.h:
