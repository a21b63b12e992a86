build-clang/obj/scheduler/notify_webhook.o: scheduler/notify_webhook.c \
  lib/buf.h lib/json.h lib/xalloc.h scheduler/notify_channel.h

lib/buf.h:

lib/json.h:

lib/xalloc.h:

scheduler/notify_channel.h:
