build-clang/obj/jobs/kafka2hbase/kafka2hbase.o: \
  jobs/kafka2hbase/kafka2hbase.c lib/uri_redact.h jobs/common/job.h \
  jobs/common/kgroup.h jobs/common/rowstore.h \
  jobs/kafka2hbase/k2h_opts.h jobs/common/kconf.h lib/options.h \
  jobs/kafka2hbase/k2h_record.h jobs/common/records.h

lib/uri_redact.h:

jobs/common/job.h:

jobs/common/kgroup.h:

jobs/common/rowstore.h:

jobs/kafka2hbase/k2h_opts.h:

jobs/common/kconf.h:

lib/options.h:

jobs/kafka2hbase/k2h_record.h:

jobs/common/records.h:
