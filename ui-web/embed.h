/* embed.h: files built into schedweb's binary (its OpenAPI document, the web
 * UI's static files), so the program is one file that cannot serve a page of
 * another version than its code.
 *
 * WEB_EMBED(sym, "path/from/the/repository/root") at file scope of a .c file
 * puts the file's bytes into .rodata with the assembler's .incbin and
 * declares
 *     extern const unsigned char sym[], sym_end[];
 * the bytes are sym .. sym_end (length sym_end - sym), followed by one NUL so
 * a text file is also a C string. The path is relative to the directory make
 * runs the compiler in (the repository's root, as for every #include).
 *
 * The compiler does not see the file, so -MMD does not list it: the part's
 * build.mk makes the object depend on the embedded files, e.g.
 *     $(call obj,ui-web/core.c): ui-web/openapi.yaml
 * (ui-web/build.mk), so an edited file is built in again. gcc and clang
 * (the fuzz build) both assemble .incbin. */
#ifndef UI_WEB_EMBED_H
#define UI_WEB_EMBED_H

#define WEB_EMBED(sym, path)                                                   \
	__asm__(".pushsection .rodata\n"                                       \
		".balign 16\n"                                                 \
		".globl " #sym "\n"                                            \
		".hidden " #sym "\n"                                           \
		#sym ":\n"                                                     \
		".incbin \"" path "\"\n"                                       \
		".globl " #sym "_end\n"                                        \
		".hidden " #sym "_end\n"                                       \
		#sym "_end:\n"                                                 \
		".byte 0\n"                                                    \
		".popsection\n");                                              \
	extern const unsigned char sym[], sym##_end[]

#endif
