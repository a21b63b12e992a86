build-vg/obj/tests/unit/test_spool_loader.o: \
 tests/unit/test_spool_loader.c jobs/spool-loader/filter.h \
 jobs/common/job.h jobs/spool-loader/manifest.h jobs/spool-loader/partq.h \
 jobs/common/storage.h jobs/spool-loader/srcmap.h
jobs/spool-loader/filter.h:
jobs/common/job.h:
jobs/spool-loader/manifest.h:
jobs/spool-loader/partq.h:
jobs/common/storage.h:
jobs/spool-loader/srcmap.h:
