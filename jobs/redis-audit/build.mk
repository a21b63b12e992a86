# jobs/redis-audit/: the Redis expiry auditor. The policy checks are the
# "raudit" library (unit tested); redis_audit.c is the SCAN loop.
LIBRARIES += raudit
raudit_SRCS := jobs/redis-audit/audit.c jobs/redis-audit/raudit_opts.c

PROGRAMS += redis-audit
redis-audit_SRCS := jobs/redis-audit/redis_audit.c
redis-audit_LIBS := raudit jobcommon base
redis-audit_LDLIBS := -lhiredis -lssl -lcrypto -lm
