# jobs/kafka2hbase/: Kafka -> row store streamer. The record mapping is a
# library so unit tests link it.
LIBRARIES += k2h
k2h_SRCS := jobs/kafka2hbase/k2h_record.c jobs/kafka2hbase/k2h_opts.c
PROGRAMS += kafka2hbase
kafka2hbase_SRCS := jobs/kafka2hbase/kafka2hbase.c
kafka2hbase_LIBS := k2h jobcommon base
kafka2hbase_LDLIBS := -lrdkafka -lsqlite3 -lcurl -lm
