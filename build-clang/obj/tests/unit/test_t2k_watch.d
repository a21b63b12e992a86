build-clang/obj/tests/unit/test_t2k_watch.o: tests/unit/test_t2k_watch.c \
  jobs/tail2kafka/t2k_watch.h

jobs/tail2kafka/t2k_watch.h:
