build-vg/obj/tests/unit/test_t2k_position.o: \
 tests/unit/test_t2k_position.c jobs/tail2kafka/t2k_position.h
jobs/tail2kafka/t2k_position.h:
