build-clang/obj/tests/unit/test_t2k_line.o: tests/unit/test_t2k_line.c \
  jobs/tail2kafka/t2k_line.h

jobs/tail2kafka/t2k_line.h:
