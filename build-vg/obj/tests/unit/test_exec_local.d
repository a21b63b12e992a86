build-vg/obj/tests/unit/test_exec_local.o: tests/unit/test_exec_local.c \
 executors/launcher.h executors/local.h
executors/launcher.h:
executors/local.h:
