# jobs/loggen/: the smart car log generator (status and driver logs).
PROGRAMS += loggen
loggen_SRCS := $(wildcard jobs/loggen/*.c)
loggen_LIBS := jobcommon
loggen_LDLIBS := -lcurl
