# tools/rowctl/: rowctl, the HBase-shell-like CLI over the row store.
PROGRAMS += rowctl
rowctl_SRCS := tools/rowctl/rowctl.c
rowctl_LIBS := jobcommon base
rowctl_LDLIBS := -lsqlite3 -lcurl -lm -ljansson
