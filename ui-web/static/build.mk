# ui-web/static/: the web UI's files, built into schedweb by ui-web/ui.c
# (WEB_EMBED, ui-web/embed.h): its object depends on them, since the
# compiler's -MMD cannot see an .incbin. A new file is also listed in ui.c.
$(BUILD)/obj/ui-web/ui.o: $(filter-out %/build.mk,$(wildcard ui-web/static/*))
