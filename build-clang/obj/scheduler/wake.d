build-clang/obj/scheduler/wake.o: scheduler/wake.c scheduler/wake.h

scheduler/wake.h:
