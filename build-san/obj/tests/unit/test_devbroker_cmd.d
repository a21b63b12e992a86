build-san/obj/tests/unit/test_devbroker_cmd.o: \
 tests/unit/test_devbroker_cmd.c jobs/kafka-devbroker/devbroker_cmd.h
jobs/kafka-devbroker/devbroker_cmd.h:
