build-clang/obj/executors/slurm_api.o: executors/slurm_api.c \
  executors/slurm_api.h lib/buf.h lib/json.h lib/xalloc.h

executors/slurm_api.h:

lib/buf.h:

lib/json.h:

lib/xalloc.h:
