# jobs/rollup/: the partition aggregator (day/week/month/year rollups of the
# status partitions, drive-day from the row store). The arithmetic and the
# calendar are a library so the unit tests reach them.
LIBRARIES += rollupagg
rollupagg_SRCS := jobs/rollup/agg.c jobs/rollup/period.c jobs/rollup/drive.c jobs/rollup/output.c jobs/rollup/rollup_opts.c
PROGRAMS += rollup
rollup_SRCS := jobs/rollup/rollup.c jobs/rollup/drive_cmd.c
rollupagg_SRCS += jobs/rollup/dayscan.c
rollup_LIBS := rollupagg jobcommon base
rollup_LDLIBS := -lsqlite3 -lcurl -lm
