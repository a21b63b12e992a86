# tools/kafka-devbroker/: the in-memory development Kafka cluster (librdkafka mock).
# The command grammar is a library so unit tests link it.
LIBRARIES += devbroker
devbroker_SRCS := tools/kafka-devbroker/devbroker_cmd.c
PROGRAMS += kafka-devbroker
kafka-devbroker_SRCS := tools/kafka-devbroker/kafka_devbroker.c
kafka-devbroker_LIBS := devbroker jobcommon base
kafka-devbroker_LDLIBS := -lrdkafka -lsqlite3 -lcurl -lm -ljansson
