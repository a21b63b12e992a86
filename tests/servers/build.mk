# tests/servers/: protocol test servers the integration tests start on loopback
# (WebHDFS, HBase REST). Each adds itself to TEST_PROGRAMS in its own build.mk
# fragment file tests/servers/<name>.mk, included here.
include $(sort $(filter-out tests/servers/build.mk,$(wildcard tests/servers/*.mk)))
