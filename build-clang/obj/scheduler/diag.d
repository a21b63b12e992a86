build-clang/obj/scheduler/diag.o: scheduler/diag.c scheduler/diag.h

scheduler/diag.h:
