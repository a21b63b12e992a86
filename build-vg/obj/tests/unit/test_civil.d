build-vg/obj/tests/unit/test_civil.o: tests/unit/test_civil.c lib/civil.h
lib/civil.h:
