build-clang/obj/tests/unit/test_rule.o: tests/unit/test_rule.c \
  jobs/common/evtime.h lib/civil.h jobs/overspeed/rule.h

jobs/common/evtime.h:

lib/civil.h:

jobs/overspeed/rule.h:
