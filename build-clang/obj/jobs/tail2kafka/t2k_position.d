build-clang/obj/jobs/tail2kafka/t2k_position.o: \
  jobs/tail2kafka/t2k_position.c jobs/tail2kafka/t2k_position.h

jobs/tail2kafka/t2k_position.h:
