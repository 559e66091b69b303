// SPDX-License-Identifier: MIT
/*
 * svmgpu_kunit - results of svmgpu's in-kernel KUnit suites.
 *
 * svmgpu.ko carries KUnit suites when it is built against a kernel with
 * CONFIG_KUNIT (the debug lane); KUnit runs them every time the module
 * loads and keeps the results in debugfs. This binary reads them and
 * fails on any case that did not pass. Without KUnit (the stock lane)
 * every subtest skips.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "drmtest.h"
#include "igt_core.h"

IGT_TEST_DESCRIPTION("Results of svmgpu's in-kernel KUnit suites.");

#define KUNIT_DIR	"/sys/kernel/debug/kunit"
#define MAX_CASES	128

/**
 * struct suite_result - what a suite's debugfs results file says.
 * @plan: cases the suite announced ("1..N").
 * @ncases: case result lines found.
 * @names: case names.
 * @ok: whether each case passed (and was not skipped).
 * @suite_ok: the suite's own result line says "ok".
 */
struct suite_result {
	int plan;
	int ncases;
	char names[MAX_CASES][64];
	bool ok[MAX_CASES];
	bool suite_ok;
};

static char *suite_path(const char *suite, const char *file)
{
	static char path[256];

	snprintf(path, sizeof(path), "%s/%s/%s", KUNIT_DIR, suite, file);
	return path;
}

/* Skips unless this kernel has KUnit and svmgpu is loaded with @suite. */
static void require_suite(const char *suite)
{
	struct stat st;
	int fd;

	/* The suite exists only while svmgpu.ko is loaded. */
	fd = drm_open_driver_render(DRIVER_SVMGPU);
	drm_close_driver(fd);

	igt_require_f(stat(KUNIT_DIR, &st) == 0,
		      "no %s: this kernel has no KUnit (CONFIG_KUNIT and "
		      "CONFIG_KUNIT_DEBUGFS; the stock lane has neither), so "
		      "svmgpu.ko carries no KUnit suites\n", KUNIT_DIR);
	/* KUnit is there, so the module was built with its suites. */
	igt_assert_f(stat(suite_path(suite, "results"), &st) == 0,
		     "KUnit is enabled but suite %s is missing: %s\n", suite,
		     strerror(errno));
}

/* Prints the results file, for the log of a failure. */
static void dump_results(const char *suite)
{
	char line[512];
	FILE *f = fopen(suite_path(suite, "results"), "r");

	if (!f)
		return;
	while (fgets(line, sizeof(line), f))
		igt_info("%s", line);
	fclose(f);
}

/*
 * Parses KUnit's KTAP results of one suite: the suite's plan and case
 * lines are indented by one level ("    ok 3 name", "    not ok 4 name",
 * "    ok 5 name # SKIP why"), the suite's own result line is not.
 */
static void read_results(const char *suite, struct suite_result *r)
{
	char line[512];
	FILE *f;

	memset(r, 0, sizeof(*r));
	r->plan = -1;
	f = fopen(suite_path(suite, "results"), "r");
	igt_assert_f(f, "cannot open %s: %s\n", suite_path(suite, "results"),
		     strerror(errno));
	while (fgets(line, sizeof(line), f)) {
		size_t indent = strspn(line, " ");
		const char *body = line + indent;
		char name[64];
		int n, plan;

		line[strcspn(line, "\n")] = '\0';
		if (indent == 0) {
			/* The suite's own line: "ok 1 svmgpu_hw". */
			if (sscanf(body, "ok %d %63s", &n, name) == 2 &&
			    strcmp(name, suite) == 0)
				r->suite_ok = true;
			continue;
		}
		if (indent != 4)
			continue;
		if (sscanf(body, "1..%d", &plan) == 1) {
			r->plan = plan;
		} else if (sscanf(body, "ok %d %63s", &n, name) == 2 ||
			   sscanf(body, "not ok %d %63s", &n, name) == 2) {
			igt_assert_lt(r->ncases, MAX_CASES);
			snprintf(r->names[r->ncases], sizeof(r->names[0]), "%s",
				 name);
			r->ok[r->ncases] = strncmp(body, "ok ", 3) == 0 &&
					   !strstr(body, "# SKIP");
			r->ncases++;
		}
	}
	fclose(f);
}

/* Asserts the whole suite passed; one dynamic subtest per case. */
static void check_suite(const char *suite)
{
	struct suite_result *r = malloc(sizeof(*r));
	bool all_ok = true;
	int i;

	igt_assert(r);
	read_results(suite, r);
	igt_assert_f(r->plan > 0, "no test plan in %s\n",
		     suite_path(suite, "results"));
	for (i = 0; i < r->ncases; i++)
		all_ok &= r->ok[i];
	if (!all_ok || r->ncases != r->plan || !r->suite_ok)
		dump_results(suite);

	for (i = 0; i < r->ncases; i++) {
		igt_dynamic(r->names[i])
			igt_assert_f(r->ok[i], "KUnit case %s did not pass\n",
				     r->names[i]);
	}
	igt_dynamic("complete") {
		igt_assert_f(r->ncases == r->plan,
			     "%d of %d cases reported (a case crashed?)\n",
			     r->ncases, r->plan);
		igt_assert_f(r->suite_ok, "suite %s not ok\n", suite);
	}
	free(r);
}

/* Runs @suite again: KUnit does it in the writer's context. */
static void rerun_suite(const char *suite)
{
	int fd = open(suite_path(suite, "run"), O_WRONLY);

	igt_assert_f(fd >= 0, "cannot open %s: %s\n", suite_path(suite, "run"),
		     strerror(errno));
	igt_assert_eq(write(fd, "1", 1), 1);
	close(fd);
}

igt_main
{
	igt_describe("The hardware suite (svmgpu_hw, "
		     "kmd/tests/svmgpu_hw_test.c) passed every case when the "
		     "module was loaded; one dynamic subtest per case.");
	igt_subtest_with_dynamic("hw") {
		require_suite("svmgpu_hw");
		check_suite("svmgpu_hw");
	}

	igt_describe("Running the hardware suite again through debugfs, next "
		     "to the live driver, passes every case.");
	igt_subtest_with_dynamic("hw-rerun") {
		require_suite("svmgpu_hw");
		rerun_suite("svmgpu_hw");
		check_suite("svmgpu_hw");
	}

	igt_describe("The shader program decoder's suite passed every case "
		     "when the module was loaded.");
	igt_subtest_with_dynamic("isa") {
		require_suite("svmgpu_isa");
		check_suite("svmgpu_isa");
	}

	igt_describe("The shader cores' suite (svmgpu_shader, "
		     "kmd/tests/svmgpu_shader_test.c: programs of every "
		     "instruction class, control flow, shared memory, atomics, "
		     "subgroup operations, faults and random programs run "
		     "through the interpreter) passed every case when the "
		     "module was loaded; one dynamic subtest per case.");
	igt_subtest_with_dynamic("shader") {
		require_suite("svmgpu_shader");
		check_suite("svmgpu_shader");
	}
}
