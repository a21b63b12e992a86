build-clang/obj/jobs/tail2kafka/t2k_acks.o: jobs/tail2kafka/t2k_acks.c \
  jobs/tail2kafka/t2k_acks.h

jobs/tail2kafka/t2k_acks.h:
