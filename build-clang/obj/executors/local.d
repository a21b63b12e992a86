build-clang/obj/executors/local.o: executors/local.c executors/local.h

executors/local.h:
