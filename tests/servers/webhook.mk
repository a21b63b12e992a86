# tests/servers/webhook.mk: the webhook receiver of the alerts tests (records
# each request to a directory; answers 500 a given number of times first).
TEST_PROGRAMS += webhook-testserver
webhook-testserver_SRCS := tests/servers/webhook-testserver.c
webhook-testserver_LIBS := testhttpd base
