build-clang/obj/scheduler/notify_command.o: scheduler/notify_command.c \
  lib/buf.h lib/xalloc.h scheduler/notify_channel.h \
  scheduler/notify_send.h scheduler/store.h

lib/buf.h:

lib/xalloc.h:

scheduler/notify_channel.h:

scheduler/notify_send.h:

scheduler/store.h:
