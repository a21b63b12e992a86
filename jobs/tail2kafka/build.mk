# jobs/tail2kafka/: file tail -> Kafka. The pure pieces (position file, line
# filter, in-flight window, inotify wake-ups) are a library so unit tests link them.
LIBRARIES += t2k
t2k_SRCS := jobs/tail2kafka/t2k_position.c jobs/tail2kafka/t2k_line.c jobs/tail2kafka/t2k_acks.c \
	jobs/tail2kafka/t2k_watch.c jobs/tail2kafka/t2k_opts.c
PROGRAMS += tail2kafka
tail2kafka_SRCS := jobs/tail2kafka/tail2kafka.c
tail2kafka_LIBS := t2k jobcommon base
tail2kafka_LDLIBS := -lrdkafka -lsqlite3 -lcurl -lm
