# jobs/loggen/: the smart car log generator (status and driver logs). The
# generators are a library so unit tests can check their distributions.
LIBRARIES += loggengen
loggengen_SRCS := jobs/loggen/gen.c jobs/loggen/loggen_opts.c
PROGRAMS += loggen
loggen_SRCS := jobs/loggen/loggen.c
loggen_LIBS := loggengen jobcommon base
loggen_LDLIBS := -lcurl
