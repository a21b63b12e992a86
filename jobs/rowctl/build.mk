# jobs/rowctl/: rowctl, the HBase-shell-like CLI over the row store.
PROGRAMS += rowctl
rowctl_SRCS := jobs/rowctl/rowctl.c
rowctl_LIBS := jobcommon
rowctl_LDLIBS := -lsqlite3 -lcurl -lm
