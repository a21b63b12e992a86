# executors/: how a try's process is started, supervised and reconciled.
LIBRARIES += exec
exec_SRCS := $(wildcard executors/*.c)
