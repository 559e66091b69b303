/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * svmgpu_debugfs.h - debugfs files of an svmgpu device.
 */
#ifndef SVMGPU_DEBUGFS_H
#define SVMGPU_DEBUGFS_H

struct drm_minor;

void svmgpu_debugfs_init(struct drm_minor *minor);

#endif /* SVMGPU_DEBUGFS_H */
