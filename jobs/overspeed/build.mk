# jobs/overspeed/: the overspeed detector (Kafka or file -> 30 s windows ->
# Redis). Everything but main is the "ovspeed" library, so the unit tests can
# link the window engine, the rule parser and the Redis writer.
LIBRARIES += ovspeed
ovspeed_SRCS := $(filter-out jobs/overspeed/overspeed.c,$(wildcard jobs/overspeed/*.c))

PROGRAMS += overspeed
overspeed_SRCS := jobs/overspeed/overspeed.c
overspeed_LIBS := ovspeed jobcommon base
overspeed_LDLIBS := -lyaml -lrdkafka -lhiredis -lssl -lcrypto -lm
