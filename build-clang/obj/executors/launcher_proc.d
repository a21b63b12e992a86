build-clang/obj/executors/launcher_proc.o: executors/launcher_proc.c \
  executors/command.h executors/launcher.h executors/local.h \
  executors/launcher_wire.h

executors/command.h:

executors/launcher.h:

executors/local.h:

executors/launcher_wire.h:
