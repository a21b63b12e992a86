build-clang/obj/executors/launcher_wire.o: executors/launcher_wire.c \
  executors/launcher_wire.h executors/local.h lib/buf.h lib/xalloc.h

executors/launcher_wire.h:

executors/local.h:

lib/buf.h:

lib/xalloc.h:
