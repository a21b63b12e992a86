build-san/obj/jobs/tail2kafka/tail2kafka.o: jobs/tail2kafka/tail2kafka.c \
 jobs/common/job.h jobs/tail2kafka/t2k_acks.h jobs/tail2kafka/t2k_line.h \
 jobs/tail2kafka/t2k_position.h
jobs/common/job.h:
jobs/tail2kafka/t2k_acks.h:
jobs/tail2kafka/t2k_line.h:
jobs/tail2kafka/t2k_position.h:
