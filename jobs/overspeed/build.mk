# jobs/overspeed/: the overspeed detector (Kafka or file -> 30 s windows ->
# Redis). Everything but main is the "ovspeed" library, so the unit tests can
# link the window engine, the rule parser and the Redis writer.
LIBRARIES += ovspeed
ovspeed_SRCS := $(filter-out jobs/overspeed/main.c,$(wildcard jobs/overspeed/*.c))

PROGRAMS += overspeed
overspeed_SRCS := jobs/overspeed/main.c
overspeed_LIBS := ovspeed jobcommon
overspeed_LDLIBS := -lyaml -lrdkafka -lhiredis -lm
