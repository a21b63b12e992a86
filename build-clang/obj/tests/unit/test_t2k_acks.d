build-clang/obj/tests/unit/test_t2k_acks.o: tests/unit/test_t2k_acks.c \
  jobs/tail2kafka/t2k_acks.h

jobs/tail2kafka/t2k_acks.h:
