build-vg/obj/tests/unit/test_devbroker_cmd.o: \
 tests/unit/test_devbroker_cmd.c tools/kafka-devbroker/devbroker_cmd.h
tools/kafka-devbroker/devbroker_cmd.h:
