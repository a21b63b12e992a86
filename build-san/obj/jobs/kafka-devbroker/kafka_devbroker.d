build-san/obj/jobs/kafka-devbroker/kafka_devbroker.o: \
 jobs/kafka-devbroker/kafka_devbroker.c jobs/common/job.h \
 jobs/kafka-devbroker/devbroker_cmd.h
jobs/common/job.h:
jobs/kafka-devbroker/devbroker_cmd.h:
