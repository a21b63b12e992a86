# tests/unit/: one cmocka program per module, tests/unit/test_<module>.c.
# Each links every project library (static, so only what it uses is pulled in)
# and the external libraries; a new test needs no line here.
UNIT_LDLIBS := -lyaml -lsqlite3 -lcurl -lrdkafka -lhiredis -lssl -lcrypto -lm
UNIT_TESTS += $(patsubst tests/unit/%.c,%,$(wildcard tests/unit/test_*.c))
$(foreach t,$(patsubst tests/unit/%.c,%,$(wildcard tests/unit/test_*.c)),\
  $(eval $(t)_SRCS := tests/unit/$(t).c)\
  $(eval $(t)_LIBS = $$(LIBRARIES) $$(LIBRARIES))\
  $(eval $(t)_LDLIBS := $$(UNIT_LDLIBS)))
