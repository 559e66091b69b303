// SPDX-License-Identifier: MIT
/*
 * igt_core.c - subtest control flow, results, logging, signals and
 * children of svmgpu's IGT-compatible test library.
 *
 * What a binary prints, writes to the kernel log and exits with is the
 * contract of docs/testing.md; the comments below point at the
 * rule each piece implements. The state lives in file-scope variables:
 * a test binary is one single-threaded state machine (fixture, subtest,
 * dynamic subtest) driven by the macros of igt_core.h.
 */
#include <errno.h>
#include <execinfo.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "igt_core.h"

#ifndef SVMGPU_VERSION
#define SVMGPU_VERSION "dev"
#endif

/* Longest subtest or dynamic subtest name, including the NUL. */
#define NAME_SIZE		256
/* How many exit handlers igt_install_exit_handler() accepts. */
#define MAX_EXIT_HANDLERS	16
/* How many log lines are kept for the dump of a failing subtest. */
#define LOG_RING_SIZE		256
/* How many nested igt_subtest_group descriptions are remembered. */
#define MAX_GROUP_DEPTH		16
/* Width --describe wraps descriptions at. */
#define DESCRIBE_COLUMNS	80

sigjmp_buf igt_subtest_jmpbuf;
sigjmp_buf igt_dynamic_jmpbuf;

/* Defined by IGT_TEST_DESCRIPTION() in the test, if it uses it. */
extern const char *__igt_test_description __attribute__((weak));

/*
 * Command line and environment, set once by __igt_init().
 */
static const char *command_str = "igt";	/* basename of argv[0] */
static bool test_with_subtests;		/* igt_main, not igt_simple_main */
static bool list_subtests;		/* --list-subtests or --describe */
static bool show_testlist;		/* --show-testlist */
static bool describe_subtests;		/* --describe */
static char *run_pattern;		/* --run-subtest / --describe=PATTERN */
static bool run_pattern_found;		/* some subtest matched run_pattern */
static char *dynamic_pattern;		/* --dynamic-subtest */
static bool plain_output = true;	/* no colour: not a tty, or IGT_PLAIN_OUTPUT */
static bool sentinel_on_stderr;		/* IGT_SENTINEL_ON_STDERR is set */
static enum igt_log_level log_level = IGT_LOG_INFO;
static char *log_domain_filter;		/* --debug=DOMAIN */
static char *kmsg_path;			/* where kernel log markers go */

/*
 * Where the binary is. The flags the fatal signal handler reads are
 * sig_atomic_t; the names are copied into static buffers so that they
 * outlive the igt_subtest_f() formatting and can be printed from a
 * signal handler.
 */
static volatile sig_atomic_t in_fixture;
static volatile sig_atomic_t in_subtest;
static volatile sig_atomic_t in_dynamic;
static volatile sig_atomic_t is_child;	/* an igt_fork() child */
static char subtest_name[NAME_SIZE];
static char dynamic_name[NAME_SIZE];
static struct timespec test_start, subtest_start, dynamic_start;

/*
 * Dynamic container of the running subtest: -1 when the subtest is not a
 * container, else the number of dynamic subtests that ran and did not
 * skip. dynamic_failed says whether one of them failed.
 */
static int dynamic_executed = -1;
static bool dynamic_failed;

/* What later subtests of the current group print after a fixture ended early. */
enum henceforth { HENCEFORTH_RUN, HENCEFORTH_SKIP, HENCEFORTH_FAIL };
static int skip_henceforth = HENCEFORTH_RUN;

/*
 * Results so far, for the exit code: the first failure's code if any
 * failed, else success if one passed, else skip.
 */
static bool succeeded_one, failed_one;
static int exitcode = IGT_EXIT_SUCCESS;

/* Description of the next subtest and of the enclosing groups. */
static char *current_description;
static char *group_descriptions[MAX_GROUP_DEPTH];
static int group_description_count;

/* Exit handlers; popped one by one as they run so each runs once. */
static igt_exit_handler_t exit_handlers[MAX_EXIT_HANDLERS];
static volatile sig_atomic_t exit_handler_count;
static bool in_exit_handler;

/* igt_fork() children of the running subtest. */
static pid_t *children;
static int num_children, children_size;

/*
 * Log ring buffer: the last LOG_RING_SIZE formatted lines, dumped when a
 * subtest fails. log_mutex also serialises printing, so that messages of
 * different threads do not interleave.
 */
static pthread_mutex_t log_mutex = PTHREAD_MUTEX_INITIALIZER;
static char *log_ring[LOG_RING_SIZE];
static unsigned int log_ring_start, log_ring_count;
static __thread bool log_continuation;

/* Signals whose arrival runs the exit handlers (igt_install_exit_handler). */
static const struct {
	int sig;
	const char *name;
	bool announce;	/* print "Received signal <name>." */
	bool crash;	/* report the running subtest as CRASH */
} handled_signals[] = {
	{ SIGINT,  "SIGINT",  false, false },
	{ SIGHUP,  "SIGHUP",  false, false },
	{ SIGPIPE, "SIGPIPE", false, false },
	{ SIGTERM, "SIGTERM", false, false },
	{ SIGQUIT, "SIGQUIT", true,  false },
	{ SIGABRT, "SIGABRT", true,  true },
	{ SIGSEGV, "SIGSEGV", true,  true },
	{ SIGBUS,  "SIGBUS",  true,  true },
	{ SIGFPE,  "SIGFPE",  true,  true },
	{ SIGILL,  "SIGILL",  true,  true },
};

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/*
 * Small string builder usable from a signal handler: no allocation, no
 * stdio, truncates silently.
 */
struct sbuf {
	char buf[768];
	size_t len;
};

static void sb_puts(struct sbuf *sb, const char *s)
{
	while (*s && sb->len < sizeof(sb->buf) - 1)
		sb->buf[sb->len++] = *s++;
	sb->buf[sb->len] = '\0';
}

static void sb_putu(struct sbuf *sb, unsigned long v, unsigned int min_digits)
{
	char tmp[24];
	unsigned int n = 0;

	do {
		tmp[n++] = '0' + v % 10;
		v /= 10;
	} while (v || n < min_digits);
	while (n && sb->len < sizeof(sb->buf) - 1)
		sb->buf[sb->len++] = tmp[--n];
	sb->buf[sb->len] = '\0';
}

static void write_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t ret = write(fd, buf, len);

		if (ret < 0 && errno == EINTR)
			continue;
		if (ret <= 0)
			return;
		buf += ret;
		len -= ret;
	}
}

static double elapsed_since(const struct timespec *start)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - start->tv_sec) +
	       (now.tv_nsec - start->tv_nsec) / 1e9;
}

/* Milliseconds since @start, for the signal-safe "(<s>.<ms>s)" formatting. */
static unsigned long elapsed_ms_since(const struct timespec *start)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - start->tv_sec) * 1000UL +
	       (now.tv_nsec - start->tv_nsec) / 1000000L;
}

/*
 * Kernel log markers. /dev/kmsg logs a record without a "<N>" prefix at
 * warning level, which igt_runner would count as a kernel warning, so
 * every marker carries the info-level prefix "<6>". One write() is one
 * record. Failing to open the log (no permission, no /dev/kmsg) is fine.
 * errno is preserved: a marker must not leak into "Last errno".
 */
static void kmsg_write(const char *buf, size_t len)
{
	int saved_errno = errno;
	int fd;

	if (!kmsg_path)
		goto out;
	fd = open(kmsg_path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		goto out;
	write_all(fd, buf, len);
	close(fd);
out:
	errno = saved_errno;
}

/* Build "<6>[IGT] <bin>: <what> <name>" (+", <result>") and log it. */
static void kmsg_marker(const char *what, const char *name, const char *result)
{
	struct sbuf sb = { .len = 0 };

	sb_puts(&sb, "<6>[IGT] ");
	sb_puts(&sb, command_str);
	sb_puts(&sb, ": ");
	sb_puts(&sb, what);
	if (name) {
		sb_puts(&sb, " ");
		sb_puts(&sb, name);
	}
	if (result) {
		sb_puts(&sb, ", ");
		sb_puts(&sb, result);
	}
	sb_puts(&sb, "\n");
	kmsg_write(sb.buf, sb.len);
}

static void kmsg_exiting(int ret)
{
	struct sbuf sb = { .len = 0 };

	sb_puts(&sb, "<6>[IGT] ");
	sb_puts(&sb, command_str);
	sb_puts(&sb, ": exiting, ret=");
	sb_putu(&sb, ret, 1);
	sb_puts(&sb, "\n");
	kmsg_write(sb.buf, sb.len);
}

/*
 * Internal errors: the library was misused (subtest nested in a subtest,
 * skip outside a fixture, invalid name, ...). Abort the binary with
 * IGT_EXIT_ABORT after saying so on stderr.
 */
static void __attribute__((noreturn, format(printf, 1, 2)))
internal_error(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "(%s:%d) igt_core-CRITICAL: ", command_str, getpid());
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	kmsg_exiting(IGT_EXIT_ABORT);
	exit(IGT_EXIT_ABORT);
}

/* ---- logging ---------------------------------------------------------- */

/* Caller holds log_mutex. Takes ownership of @line. */
static void log_ring_append(char *line)
{
	unsigned int idx;

	if (log_ring_count == LOG_RING_SIZE) {
		free(log_ring[log_ring_start]);
		log_ring[log_ring_start] = line;
		log_ring_start = (log_ring_start + 1) % LOG_RING_SIZE;
		return;
	}
	idx = (log_ring_start + log_ring_count) % LOG_RING_SIZE;
	log_ring[idx] = line;
	log_ring_count++;
}

static void log_ring_reset(void)
{
	pthread_mutex_lock(&log_mutex);
	while (log_ring_count) {
		free(log_ring[log_ring_start]);
		log_ring[log_ring_start] = NULL;
		log_ring_start = (log_ring_start + 1) % LOG_RING_SIZE;
		log_ring_count--;
	}
	log_ring_start = 0;
	pthread_mutex_unlock(&log_mutex);
}

/*
 * Dump the ring on stderr after "<what> <name> failed.", between
 * "**** DEBUG ****" and "****  END  ****", then empty it.
 */
static void log_ring_dump(void)
{
	unsigned int i;

	fflush(stdout);
	if (in_dynamic)
		fprintf(stderr, "Dynamic subtest %s failed.\n", dynamic_name);
	else if (in_subtest)
		fprintf(stderr, "Subtest %s failed.\n", subtest_name);
	else
		fprintf(stderr, "Test %s failed.\n", command_str);

	pthread_mutex_lock(&log_mutex);
	if (!log_ring_count) {
		fprintf(stderr, "No log.\n");
	} else {
		fprintf(stderr, "**** DEBUG ****\n");
		for (i = 0; i < log_ring_count; i++) {
			const char *line = log_ring[(log_ring_start + i) % LOG_RING_SIZE];
			size_t len = strlen(line);

			fputs(line, stderr);
			if (len && line[len - 1] != '\n')
				fputc('\n', stderr);
		}
		fprintf(stderr, "****  END  ****\n");
	}
	pthread_mutex_unlock(&log_mutex);
	log_ring_reset();
}

static bool debug_domain_selected(const char *domain)
{
	if (!log_domain_filter || !strcmp(log_domain_filter, "all"))
		return true;
	if (!domain)
		return !strcmp(log_domain_filter, "application");
	return !strcmp(log_domain_filter, domain);
}

void igt_vlog(const char *domain, enum igt_log_level level, const char *fmt,
	      va_list args)
{
	static const char *const level_str[] = {
		[IGT_LOG_DEBUG] = "DEBUG",
		[IGT_LOG_INFO] = "INFO",
		[IGT_LOG_WARN] = "WARNING",
		[IGT_LOG_CRITICAL] = "CRITICAL",
		[IGT_LOG_NONE] = "NONE",
	};
	int saved_errno = errno;
	char *msg, *line;
	bool continuation;
	size_t len;

	if ((unsigned int)level >= IGT_LOG_NONE)
		goto out;
	/* Listing prints names only; keep it clean of chatter. */
	if (igt_only_list_subtests() && level <= IGT_LOG_WARN)
		goto out;
	if (vasprintf(&msg, fmt, args) < 0)
		goto out;

	pthread_mutex_lock(&log_mutex);

	/* A message not ending in '\n' is continued by the next one. */
	continuation = log_continuation;
	len = strlen(msg);
	log_continuation = len && msg[len - 1] != '\n';

	if (continuation)
		line = strdup(msg);
	else if (asprintf(&line, "(%s:%d) %s%s%s: %s", command_str, getpid(),
			  domain ? domain : "", domain ? "-" : "",
			  level_str[level], msg) < 0)
		line = NULL;

	if (level >= log_level &&
	    (level != IGT_LOG_DEBUG || debug_domain_selected(domain))) {
		FILE *f = stdout;

		if (level >= IGT_LOG_WARN) {
			fflush(stdout);
			f = stderr;
		}
		fputs(level == IGT_LOG_INFO || !line ? msg : line, f);
		fflush(f);
	}

	if (line)
		log_ring_append(line);
	pthread_mutex_unlock(&log_mutex);
	free(msg);
out:
	errno = saved_errno;
}

void igt_log(const char *domain, enum igt_log_level level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	igt_vlog(domain, level, fmt, ap);
	va_end(ap);
}

/* ---- subtest and result lines ------------------------------------------ */

static const char *result_colour(const char *result)
{
	if (!strcmp(result, "SUCCESS"))
		return "\x1b[1;32m";
	if (!strcmp(result, "SKIP"))
		return "\x1b[1;33m";
	return "\x1b[1;31m";
}

/* "Starting subtest: <name>" / "Starting dynamic subtest: <name>". */
static void starting_line(bool dynamic, const char *name)
{
	const char *kind = dynamic ? "dynamic subtest" : "subtest";

	printf("Starting %s: %s\n", kind, name);
	fflush(stdout);
	if (sentinel_on_stderr) {
		fprintf(stderr, "Starting %s: %s\n", kind, name);
		fflush(stderr);
	}
}

/*
 * "Subtest <name>: <RESULT> (<s>.<ms>s)" (or "Dynamic subtest ..."), on
 * stdout and, for igt_runner, on stderr. Built without stdio so that the
 * fatal signal handler can use it; a line of our own on stdout is always
 * complete because stdout is line-buffered and flushed before.
 */
static void result_line(bool dynamic, const char *name, const char *result,
			unsigned long ms)
{
	struct sbuf plain = { .len = 0 }, out = { .len = 0 };

	sb_puts(&plain, dynamic ? "Dynamic subtest " : "Subtest ");
	sb_puts(&plain, name);
	sb_puts(&plain, ": ");
	sb_puts(&plain, result);
	sb_puts(&plain, " (");
	sb_putu(&plain, ms / 1000, 1);
	sb_puts(&plain, ".");
	sb_putu(&plain, ms % 1000, 3);
	sb_puts(&plain, "s)");

	if (!plain_output)
		sb_puts(&out, result_colour(result));
	sb_puts(&out, plain.buf);
	if (!plain_output)
		sb_puts(&out, "\x1b[0m");
	sb_puts(&out, "\n");
	write_all(STDOUT_FILENO, out.buf, out.len);

	if (sentinel_on_stderr) {
		sb_puts(&plain, "\n");
		write_all(STDERR_FILENO, plain.buf, plain.len);
	}
}

static void kill_children(void)
{
	int i;

	for (i = 0; i < num_children; i++) {
		if (children[i] > 0) {
			kill(children[i], SIGKILL);
			waitpid(children[i], NULL, 0);
		}
	}
	num_children = 0;
}

/*
 * Print the result of the running dynamic subtest (if any) or subtest,
 * write the kernel log marker and jump back to its loop condition.
 */
static void __attribute__((noreturn)) exit_subtest(const char *result)
{
	bool dynamic = in_dynamic;
	const char *name = dynamic ? dynamic_name : subtest_name;

	fflush(stdout);
	result_line(dynamic, name, result,
		    elapsed_ms_since(dynamic ? &dynamic_start : &subtest_start));
	kmsg_marker("finished subtest", name, result);

	/* An assert in the parent may leave igt_fork() children behind. */
	kill_children();

	if (dynamic) {
		in_dynamic = 0;
		log_ring_reset();
		siglongjmp(igt_dynamic_jmpbuf, 1);
	}
	in_subtest = 0;
	dynamic_executed = -1;
	siglongjmp(igt_subtest_jmpbuf, 1);
}

/* Record a failure of the binary; the first one decides the exit code. */
static void record_failure(int code)
{
	if (!failed_one)
		exitcode = code;
	failed_one = true;
}

/* ---- selection: names and patterns ------------------------------------- */

static bool valid_name(const char *name)
{
	const char *p;

	if (!*name || strlen(name) >= NAME_SIZE)
		return false;
	for (p = name; *p; p++) {
		if (!(*p >= 'a' && *p <= 'z') && !(*p >= 'A' && *p <= 'Z') &&
		    !(*p >= '0' && *p <= '9') && *p != '_' && *p != '-')
			return false;
	}
	return true;
}

/*
 * Wildmat-style match: @pattern is a comma-separated list of fnmatch()
 * globs, each optionally negated with a leading '!'; the last element
 * that matches @name decides. Commas inside [...] do not separate.
 */
static bool pattern_match(const char *name, const char *pattern)
{
	bool matched = false;
	const char *p = pattern;

	while (*p) {
		const char *end = p;
		bool in_bracket = false, negate = false;
		char *elem;

		while (*end && (in_bracket || *end != ',')) {
			if (*end == '[')
				in_bracket = true;
			else if (*end == ']')
				in_bracket = false;
			end++;
		}
		elem = strndup(p, end - p);
		if (!elem)
			internal_error("out of memory\n");
		if (elem[0] == '!')
			negate = true;
		if (fnmatch(elem + negate, name, 0) == 0)
			matched = !negate;
		free(elem);
		p = *end ? end + 1 : end;
	}
	return matched;
}

/* ---- --describe -------------------------------------------------------- */

/*
 * Print @text word-wrapped at DESCRIBE_COLUMNS, each line starting with
 * @indent. Newlines in @text start a new line.
 */
static void print_wrapped(const char *indent, const char *text)
{
	const int width = DESCRIBE_COLUMNS - (int)strlen(indent);
	const char *p = text;
	int col = 0;

	fputs(indent, stdout);
	while (*p) {
		size_t wlen;

		if (*p == ' ') {
			p++;
			continue;
		}
		if (*p == '\n') {
			printf("\n%s", indent);
			col = 0;
			p++;
			continue;
		}
		wlen = strcspn(p, "\n ");
		if (col && col + 1 + (int)wlen > width) {
			printf("\n%s", indent);
			col = 0;
		}
		if (col) {
			putchar(' ');
			col++;
		}
		fwrite(p, 1, wlen, stdout);
		col += wlen;
		p += wlen;
	}
	putchar('\n');
}

static void print_test_description(void)
{
	if (&__igt_test_description && __igt_test_description)
		print_wrapped("", __igt_test_description);
}

static void clear_description(void)
{
	free(current_description);
	current_description = NULL;
}

static void describe_subtest(const char *name, const char *file, int line)
{
	bool documented = false;
	int i;

	printf("SUB %s %s:%d:\n", name, file, line);
	for (i = 0; i < group_description_count; i++) {
		if (!group_descriptions[i])
			continue;
		print_wrapped("  ", group_descriptions[i]);
		putchar('\n');
		documented = true;
	}
	if (current_description) {
		print_wrapped("  ", current_description);
		putchar('\n');
		documented = true;
	}
	if (!documented)
		printf("  NO DOCUMENTATION!\n\n");
}

void igt_describe_f(const char *fmt, ...)
{
	va_list ap;

	if (in_subtest)
		internal_error("igt_describe belongs before its subtest, not inside\n");
	if (!describe_subtests)
		return;

	clear_description();
	va_start(ap, fmt);
	if (vasprintf(&current_description, fmt, ap) < 0)
		current_description = NULL;
	va_end(ap);
}

void __igt_subtest_group_save(volatile int *save, volatile int *desc)
{
	if (!test_with_subtests)
		internal_error("igt_subtest_group is not allowed in igt_simple_main\n");
	if (in_subtest || in_fixture)
		internal_error("igt_subtest_group cannot be nested in a subtest or fixture\n");
	if (group_description_count >= MAX_GROUP_DEPTH)
		internal_error("igt_subtest_group nested deeper than %d\n",
			       MAX_GROUP_DEPTH);

	/* NULL entries keep the stack in step with the nesting. */
	group_descriptions[group_description_count++] = current_description;
	current_description = NULL;
	*desc = 1;
	*save = skip_henceforth;
}

void __igt_subtest_group_restore(int save, int desc)
{
	if (desc && group_description_count > 0) {
		group_description_count--;
		free(group_descriptions[group_description_count]);
		group_descriptions[group_description_count] = NULL;
	}
	skip_henceforth = save;
}

/* ---- fixtures and subtests --------------------------------------------- */

bool __igt_fixture(void)
{
	if (in_fixture)
		internal_error("igt_fixture cannot be nested\n");
	if (in_subtest)
		internal_error("igt_fixture cannot be used inside a subtest\n");
	if (!test_with_subtests)
		internal_error("igt_fixture is not allowed in igt_simple_main\n");

	if (igt_only_list_subtests() || skip_henceforth != HENCEFORTH_RUN)
		return false;

	in_fixture = 1;
	errno = 0;
	return true;
}

void __igt_fixture_complete(void)
{
	in_fixture = 0;
}

/* A fixture skipped or failed: later subtests of its group follow suit. */
static void __attribute__((noreturn)) fixture_end(enum henceforth how)
{
	skip_henceforth = how;
	in_fixture = 0;
	siglongjmp(igt_subtest_jmpbuf, 1);
}

bool __igt_run_subtest(const char *name, const char *file, int line)
{
	if (!test_with_subtests)
		internal_error("igt_subtest is not allowed in igt_simple_main\n");
	if (in_subtest || in_fixture)
		internal_error("igt_subtest can only be nested in igt_main or igt_subtest_group\n");
	if (!valid_name(name))
		internal_error("Invalid subtest name \"%s\": use 1 to %d characters of [A-Za-z0-9_-]\n",
			       name, NAME_SIZE - 1);

	if (run_pattern) {
		if (!pattern_match(name, run_pattern)) {
			clear_description();
			return false;
		}
		run_pattern_found = true;
	}

	if (describe_subtests) {
		describe_subtest(name, file, line);
		clear_description();
		return false;
	}
	clear_description();
	if (show_testlist) {
		printf("igt@%s@%s\n", command_str, name);
		return false;
	}
	if (list_subtests) {
		printf("%s\n", name);
		return false;
	}

	if (skip_henceforth != HENCEFORTH_RUN) {
		fflush(stdout);
		result_line(false, name,
			    skip_henceforth == HENCEFORTH_SKIP ? "SKIP" : "FAIL", 0);
		return false;
	}

	snprintf(subtest_name, sizeof(subtest_name), "%s", name);
	kmsg_marker("starting subtest", name, NULL);
	starting_line(false, name);
	log_ring_reset();
	dynamic_executed = -1;
	dynamic_failed = false;
	clock_gettime(CLOCK_MONOTONIC, &subtest_start);
	in_subtest = 1;
	errno = 0;
	return true;
}

/* Formats a (dynamic) subtest name; a name too long is a test bug. */
static void format_name(char *name, const char *what, const char *fmt,
			va_list ap)
{
	int len = vsnprintf(name, NAME_SIZE + 1, fmt, ap);

	if (len < 0 || len >= NAME_SIZE)
		internal_error("%s name from \"%s\" is longer than %d characters\n",
			       what, fmt, NAME_SIZE - 1);
}

bool __igt_run_subtest_f(const char *file, int line, const char *fmt, ...)
{
	char name[NAME_SIZE + 1];
	va_list ap;

	va_start(ap, fmt);
	format_name(name, "subtest", fmt, ap);
	va_end(ap);
	return __igt_run_subtest(name, file, line);
}

bool __igt_enter_dynamic_container(void)
{
	dynamic_executed = 0;
	dynamic_failed = false;
	return true;
}

bool __igt_run_dynamic_subtest(const char *name)
{
	if (!in_subtest || dynamic_executed < 0)
		internal_error("igt_dynamic is only allowed inside igt_subtest_with_dynamic\n");
	if (in_dynamic)
		internal_error("igt_dynamic cannot be nested in another igt_dynamic\n");
	if (!valid_name(name))
		internal_error("Invalid dynamic subtest name \"%s\": use 1 to %d characters of [A-Za-z0-9_-]\n",
			       name, NAME_SIZE - 1);

	if (dynamic_pattern && !pattern_match(name, dynamic_pattern))
		return false;

	snprintf(dynamic_name, sizeof(dynamic_name), "%s", name);
	kmsg_marker("starting dynamic subtest", name, NULL);
	starting_line(true, name);
	log_ring_reset();
	dynamic_executed++;
	clock_gettime(CLOCK_MONOTONIC, &dynamic_start);
	in_dynamic = 1;
	errno = 0;
	return true;
}

bool __igt_run_dynamic_subtest_f(const char *fmt, ...)
{
	char name[NAME_SIZE + 1];
	va_list ap;

	va_start(ap, fmt);
	format_name(name, "dynamic subtest", fmt, ap);
	va_end(ap);
	return __igt_run_dynamic_subtest(name);
}

const char *igt_subtest_name(void)
{
	return in_subtest ? subtest_name : NULL;
}

const char *igt_dynamic_subtest_name(void)
{
	return in_dynamic ? dynamic_name : NULL;
}

const char *igt_test_name(void)
{
	return command_str;
}

bool igt_only_list_subtests(void)
{
	return list_subtests || show_testlist;
}

/* ---- results ------------------------------------------------------------ */

/* A dynamic container ends: FAIL if a dynamic subtest failed. */
static void __attribute__((noreturn)) container_failed(void)
{
	record_failure(IGT_EXIT_FAILURE);
	log_ring_reset();
	exit_subtest("FAIL");
}

void igt_success(void)
{
	if (is_child)
		exit(IGT_EXIT_SUCCESS);

	if (in_subtest && !in_dynamic && dynamic_executed >= 0) {
		if (dynamic_failed)
			container_failed();
		if (dynamic_executed == 0)
			igt_skip("No dynamic tests executed.\n");
	}

	if (!in_dynamic)
		succeeded_one = true;
	if (in_subtest)
		exit_subtest("SUCCESS");
}

void igt_skip(const char *fmt, ...)
{
	va_list ap;

	if (!igt_only_list_subtests()) {
		va_start(ap, fmt);
		vprintf(fmt, ap);
		va_end(ap);
		fflush(stdout);
	}

	if (is_child) {
		igt_critical("igt_skip/igt_require are not allowed in igt_fork children; check requirements before forking\n");
		exit(IGT_EXIT_FAILURE);
	}

	if (in_subtest) {
		if (in_dynamic) {
			/* A skipped dynamic subtest does not count as run. */
			dynamic_executed--;
			exit_subtest("SKIP");
		}
		if (dynamic_executed >= 0 && dynamic_failed)
			container_failed();
		exit_subtest("SKIP");
	}
	if (test_with_subtests) {
		if (!in_fixture)
			internal_error("igt_skip/igt_require are only allowed in fixtures and subtests\n");
		fixture_end(HENCEFORTH_SKIP);
	}
	exitcode = IGT_EXIT_SKIP;
	igt_exit();
}

void __igt_skip_check(const char *file, int line, const char *func,
		      const char *check, const char *fmt, ...)
{
	/* igt_skip() does not return: keep the text until the next skip. */
	static char *extra;
	int err = errno;
	char errstr[128] = "";
	va_list ap;

	if (err)
		snprintf(errstr, sizeof(errstr), "Last errno: %d, %s\n",
			 err, strerror(err));
	free(extra);
	extra = NULL;
	if (fmt) {
		va_start(ap, fmt);
		if (vasprintf(&extra, fmt, ap) < 0)
			extra = NULL;
		va_end(ap);
	}

	igt_skip("Test requirement not met in function %s, file %s:%d:\n"
		 "Test requirement: %s\n%s%s",
		 func, file, line, check, extra ? extra : "", errstr);
}

void igt_fail(int code)
{
	if (code == IGT_EXIT_SUCCESS || code == IGT_EXIT_SKIP)
		internal_error("igt_fail(%d): the code must mean failure\n", code);

	/* An assert in an exit handler: the binary is ending anyway. */
	if (in_exit_handler) {
		fflush(NULL);
		_exit(IGT_EXIT_FAILURE);
	}

	if (is_child) {
		fflush(NULL);
		exit(code);
	}

	if (in_dynamic)
		dynamic_failed = true;
	else
		record_failure(code);

	log_ring_dump();

	if (in_subtest)
		exit_subtest("FAIL");
	if (in_fixture)
		fixture_end(HENCEFORTH_FAIL);
	if (test_with_subtests)
		internal_error("igt_fail/igt_assert are only allowed in fixtures and subtests\n");
	igt_exit();
}

void __igt_fail_assert(const char *domain, const char *file, int line,
		       const char *func, const char *assertion,
		       const char *fmt, ...)
{
	int err = errno;
	va_list ap;

	igt_log(domain, IGT_LOG_CRITICAL,
		"Test assertion failure function %s, file %s:%d:\n",
		func, file, line);
	igt_log(domain, IGT_LOG_CRITICAL, "Failed assertion: %s\n", assertion);
	if (err)
		igt_log(domain, IGT_LOG_CRITICAL, "Last errno: %d, %s\n",
			err, strerror(err));
	if (fmt) {
		va_start(ap, fmt);
		igt_vlog(domain, IGT_LOG_CRITICAL, fmt, ap);
		va_end(ap);
	}
	igt_fail(IGT_EXIT_FAILURE);
}

void igt_exit(void)
{
	if (is_child)
		exit(IGT_EXIT_SUCCESS);

	if (run_pattern && !run_pattern_found) {
		fflush(stdout);
		fprintf(stderr, "Unknown subtest: %s\n", run_pattern);
		if (!igt_only_list_subtests())
			kmsg_exiting(IGT_EXIT_INVALID);
		exit(IGT_EXIT_INVALID);
	}
	if (igt_only_list_subtests())
		exit(IGT_EXIT_SUCCESS);

	if (test_with_subtests && !failed_one)
		exitcode = succeeded_one ? IGT_EXIT_SUCCESS : IGT_EXIT_SKIP;

	kill_children();
	kmsg_exiting(exitcode);
	igt_debug("Exiting with status code %d\n", exitcode);

	if (!test_with_subtests) {
		const char *result = exitcode == IGT_EXIT_SUCCESS ? "SUCCESS" :
				     exitcode == IGT_EXIT_SKIP ? "SKIP" : "FAIL";

		printf("%s (%.3fs)\n", result, elapsed_since(&test_start));
	}
	fflush(NULL);
	exit(exitcode);
}

/* ---- exit handlers and signals ----------------------------------------- */

static void call_exit_handlers(int sig)
{
	in_exit_handler = true;
	while (exit_handler_count > 0) {
		igt_exit_handler_t fn = exit_handlers[exit_handler_count - 1];

		exit_handler_count--;
		fn(sig);
	}
	in_exit_handler = false;
}

static void restore_default_signals(void)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(handled_signals); i++)
		signal(handled_signals[i].sig, SIG_DFL);
}

static void atexit_handler(void)
{
	restore_default_signals();
	call_exit_handlers(0);
}

/*
 * Fatal signal: say which (stderr), and for a crash in a subtest print
 * the CRASH result (dynamic subtest first, then its container) and the
 * kernel log markers. Then kill igt_fork() children, run the exit
 * handlers and die of the same signal with the default disposition, so
 * the exit status is 128 + signal. Only async-signal-safe calls, apart
 * from what exit handlers and backtrace() do.
 */
static void fatal_sig_handler(int sig)
{
	const char *name = NULL;
	bool announce = false, crash = false;
	struct sbuf sb = { .len = 0 };
	sigset_t set;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(handled_signals); i++) {
		if (handled_signals[i].sig == sig) {
			name = handled_signals[i].name;
			announce = handled_signals[i].announce;
			crash = handled_signals[i].crash;
		}
	}

	if (announce) {
		void *frames[64];
		int n;

		sb_puts(&sb, "Received signal ");
		sb_puts(&sb, name);
		sb_puts(&sb, ".\n");
		write_all(STDERR_FILENO, sb.buf, sb.len);
		if (crash) {
			n = backtrace(frames, ARRAY_SIZE(frames));
			write_all(STDERR_FILENO, "Stack trace:\n", 13);
			backtrace_symbols_fd(frames, n, STDERR_FILENO);
		}
	}

	if (crash && !is_child) {
		if (in_subtest && in_dynamic) {
			result_line(true, dynamic_name, "CRASH",
				    elapsed_ms_since(&dynamic_start));
			kmsg_marker("finished subtest", dynamic_name, "CRASH");
		}
		if (in_subtest) {
			result_line(false, subtest_name, "CRASH",
				    elapsed_ms_since(&subtest_start));
			kmsg_marker("finished subtest", subtest_name, "CRASH");
		}
		kmsg_exiting(128 + sig);
	}

	if (!is_child) {
		for (i = 0; i < (size_t)num_children; i++) {
			if (children[i] > 0) {
				kill(children[i], SIGKILL);
				waitpid(children[i], NULL, 0);
			}
		}
		num_children = 0;
	}

	restore_default_signals();
	call_exit_handlers(sig);

	sigemptyset(&set);
	sigaddset(&set, sig);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	raise(sig);
	_exit(128 + sig);
}

void igt_install_exit_handler(igt_exit_handler_t fn)
{
	int i;

	for (i = 0; i < exit_handler_count; i++)
		if (exit_handlers[i] == fn)
			return;
	if (exit_handler_count >= MAX_EXIT_HANDLERS)
		internal_error("more than %d exit handlers\n", MAX_EXIT_HANDLERS);
	exit_handlers[exit_handler_count] = fn;
	exit_handler_count++;
}

static void install_signal_handlers(void)
{
	struct sigaction sa;
	size_t i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = fatal_sig_handler;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < ARRAY_SIZE(handled_signals); i++)
		sigaction(handled_signals[i].sig, &sa, NULL);
}

/* ---- children ---------------------------------------------------------- */

bool __igt_fork(void)
{
	pid_t pid;

	if (is_child)
		internal_error("igt_fork cannot be nested in an igt_fork child\n");
	if (test_with_subtests && !in_subtest)
		internal_error("igt_fork is only allowed in subtests\n");

	if (num_children == children_size) {
		int size = children_size ? children_size * 2 : 4;
		pid_t *p = realloc(children, size * sizeof(*p));

		if (!p)
			internal_error("out of memory\n");
		children = p;
		children_size = size;
	}

	/* Whatever is buffered must not be printed twice. */
	fflush(NULL);

	pid = fork();
	igt_assert_f(pid >= 0, "fork() failed\n");
	if (pid == 0) {
		is_child = 1;
		num_children = 0;
		exit_handler_count = 0;
		log_ring_reset();
		return true;
	}
	children[num_children++] = pid;
	return false;
}

int __igt_waitchildren(void)
{
	int err = 0, remaining = num_children;

	if (is_child)
		internal_error("igt_waitchildren is not allowed in igt_fork children\n");

	while (remaining > 0) {
		int status, c;
		pid_t pid = wait(&status);

		if (pid < 0) {
			if (errno == EINTR)
				continue;
			igt_warn("wait() for %d children failed: %s\n",
				 remaining, strerror(errno));
			err = err ? err : IGT_EXIT_FAILURE;
			break;
		}
		for (c = 0; c < num_children; c++)
			if (children[c] == pid)
				break;
		if (c == num_children)
			continue;	/* not one of ours */
		children[c] = 0;
		remaining--;

		if (err || status == 0)
			continue;
		if (WIFEXITED(status)) {
			igt_info("child %d failed with exit status %d\n",
				 c, WEXITSTATUS(status));
			err = WEXITSTATUS(status);
		} else if (WIFSIGNALED(status)) {
			igt_info("child %d died with signal %d, %s\n", c,
				 WTERMSIG(status), strsignal(WTERMSIG(status)));
			err = 128 + WTERMSIG(status);
		} else {
			igt_info("child %d ended with status %#x\n", c, status);
			err = IGT_EXIT_FAILURE;
		}
		/* The first failure decides; the others need not finish. */
		for (c = 0; c < num_children; c++)
			if (children[c] > 0)
				kill(children[c], SIGKILL);
	}
	num_children = 0;
	return err;
}

void igt_waitchildren(void)
{
	int err = __igt_waitchildren();

	/* A child may not skip; whatever it exited with is a failure. */
	if (err == IGT_EXIT_SUCCESS || err == IGT_EXIT_SKIP)
		err = err ? IGT_EXIT_FAILURE : 0;
	if (err)
		igt_fail(err);
}

/* ---- command line ------------------------------------------------------- */

enum {
	OPT_LIST_SUBTESTS = 500,
	OPT_SHOW_TESTLIST,
	OPT_RUN_SUBTEST,
	OPT_DYNAMIC_SUBTEST,
	OPT_DESCRIBE,
	OPT_HELP_DESCRIPTION,
	OPT_DEBUG,
	OPT_VERSION,
	OPT_HELP = 'h',
};

static void print_usage(FILE *f)
{
	fprintf(f, "Usage: %s [OPTIONS]\n"
		"  --list-subtests\n"
		"  --show-testlist\n"
		"  --run-subtest <pattern>\n"
		"  --dynamic-subtest <pattern>\n"
		"  --describe[=<pattern>]\n"
		"  --help-description\n"
		"  --debug[=<domain>]\n"
		"  --version\n"
		"  --help|-h\n"
		"A pattern is a comma-separated list of globs (*, ?, [...]);\n"
		"a glob starting with ! excludes, the last matching glob decides.\n",
		command_str);
}

static void print_version(void)
{
	printf("IGT-Version: svmgpu-%s\n", SVMGPU_VERSION);
	fflush(stdout);
}

static void parse_options(int argc, char **argv)
{
	static const struct option long_options[] = {
		{ "list-subtests",    no_argument,       NULL, OPT_LIST_SUBTESTS },
		{ "show-testlist",    no_argument,       NULL, OPT_SHOW_TESTLIST },
		{ "run-subtest",      required_argument, NULL, OPT_RUN_SUBTEST },
		{ "dynamic-subtest",  required_argument, NULL, OPT_DYNAMIC_SUBTEST },
		{ "describe",         optional_argument, NULL, OPT_DESCRIBE },
		{ "help-description", no_argument,       NULL, OPT_HELP_DESCRIPTION },
		{ "debug",            optional_argument, NULL, OPT_DEBUG },
		{ "version",          no_argument,       NULL, OPT_VERSION },
		{ "help",             no_argument,       NULL, OPT_HELP },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, "h", long_options, NULL)) != -1) {
		switch (c) {
		case OPT_LIST_SUBTESTS:
			list_subtests = true;
			break;
		case OPT_SHOW_TESTLIST:
			show_testlist = true;
			break;
		case OPT_RUN_SUBTEST:
			free(run_pattern);
			run_pattern = strdup(optarg);
			break;
		case OPT_DYNAMIC_SUBTEST:
			free(dynamic_pattern);
			dynamic_pattern = strdup(optarg);
			break;
		case OPT_DESCRIBE:
			list_subtests = true;
			describe_subtests = true;
			if (optarg) {
				free(run_pattern);
				run_pattern = strdup(optarg);
			}
			break;
		case OPT_HELP_DESCRIPTION:
			print_test_description();
			exit(IGT_EXIT_SUCCESS);
		case OPT_DEBUG:
			log_level = IGT_LOG_DEBUG;
			if (optarg && *optarg) {
				free(log_domain_filter);
				log_domain_filter = strdup(optarg);
			}
			break;
		case OPT_VERSION:
			print_version();
			exit(IGT_EXIT_SUCCESS);
		case OPT_HELP:
			print_usage(stdout);
			exit(IGT_EXIT_SUCCESS);
		default:
			/* getopt_long() already said what is wrong. */
			print_usage(stderr);
			exit(IGT_EXIT_INVALID);
		}
	}
	if (optind < argc) {
		fprintf(stderr, "%s: unexpected argument '%s'\n",
			command_str, argv[optind]);
		print_usage(stderr);
		exit(IGT_EXIT_INVALID);
	}
}

static void read_environment(void)
{
	const char *env;

	plain_output = !isatty(STDOUT_FILENO) || getenv("IGT_PLAIN_OUTPUT");
	sentinel_on_stderr = !!getenv("IGT_SENTINEL_ON_STDERR");

	env = getenv("IGT_LOG_LEVEL");
	if (env) {
		if (!strcmp(env, "debug"))
			log_level = IGT_LOG_DEBUG;
		else if (!strcmp(env, "info"))
			log_level = IGT_LOG_INFO;
		else if (!strcmp(env, "warn"))
			log_level = IGT_LOG_WARN;
		else if (!strcmp(env, "none"))
			log_level = IGT_LOG_NONE;
	}

	/* The library's self-tests point the markers at a file. */
	env = getenv("IGT_KMSG_PATH");
	kmsg_path = strdup(env && *env ? env : "/dev/kmsg");
}

void __igt_init(int argc, char **argv, bool with_subtests)
{
	const char *slash;
	void *frame;

	/* Our lines and the test's printf()s must reach the runner whole. */
	setvbuf(stdout, NULL, _IOLBF, 0);

	command_str = argc > 0 && argv[0] ? argv[0] : "igt";
	slash = strrchr(command_str, '/');
	if (slash)
		command_str = slash + 1;
	test_with_subtests = with_subtests;

	read_environment();
	parse_options(argc, argv);

	if (!test_with_subtests) {
		if (run_pattern) {
			fprintf(stderr, "Unknown subtest: %s\n", run_pattern);
			exit(IGT_EXIT_INVALID);
		}
		if (show_testlist) {
			printf("igt@%s\n", command_str);
			exit(IGT_EXIT_SUCCESS);
		}
		if (list_subtests)
			exit(IGT_EXIT_INVALID);
	}

	if (describe_subtests) {
		print_test_description();
		if (&__igt_test_description && __igt_test_description)
			putchar('\n');
	}

	/* backtrace() loads libgcc on first use: not in a signal handler. */
	backtrace(&frame, 1);
	install_signal_handlers();
	if (atexit(atexit_handler))
		internal_error("atexit() failed\n");

	if (!igt_only_list_subtests()) {
		kmsg_marker("executing", NULL, NULL);
		print_version();
	}
	clock_gettime(CLOCK_MONOTONIC, &test_start);
	errno = 0;
}
