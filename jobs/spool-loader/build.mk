# jobs/spool-loader/: Flume's spooldir source, regex filter and HDFS sink in
# one program. The filter and the manifest are a library so unit tests reach them.
LIBRARIES += spoolload
spoolload_SRCS := jobs/spool-loader/filter.c jobs/spool-loader/manifest.c jobs/spool-loader/partq.c \
		  jobs/spool-loader/srcmap.c jobs/spool-loader/spool_opts.c
PROGRAMS += spool-loader
spool-loader_SRCS := jobs/spool-loader/spool_loader.c jobs/spool-loader/recover.c
spool-loader_LIBS := spoolload jobcommon base
spool-loader_LDLIBS := -lcurl
