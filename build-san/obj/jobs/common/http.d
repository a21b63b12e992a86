build-san/obj/jobs/common/http.o: jobs/common/http.c jobs/common/http.h \
 jobs/common/job.h
jobs/common/http.h:
jobs/common/job.h:
