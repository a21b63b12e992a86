build-clang/obj/tools/kafka-devbroker/kafka_devbroker.o: \
  tools/kafka-devbroker/kafka_devbroker.c jobs/common/job.h \
  lib/options.h tools/kafka-devbroker/devbroker_cmd.h

jobs/common/job.h:

lib/options.h:

tools/kafka-devbroker/devbroker_cmd.h:
