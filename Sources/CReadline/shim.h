#ifndef CREADLINE_SHIM_H
#define CREADLINE_SHIM_H
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <readline/readline.h>
#include <readline/history.h>

/*
 * Signals for the terminal screen, by the self-pipe pattern: the handler only writes the
 * signal number as one byte to a non-blocking pipe (write(2) is async-signal-safe); the
 * screen's read loop polls the pipe next to standard input and does all readline work on
 * the main thread, outside any handler. It works whichever thread the kernel picks to run
 * the handler, and a signal that arrives between two polls stays in the pipe.
 *
 * `static` state in a header is one copy per object file that uses it, so only one Swift
 * file (TerminalLineReader.swift) calls these functions; the handler reaches the copy that
 * its own installer set.
 */
static int callscript_signal_write_fd = -1;

static void callscript_on_signal(int signal_number) {
  int saved = errno;
  unsigned char byte = (unsigned char)signal_number;
  if (callscript_signal_write_fd >= 0) {
    ssize_t ignored = write(callscript_signal_write_fd, &byte, 1);
    (void)ignored;
  }
  errno = saved;
}

/* Routes SIGINT, SIGWINCH and SIGCONT to a new pipe; returns its read end, or -1 when it
   cannot. */
static inline int callscript_watch_signals(void) {
  int fds[2];
  if (pipe(fds) != 0) return -1;
  for (int i = 0; i < 2; i++) {
    fcntl(fds[i], F_SETFL, fcntl(fds[i], F_GETFL) | O_NONBLOCK);
    fcntl(fds[i], F_SETFD, FD_CLOEXEC);
  }
  callscript_signal_write_fd = fds[1];
  struct sigaction action;
  memset(&action, 0, sizeof action);
  action.sa_handler = callscript_on_signal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;
  if (sigaction(SIGINT, &action, NULL) != 0 || sigaction(SIGWINCH, &action, NULL) != 0
      || sigaction(SIGCONT, &action, NULL) != 0) {
    close(fds[0]);
    close(fds[1]);
    callscript_signal_write_fd = -1;
    return -1;
  }
  return fds[0];
}

/* Gives the signals back their default actions and closes the pipe's write end. */
static inline void callscript_unwatch_signals(void) {
  signal(SIGINT, SIG_DFL);
  signal(SIGWINCH, SIG_DFL);
  signal(SIGCONT, SIG_DFL);
  if (callscript_signal_write_fd >= 0) close(callscript_signal_write_fd);
  callscript_signal_write_fd = -1;
}


/*
 * readline's settings and state as functions: Swift 6 refuses to touch mutable C globals.
 * Only the main thread calls readline (see ReadlineBridge in TerminalLineReader.swift).
 */

/* The settings of the call-taker's screen: no signal handlers of readline's own (the screen
   watches SIGINT and SIGWINCH itself), no LINES/COLUMNS in the environment, words broken at
   spaces and list separators, and `completer` for tab completion. */
static inline void callscript_configure_readline(rl_completion_func_t *completer) {
  rl_readline_name = "callscript";
  rl_catch_signals = 0;
  rl_catch_sigwinch = 0;
  rl_change_environment = 0;
  rl_completer_word_break_characters = " \t,;";
  rl_attempted_completion_function = completer;
}

/* The line being edited. */
static inline const char *callscript_line_buffer(void) { return rl_line_buffer; }

/* The length of the line being edited, in bytes. */
static inline int callscript_line_length(void) { return rl_end; }

/* Tells readline not to fall back to completing file names. */
static inline void callscript_completion_is_over(void) { rl_attempted_completion_over = 1; }
#endif
