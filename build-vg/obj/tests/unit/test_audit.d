build-vg/obj/tests/unit/test_audit.o: tests/unit/test_audit.c \
 jobs/common/evtime.h lib/civil.h jobs/common/redisconn.h \
 jobs/common/job.h jobs/common/redis_tls.h jobs/redis-audit/audit.h
jobs/common/evtime.h:
lib/civil.h:
jobs/common/redisconn.h:
jobs/common/job.h:
jobs/common/redis_tls.h:
jobs/redis-audit/audit.h:
