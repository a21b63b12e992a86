build-san/obj/jobs/kafka-devbroker/kafka_devbroker.o: \
 jobs/kafka-devbroker/kafka_devbroker.c \
 jobs/kafka-devbroker/devbroker_cmd.h
jobs/kafka-devbroker/devbroker_cmd.h:
