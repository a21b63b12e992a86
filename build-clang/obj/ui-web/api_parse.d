build-clang/obj/ui-web/api_parse.o: ui-web/api_parse.c ui-web/api_parse.h \
  scheduler/tz.h

ui-web/api_parse.h:

scheduler/tz.h:
