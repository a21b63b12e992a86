build-san/obj/jobs/common/rowstore_sqlite.o: \
 jobs/common/rowstore_sqlite.c jobs/common/rowstore_backend.h \
 jobs/common/rowstore.h
jobs/common/rowstore_backend.h:
jobs/common/rowstore.h:
