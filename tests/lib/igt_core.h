/* SPDX-License-Identifier: MIT */
/*
 * igt_core.h - core of svmgpu's IGT-compatible test library.
 *
 * Test binaries are built on the control-flow blocks declared here
 * (igt_main, igt_fixture, igt_subtest, igt_dynamic, ...), report results
 * with the assert/require/skip macros, and log with igt_info/igt_debug/
 * igt_warn. The command line, the output lines, the exit codes and the
 * kernel log markers follow the contract of docs/testing.md (IGT's),
 * so IGT's igt_runner can drive our binaries unchanged.
 *
 * Control flow: a subtest body runs inside a `for` loop whose condition
 * registers the subtest and calls sigsetjmp(). igt_success(), igt_skip()
 * and igt_fail() print the result line and siglongjmp() back into that
 * condition, which then turns false and leaves the body. Local variables
 * a body changes and reads after such a jump must therefore be volatile.
 *
 * The library is single-threaded: asserts, skips and igt_fork() may only
 * be used from the main thread of the test (logging is thread-safe).
 */
#ifndef SVMGPU_IGT_CORE_H
#define SVMGPU_IGT_CORE_H

#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

/* Exit codes of a test binary (docs/testing.md, "Exit codes"). */

/** IGT_EXIT_SUCCESS: at least one subtest passed and none failed. */
#define IGT_EXIT_SUCCESS	0
/** IGT_EXIT_SKIP: nothing ran, or everything that ran skipped. */
#define IGT_EXIT_SKIP		77
/** IGT_EXIT_INVALID: unknown subtest, bad option, or nothing to list. */
#define IGT_EXIT_INVALID	79
/** IGT_EXIT_FAILURE: a (sub)test failed. */
#define IGT_EXIT_FAILURE	98
/** IGT_EXIT_ABORT: the test library itself was misused. */
#define IGT_EXIT_ABORT		112

/**
 * IGT_TEST_DESCRIPTION - describe the whole binary.
 * @str: one paragraph saying what the binary tests.
 *
 * Printed by --describe and --help-description. Use once, at file scope.
 */
#define IGT_TEST_DESCRIPTION(str) const char *__igt_test_description = (str)

/* Internal helpers of the macros below; tests do not call them directly. */
#define __igt_concat2(a, b) a##b
#define __igt_concat(a, b) __igt_concat2(a, b)
#define __igt_unique(prefix) __igt_concat(__igt_concat(__igt_tmp_, prefix), __LINE__)

/** igt_subtest_jmpbuf: where success/skip/fail of a subtest jumps to. */
extern sigjmp_buf igt_subtest_jmpbuf;
/** igt_dynamic_jmpbuf: where success/skip/fail of a dynamic subtest jumps to. */
extern sigjmp_buf igt_dynamic_jmpbuf;

/**
 * __igt_init - parse the standard command line and set up the library.
 * @argc: argc of main()
 * @argv: argv of main()
 * @with_subtests: true for igt_main, false for igt_simple_main
 *
 * Handles --help, --list-subtests and the other options of
 * docs/testing.md; exits with IGT_EXIT_INVALID on a bad command line.
 * Prints the IGT-Version line and the "executing" kernel log marker when
 * the binary is going to run tests. Called by igt_main/igt_simple_main.
 */
void __igt_init(int argc, char **argv, bool with_subtests);

/**
 * igt_main - replaces main() of a test binary with subtests.
 *
 * Usage: `igt_main { igt_fixture { ... } igt_subtest("name") { ... } }`.
 */
#define igt_main \
	static void __igt_main_body(void); \
	int main(int argc, char **argv) \
	{ \
		__igt_init(argc, argv, true); \
		__igt_main_body(); \
		igt_exit(); \
	} \
	static void __igt_main_body(void)

/**
 * igt_simple_main - replaces main() of a test binary without subtests.
 *
 * The body is the whole test: a skip exits with IGT_EXIT_SKIP, a failure
 * with IGT_EXIT_FAILURE, and the last line is `SUCCESS|SKIP|FAIL (<t>s)`.
 * --list-subtests exits with IGT_EXIT_INVALID.
 */
#define igt_simple_main \
	static void __igt_main_body(void); \
	int main(int argc, char **argv) \
	{ \
		__igt_init(argc, argv, false); \
		__igt_main_body(); \
		igt_exit(); \
	} \
	static void __igt_main_body(void)

/** __igt_fixture - enter a fixture; false when fixtures must not run. */
bool __igt_fixture(void);
/** __igt_fixture_complete - leave a fixture that ran to its end. */
void __igt_fixture_complete(void);

/**
 * igt_fixture - setup or teardown code shared by the following subtests.
 *
 * Not run when only listing subtests, nor after an earlier fixture of the
 * same group skipped or failed. A skip inside a fixture skips every later
 * subtest of the group; a failure fails them. Fixtures do not nest and
 * may not be used inside a subtest.
 */
#define igt_fixture \
	for (volatile int __igt_unique(fixture) = 0; \
	     __igt_unique(fixture) < 1 && __igt_fixture() && \
	     sigsetjmp(igt_subtest_jmpbuf, 1) == 0; \
	     __igt_unique(fixture)++, __igt_fixture_complete())

/**
 * __igt_run_subtest - decide whether a subtest runs now.
 * @name: subtest name, [A-Za-z0-9_-] only
 * @file: source file of the subtest (for --describe)
 * @line: source line of the subtest (for --describe)
 *
 * Lists, describes or filters the subtest as the command line asks, prints
 * its result directly if a fixture skipped or failed, or else prints the
 * "Starting subtest" line and returns true. An invalid name aborts the
 * binary with IGT_EXIT_ABORT.
 */
bool __igt_run_subtest(const char *name, const char *file, int line);
/** __igt_run_subtest_f - __igt_run_subtest() with a printf-style name. */
bool __igt_run_subtest_f(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/** __igt_enter_dynamic_container - mark the running subtest as a container. */
bool __igt_enter_dynamic_container(void);
/** __igt_run_dynamic_subtest - like __igt_run_subtest() for igt_dynamic. */
bool __igt_run_dynamic_subtest(const char *name);
/** __igt_run_dynamic_subtest_f - __igt_run_dynamic_subtest() with a format. */
bool __igt_run_dynamic_subtest_f(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

/**
 * igt_subtest - a subtest block.
 * @name: subtest name, [A-Za-z0-9_-] only
 *
 * The body runs only when the subtest is selected. Falling off its end,
 * or calling igt_success(), passes it; igt_skip()/igt_require() skip it;
 * a failed assert fails it. Either way execution continues after the
 * block.
 */
#define igt_subtest(name) \
	for (; __igt_run_subtest((name), __FILE__, __LINE__) && \
	       sigsetjmp(igt_subtest_jmpbuf, 1) == 0; \
	     igt_success())

/** igt_subtest_f - igt_subtest() with a printf-style name. */
#define igt_subtest_f(...) \
	for (; __igt_run_subtest_f(__FILE__, __LINE__, __VA_ARGS__) && \
	       sigsetjmp(igt_subtest_jmpbuf, 1) == 0; \
	     igt_success())

/**
 * igt_subtest_with_dynamic - a subtest whose results come from igt_dynamic.
 * @name: subtest name, [A-Za-z0-9_-] only
 *
 * The container passes if at least one dynamic subtest passed and none
 * failed, fails if any failed, and skips if none ran (or all skipped).
 * igt_require()/igt_skip() are allowed in the container itself; asserts
 * belong inside the igt_dynamic blocks (a failure in the container body
 * still fails the subtest).
 */
#define igt_subtest_with_dynamic(name) \
	for (; __igt_run_subtest((name), __FILE__, __LINE__) && \
	       __igt_enter_dynamic_container() && \
	       sigsetjmp(igt_subtest_jmpbuf, 1) == 0; \
	     igt_success())

/** igt_subtest_with_dynamic_f - igt_subtest_with_dynamic() with a format. */
#define igt_subtest_with_dynamic_f(...) \
	for (; __igt_run_subtest_f(__FILE__, __LINE__, __VA_ARGS__) && \
	       __igt_enter_dynamic_container() && \
	       sigsetjmp(igt_subtest_jmpbuf, 1) == 0; \
	     igt_success())

/**
 * igt_dynamic - a dynamic subtest inside igt_subtest_with_dynamic.
 * @name: dynamic subtest name, [A-Za-z0-9_-] only
 *
 * Filtered by --dynamic-subtest. Results are printed as
 * `Dynamic subtest <name>: <RESULT> (<t>s)`.
 */
#define igt_dynamic(name) \
	for (; __igt_run_dynamic_subtest(name) && \
	       sigsetjmp(igt_dynamic_jmpbuf, 1) == 0; \
	     igt_success())

/** igt_dynamic_f - igt_dynamic() with a printf-style name. */
#define igt_dynamic_f(...) \
	for (; __igt_run_dynamic_subtest_f(__VA_ARGS__) && \
	       sigsetjmp(igt_dynamic_jmpbuf, 1) == 0; \
	     igt_success())

/** __igt_subtest_group_save - save fixture state on entering a group. */
void __igt_subtest_group_save(volatile int *save, volatile int *desc);
/** __igt_subtest_group_restore - restore it on leaving the group. */
void __igt_subtest_group_restore(int save, int desc);

/**
 * igt_subtest_group - group subtests with their own fixtures.
 *
 * A fixture skip or failure inside the group affects only the rest of the
 * group. A description given with igt_describe() right before the group
 * is printed by --describe for every subtest of the group. Groups nest.
 */
#define igt_subtest_group \
	for (volatile int __igt_unique(gsave) = 0, __igt_unique(gdesc) = 0, \
		 __igt_unique(gi) = (__igt_subtest_group_save( \
			&__igt_unique(gsave), &__igt_unique(gdesc)), 0); \
	     __igt_unique(gi) < 1; \
	     __igt_unique(gi)++, \
	     __igt_subtest_group_restore(__igt_unique(gsave), \
					 __igt_unique(gdesc)))

/**
 * igt_describe_f - describe the next subtest (or subtest group).
 * @fmt: printf-style format of the description
 *
 * The text is printed by --describe, wrapped at 80 columns.
 */
void igt_describe_f(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/** igt_describe - igt_describe_f() with a plain string. */
#define igt_describe(str) igt_describe_f("%s", (str))

/**
 * igt_success - pass the running (dynamic) subtest and leave its body.
 *
 * In a dynamic container, turns into the container's result instead.
 * Outside a subtest (igt_simple_main) it returns and does nothing.
 */
void igt_success(void);

/**
 * igt_fail - fail the running (dynamic) subtest, fixture or test.
 * @exitcode: exit code the binary ends with if this is the first failure;
 *	not IGT_EXIT_SUCCESS nor IGT_EXIT_SKIP
 *
 * In a subtest, prints `Subtest <name> failed.`, the recent log lines and
 * the FAIL result and leaves the body. In a fixture, fails the rest of the
 * group. In igt_simple_main, exits. In an igt_fork() child, exits the
 * child with @exitcode.
 */
void igt_fail(int exitcode) __attribute__((noreturn));

/**
 * igt_skip - skip the running (dynamic) subtest, fixture or test.
 * @fmt: printf-style reason, printed on stdout; should end with '\n'
 *
 * In a fixture, skips the rest of the group; in igt_simple_main, exits
 * with IGT_EXIT_SKIP. Not allowed in igt_fork() children (the child fails).
 */
void igt_skip(const char *fmt, ...)
	__attribute__((noreturn, format(printf, 1, 2)));

/**
 * __igt_skip_check - skip because a requirement is not met.
 * @file: source file of the check
 * @line: source line of the check
 * @func: function of the check
 * @check: the requirement, as text
 * @fmt: optional printf-style explanation, or NULL
 *
 * Prints `Test requirement not met in function <func>, file <file>:<line>:`,
 * `Test requirement: <check>`, the explanation and, when errno is set,
 * `Last errno: <n>, <strerror>`, then calls igt_skip().
 */
void __igt_skip_check(const char *file, int line, const char *func,
		      const char *check, const char *fmt, ...)
	__attribute__((noreturn, format(printf, 5, 6)));

/**
 * __igt_fail_assert - fail because an assertion does not hold.
 * @domain: log domain (IGT_LOG_DOMAIN of the caller)
 * @file: source file of the assertion
 * @line: source line of the assertion
 * @func: function of the assertion
 * @assertion: the assertion, as text
 * @fmt: optional printf-style explanation, or NULL
 *
 * Logs the CRITICAL lines of docs/testing.md ("Output") on stderr (with
 * `Last errno` when errno is set) and calls igt_fail(IGT_EXIT_FAILURE).
 */
void __igt_fail_assert(const char *domain, const char *file, int line,
		       const char *func, const char *assertion,
		       const char *fmt, ...)
	__attribute__((noreturn, format(printf, 6, 7)));

/**
 * igt_exit - end the binary with the exit code its results call for.
 *
 * Called by igt_main/igt_simple_main after the body. Exits with
 * IGT_EXIT_INVALID if --run-subtest matched nothing.
 */
void igt_exit(void) __attribute__((noreturn));

/** igt_subtest_name - name of the running subtest, or NULL. */
const char *igt_subtest_name(void);
/** igt_dynamic_subtest_name - name of the running dynamic subtest, or NULL. */
const char *igt_dynamic_subtest_name(void);
/** igt_test_name - name of the binary (basename of argv[0]). */
const char *igt_test_name(void);
/** igt_only_list_subtests - true when the binary only lists subtests. */
bool igt_only_list_subtests(void);

/* Assertions: fail the (sub)test when the condition does not hold. */

#ifndef IGT_LOG_DOMAIN
/** IGT_LOG_DOMAIN - log domain of a file; NULL (none) for tests. */
#define IGT_LOG_DOMAIN (NULL)
#endif

/** igt_assert - fail unless @expr holds. */
#define igt_assert(expr) \
	do { \
		if (!(expr)) \
			__igt_fail_assert(IGT_LOG_DOMAIN, __FILE__, __LINE__, \
					  __func__, #expr, NULL); \
	} while (0)

/** igt_assert_f - igt_assert() with a printf-style explanation. */
#define igt_assert_f(expr, ...) \
	do { \
		if (!(expr)) \
			__igt_fail_assert(IGT_LOG_DOMAIN, __FILE__, __LINE__, \
					  __func__, #expr, __VA_ARGS__); \
	} while (0)

/** igt_fail_on - fail if @expr holds. */
#define igt_fail_on(expr) igt_assert(!(expr))
/** igt_fail_on_f - igt_fail_on() with a printf-style explanation. */
#define igt_fail_on_f(expr, ...) igt_assert_f(!(expr), __VA_ARGS__)

/*
 * __igt_assert_cmp - compare two values of @type; on failure print both
 * with @pfmt and the negated operator @ncmp ("error: 3 != 4").
 */
#define __igt_assert_cmp(type, pfmt, n1, cmp, ncmp, n2) \
	do { \
		type __igt_n1 = (n1), __igt_n2 = (n2); \
		if (!(__igt_n1 cmp __igt_n2)) \
			__igt_fail_assert(IGT_LOG_DOMAIN, __FILE__, __LINE__, \
					  __func__, #n1 " " #cmp " " #n2, \
					  "error: %" pfmt " " #ncmp " %" pfmt "\n", \
					  __igt_n1, __igt_n2); \
	} while (0)

/** igt_assert_eq - fail unless the ints @n1 == @n2. */
#define igt_assert_eq(n1, n2) __igt_assert_cmp(int, "d", n1, ==, !=, n2)
/** igt_assert_neq - fail unless the ints @n1 != @n2. */
#define igt_assert_neq(n1, n2) __igt_assert_cmp(int, "d", n1, !=, ==, n2)
/** igt_assert_lt - fail unless the ints @n1 < @n2. */
#define igt_assert_lt(n1, n2) __igt_assert_cmp(int, "d", n1, <, >=, n2)
/** igt_assert_lte - fail unless the ints @n1 <= @n2. */
#define igt_assert_lte(n1, n2) __igt_assert_cmp(int, "d", n1, <=, >, n2)
/** igt_assert_gt - fail unless the ints @n1 > @n2. */
#define igt_assert_gt(n1, n2) __igt_assert_cmp(int, "d", n1, >, <=, n2)
/** igt_assert_gte - fail unless the ints @n1 >= @n2. */
#define igt_assert_gte(n1, n2) __igt_assert_cmp(int, "d", n1, >=, <, n2)

/** igt_assert_eq_u32 - like igt_assert_eq() for uint32_t (printed in hex). */
#define igt_assert_eq_u32(n1, n2) __igt_assert_cmp(uint32_t, "#x", n1, ==, !=, n2)
/** igt_assert_neq_u32 - like igt_assert_neq() for uint32_t. */
#define igt_assert_neq_u32(n1, n2) __igt_assert_cmp(uint32_t, "#x", n1, !=, ==, n2)
/** igt_assert_lt_u32 - like igt_assert_lt() for uint32_t. */
#define igt_assert_lt_u32(n1, n2) __igt_assert_cmp(uint32_t, "#x", n1, <, >=, n2)
/** igt_assert_lte_u32 - like igt_assert_lte() for uint32_t. */
#define igt_assert_lte_u32(n1, n2) __igt_assert_cmp(uint32_t, "#x", n1, <=, >, n2)
/** igt_assert_gt_u32 - like igt_assert_gt() for uint32_t. */
#define igt_assert_gt_u32(n1, n2) __igt_assert_cmp(uint32_t, "#x", n1, >, <=, n2)
/** igt_assert_gte_u32 - like igt_assert_gte() for uint32_t. */
#define igt_assert_gte_u32(n1, n2) __igt_assert_cmp(uint32_t, "#x", n1, >=, <, n2)

/** igt_assert_eq_u64 - like igt_assert_eq() for uint64_t (printed in hex). */
#define igt_assert_eq_u64(n1, n2) __igt_assert_cmp(uint64_t, "#" PRIx64, n1, ==, !=, n2)
/** igt_assert_neq_u64 - like igt_assert_neq() for uint64_t. */
#define igt_assert_neq_u64(n1, n2) __igt_assert_cmp(uint64_t, "#" PRIx64, n1, !=, ==, n2)
/** igt_assert_lt_u64 - like igt_assert_lt() for uint64_t. */
#define igt_assert_lt_u64(n1, n2) __igt_assert_cmp(uint64_t, "#" PRIx64, n1, <, >=, n2)
/** igt_assert_lte_u64 - like igt_assert_lte() for uint64_t. */
#define igt_assert_lte_u64(n1, n2) __igt_assert_cmp(uint64_t, "#" PRIx64, n1, <=, >, n2)
/** igt_assert_gt_u64 - like igt_assert_gt() for uint64_t. */
#define igt_assert_gt_u64(n1, n2) __igt_assert_cmp(uint64_t, "#" PRIx64, n1, >, <=, n2)
/** igt_assert_gte_u64 - like igt_assert_gte() for uint64_t. */
#define igt_assert_gte_u64(n1, n2) __igt_assert_cmp(uint64_t, "#" PRIx64, n1, >=, <, n2)

/** igt_assert_eq_s64 - like igt_assert_eq() for int64_t. */
#define igt_assert_eq_s64(n1, n2) __igt_assert_cmp(int64_t, PRId64, n1, ==, !=, n2)
/** igt_assert_neq_s64 - like igt_assert_neq() for int64_t. */
#define igt_assert_neq_s64(n1, n2) __igt_assert_cmp(int64_t, PRId64, n1, !=, ==, n2)
/** igt_assert_lt_s64 - like igt_assert_lt() for int64_t. */
#define igt_assert_lt_s64(n1, n2) __igt_assert_cmp(int64_t, PRId64, n1, <, >=, n2)
/** igt_assert_lte_s64 - like igt_assert_lte() for int64_t. */
#define igt_assert_lte_s64(n1, n2) __igt_assert_cmp(int64_t, PRId64, n1, <=, >, n2)
/** igt_assert_gt_s64 - like igt_assert_gt() for int64_t. */
#define igt_assert_gt_s64(n1, n2) __igt_assert_cmp(int64_t, PRId64, n1, >, <=, n2)
/** igt_assert_gte_s64 - like igt_assert_gte() for int64_t. */
#define igt_assert_gte_s64(n1, n2) __igt_assert_cmp(int64_t, PRId64, n1, >=, <, n2)

/* Requirements: skip the (sub)test when a condition does not hold. */

/** igt_require - skip unless @expr holds. */
#define igt_require(expr) \
	do { \
		if (!(expr)) \
			__igt_skip_check(__FILE__, __LINE__, __func__, #expr, NULL); \
		else \
			igt_debug("Test requirement passed: %s\n", #expr); \
	} while (0)

/** igt_require_f - igt_require() with a printf-style explanation. */
#define igt_require_f(expr, ...) \
	do { \
		if (!(expr)) \
			__igt_skip_check(__FILE__, __LINE__, __func__, #expr, \
					 __VA_ARGS__); \
		else \
			igt_debug("Test requirement passed: %s\n", #expr); \
	} while (0)

/** igt_skip_on - skip if @expr holds. */
#define igt_skip_on(expr) \
	do { \
		if ((expr)) \
			__igt_skip_check(__FILE__, __LINE__, __func__, \
					 "!(" #expr ")", NULL); \
		else \
			igt_debug("Test requirement passed: !(%s)\n", #expr); \
	} while (0)

/** igt_skip_on_f - igt_skip_on() with a printf-style explanation. */
#define igt_skip_on_f(expr, ...) \
	do { \
		if ((expr)) \
			__igt_skip_check(__FILE__, __LINE__, __func__, \
					 "!(" #expr ")", __VA_ARGS__); \
		else \
			igt_debug("Test requirement passed: !(%s)\n", #expr); \
	} while (0)

/* Logging. */

/**
 * enum igt_log_level - severity of a log message.
 * @IGT_LOG_DEBUG: printed on stdout only with --debug
 * @IGT_LOG_INFO: printed on stdout as is
 * @IGT_LOG_WARN: printed on stderr (makes igt_runner report "warn")
 * @IGT_LOG_CRITICAL: printed on stderr; used for failures
 * @IGT_LOG_NONE: threshold that silences everything (IGT_LOG_LEVEL=none)
 *
 * Every level except INFO is printed with a `(<prog>:<pid>) [<domain>-]LEVEL: `
 * prefix. All messages, printed or not, are kept in a ring buffer that is
 * dumped on stderr when a subtest fails.
 */
enum igt_log_level {
	IGT_LOG_DEBUG,
	IGT_LOG_INFO,
	IGT_LOG_WARN,
	IGT_LOG_CRITICAL,
	IGT_LOG_NONE,
};

/**
 * igt_log - log a message.
 * @domain: log domain, or NULL for the test itself
 * @level: severity
 * @fmt: printf-style format
 *
 * --debug=<domain> restricts debug messages to @domain ("application"
 * selects the test's own messages, "all" everything).
 */
void igt_log(const char *domain, enum igt_log_level level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/** igt_vlog - igt_log() with a va_list. */
void igt_vlog(const char *domain, enum igt_log_level level, const char *fmt,
	      va_list args) __attribute__((format(printf, 3, 0)));

/** igt_debug - debug message, stdout, only shown with --debug. */
#define igt_debug(...) igt_log(IGT_LOG_DOMAIN, IGT_LOG_DEBUG, __VA_ARGS__)
/** igt_info - informational message on stdout. */
#define igt_info(...) igt_log(IGT_LOG_DOMAIN, IGT_LOG_INFO, __VA_ARGS__)
/** igt_warn - warning on stderr. */
#define igt_warn(...) igt_log(IGT_LOG_DOMAIN, IGT_LOG_WARN, __VA_ARGS__)
/** igt_critical - critical message on stderr. */
#define igt_critical(...) igt_log(IGT_LOG_DOMAIN, IGT_LOG_CRITICAL, __VA_ARGS__)

/**
 * igt_warn_on - warn (without failing) if @cond holds.
 *
 * Returns: the value of @cond.
 */
#define igt_warn_on(cond) ({ \
	__typeof__(cond) __igt_ret = (cond); \
	if (__igt_ret) \
		igt_warn("Warning on condition %s in function %s, file %s:%i\n", \
			 #cond, __func__, __FILE__, __LINE__); \
	__igt_ret; \
})

/* Cleanup and child processes. */

/** igt_exit_handler_t - exit handler; @sig is the signal, or 0 at exit. */
typedef void (*igt_exit_handler_t)(int sig);

/**
 * igt_install_exit_handler - run @fn when the binary ends.
 * @fn: handler; installing the same handler twice has no effect
 *
 * Handlers run in reverse order of installation, at exit() and when the
 * binary dies of a signal (SIGINT, SIGHUP, SIGPIPE, SIGTERM, SIGQUIT or a
 * crash), each at most once. A handler called for a signal must be
 * async-signal-safe in spirit: keep it short. igt_fork() children start
 * with no handlers. At most 16 handlers.
 */
void igt_install_exit_handler(igt_exit_handler_t fn);

/** __igt_fork - fork one child; true in the child, false in the parent. */
bool __igt_fork(void);

/**
 * igt_fork - run a block in @num_children child processes.
 * @child: name of an int variable holding the child's index (0-based)
 * @num_children: how many children
 *
 * Only inside a subtest (or igt_simple_main). Each child exits 0 at the
 * end of the block, or with the failure code if an assert fails in it.
 * Skips are not allowed in children. Collect them with igt_waitchildren().
 */
#define igt_fork(child, num_children) \
	for (int child = 0; child < (num_children); child++) \
		for (; __igt_fork(); exit(IGT_EXIT_SUCCESS))

/**
 * __igt_waitchildren - wait for every igt_fork() child.
 *
 * On the first child that fails, prints which one and kills the others.
 *
 * Returns: 0 if all children exited 0, else the first failure's exit code
 * (128 + signal for a child killed by a signal).
 */
int __igt_waitchildren(void);

/**
 * igt_waitchildren - wait for every igt_fork() child; fail if one failed.
 */
void igt_waitchildren(void);

#endif /* SVMGPU_IGT_CORE_H */
