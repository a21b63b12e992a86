build-clang/obj/scheduler/notify_template.o: scheduler/notify_template.c \
  lib/buf.h lib/json.h lib/xalloc.h scheduler/duration.h \
  scheduler/notify_channel.h

lib/buf.h:

lib/json.h:

lib/xalloc.h:

scheduler/duration.h:

scheduler/notify_channel.h:
