build-clang/obj/executors/slurm_client.o: executors/slurm_client.c \
  executors/slurm_client.h executors/slurm_api.h lib/buf.h lib/xalloc.h

executors/slurm_client.h:

executors/slurm_api.h:

lib/buf.h:

lib/xalloc.h:
