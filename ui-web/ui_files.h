/* ui_files.h: the files of ui-web/static/, embedded in schedweb at build time
 * (ui-web/static/build.mk writes $(BUILD)/gen/ui_files.c from them), so the
 * binary serves the web UI without reading the disk. */
#ifndef UI_WEB_UI_FILES_H
#define UI_WEB_UI_FILES_H

#include <stddef.h>

#define UI_FILES_MAX 32

struct ui_file {
	const char *name;		/* "app.js": the file's name in ui-web/static/ */
	const unsigned char *data;
	size_t len;
};
/* Every file, ending with a NULL name. */
extern const struct ui_file ui_files[];

#endif
