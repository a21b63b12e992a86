# jobs/redis-audit/: the Redis expiry auditor. The policy checks are the
# "raudit" library (unit tested); main.c is the SCAN loop.
LIBRARIES += raudit
raudit_SRCS := jobs/redis-audit/audit.c

PROGRAMS += redis-audit
redis-audit_SRCS := jobs/redis-audit/main.c
redis-audit_LIBS := raudit jobcommon
redis-audit_LDLIBS := -lhiredis -lm
