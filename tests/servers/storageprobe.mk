# tests/servers/storageprobe.mk: storage-probe, a shell front to
# jobs/common/storage.h for the integration tests of its backends.
TEST_PROGRAMS += storage-probe
storage-probe_SRCS := tests/servers/storage-probe.c
storage-probe_LIBS := jobcommon base
storage-probe_LDLIBS := -lcurl
