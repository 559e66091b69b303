// SPDX-License-Identifier: MIT
/*
 * igt_kmod.c - loading and unloading svmgpu.ko from a test; see
 * igt_kmod.h.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "igt_core.h"
#include "igt_kmod.h"

/** svmgpu_kmod_path() - the module under test ($SVMGPU_KO), or NULL. */
const char *svmgpu_kmod_path(void)
{
	const char *path = getenv("SVMGPU_KO");

	return path && *path ? path : NULL;
}

/** svmgpu_kmod_default_params() - the parameters the run loaded it with. */
const char *svmgpu_kmod_default_params(void)
{
	const char *params = getenv("SVMGPU_MODPARAMS");

	return params ? params : "";
}

/** svmgpu_kmod_loaded() - whether svmgpu is loaded. */
bool svmgpu_kmod_loaded(void)
{
	struct stat st;

	return stat("/sys/module/svmgpu", &st) == 0;
}

/** __svmgpu_kmod_load() - load svmgpu.ko with @params: 0 or -errno. */
int __svmgpu_kmod_load(const char *params)
{
	const char *path = svmgpu_kmod_path();
	int fd, ret = 0;

	igt_assert_f(path, "SVMGPU_KO names svmgpu.ko (ci/vm sets it)\n");
	fd = open(path, O_RDONLY | O_CLOEXEC);
	igt_assert_f(fd >= 0, "open %s: %s\n", path, strerror(errno));
	if (syscall(SYS_finit_module, fd, params, 0))
		ret = -errno;
	close(fd);
	return ret;
}

/** svmgpu_kmod_load() - load svmgpu.ko with @params or fail the test. */
void svmgpu_kmod_load(const char *params)
{
	int ret = __svmgpu_kmod_load(params);

	igt_assert_f(ret == 0, "loading svmgpu.ko '%s': %s\n", params,
		     strerror(-ret));
}

/** __svmgpu_kmod_unload() - unload svmgpu (never waits): 0 or -errno. */
int __svmgpu_kmod_unload(void)
{
	if (syscall(SYS_delete_module, "svmgpu", O_NONBLOCK))
		return -errno;
	return 0;
}

/** svmgpu_kmod_unload() - unload svmgpu or fail the test. */
void svmgpu_kmod_unload(void)
{
	int ret = __svmgpu_kmod_unload();

	igt_assert_f(ret == 0, "unloading svmgpu: %s\n", strerror(-ret));
	igt_assert(!svmgpu_kmod_loaded());
}

/**
 * svmgpu_kmod_restore() - leave svmgpu loaded with the run's parameters
 * (for exit handlers: never fails the test).
 */
void svmgpu_kmod_restore(void)
{
	if (!svmgpu_kmod_loaded() && svmgpu_kmod_path())
		__svmgpu_kmod_load(svmgpu_kmod_default_params());
}

/** svmgpu_kmod_param() - a numeric parameter of the loaded module, or 0. */
unsigned int svmgpu_kmod_param(const char *name)
{
	char path[128];
	unsigned int value = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/module/svmgpu/parameters/%s", name);
	f = fopen(path, "r");
	if (!f)
		return 0;
	if (fscanf(f, "%u", &value) != 1)
		value = 0;
	fclose(f);
	return value;
}
