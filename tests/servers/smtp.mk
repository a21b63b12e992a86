# tests/servers/smtp.mk: the SMTP receiver of the alerts tests (each message
# written to a directory, AUTH PLAIN/LOGIN recorded).
TEST_PROGRAMS += smtp-testserver
smtp-testserver_SRCS := tests/servers/smtp-testserver.c
smtp-testserver_LIBS := jobcommon base
