/* SPDX-License-Identifier: MIT */
/*
 * igt_kmod.h - loading and unloading svmgpu.ko from a test (the part of
 * IGT's igt_kmod that svmgpu's tests need).
 *
 * ci/vm tells the guest where the module under test is ($SVMGPU_KO) and
 * which parameters it was loaded with ($SVMGPU_MODPARAMS); tests that
 * reload it with other parameters put it back the way the run started.
 */
#ifndef IGT_KMOD_H
#define IGT_KMOD_H

#include <stdbool.h>

const char *svmgpu_kmod_path(void);
const char *svmgpu_kmod_default_params(void);
bool svmgpu_kmod_loaded(void);
int __svmgpu_kmod_load(const char *params);
void svmgpu_kmod_load(const char *params);
int __svmgpu_kmod_unload(void);
void svmgpu_kmod_unload(void);
void svmgpu_kmod_restore(void);
unsigned int svmgpu_kmod_param(const char *name);

#endif /* IGT_KMOD_H */
