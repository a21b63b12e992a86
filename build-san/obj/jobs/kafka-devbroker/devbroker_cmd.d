build-san/obj/jobs/kafka-devbroker/devbroker_cmd.o: \
 jobs/kafka-devbroker/devbroker_cmd.c \
 jobs/kafka-devbroker/devbroker_cmd.h
jobs/kafka-devbroker/devbroker_cmd.h:
