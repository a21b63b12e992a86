/* command.h: how a try's command is found and started, the one way for the
 * launcher (launcher_proc.c) and for `schedctl test`, so a test runs the same
 * binary a real try would.
 *
 * Invariants: argv[0] is looked up in the PATH of the try's own environment
 * (envp), never in the caller's: glibc's execvpe() searches the caller's
 * PATH, which is why nobody calls it. Without PATH in envp the search is
 * glibc's default for execvp, "/bin:/usr/bin". A name with a '/' is used as
 * it is. A command that cannot be started ends its process with the shell's
 * codes: 127 not found (or the working directory is missing), 126 found but
 * not executable, with the reason on stderr. */
#ifndef EXEC_COMMAND_H
#define EXEC_COMMAND_H

#include <stddef.h>

/* argv[0] as exec_command finds it, into buf: 0; -1 when it is not found or
 * not plainly runnable (an ELF file or a #! script). The launcher's fast path
 * (posix_spawn) is taken only when this says 0. */
int exec_resolve_program(const char *name, char *const *envp, char *buf, size_t len);

/* In a child process: changes to cwd (NULL: stays), then execs argv with
 * envp, argv[0] looked up in envp's PATH. Returns only by _exit(127 or 126)
 * after writing "<who>: cannot ..." to fd 2. Async-signal-safe calls only
 * after fork, apart from what execvp does itself. */
_Noreturn void exec_command(char *const *argv, char *const *envp, const char *cwd, const char *who);

#endif
