build-clang/obj/executors/launcher.o: executors/launcher.c \
  executors/launcher.h executors/local.h executors/launcher_wire.h

executors/launcher.h:

executors/local.h:

executors/launcher_wire.h:
