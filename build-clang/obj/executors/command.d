build-clang/obj/executors/command.o: executors/command.c \
  executors/command.h lib/termsafe.h lib/buf.h

executors/command.h:

lib/termsafe.h:

lib/buf.h:
