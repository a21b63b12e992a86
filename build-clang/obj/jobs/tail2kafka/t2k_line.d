build-clang/obj/jobs/tail2kafka/t2k_line.o: jobs/tail2kafka/t2k_line.c \
  jobs/tail2kafka/t2k_line.h

jobs/tail2kafka/t2k_line.h:
