build-clang/obj/scheduler/notify_email.o: scheduler/notify_email.c \
  lib/buf.h lib/xalloc.h scheduler/notify_channel.h

lib/buf.h:

lib/xalloc.h:

scheduler/notify_channel.h:
