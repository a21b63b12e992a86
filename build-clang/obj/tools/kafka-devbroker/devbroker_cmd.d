build-clang/obj/tools/kafka-devbroker/devbroker_cmd.o: \
  tools/kafka-devbroker/devbroker_cmd.c \
  tools/kafka-devbroker/devbroker_cmd.h

tools/kafka-devbroker/devbroker_cmd.h:
