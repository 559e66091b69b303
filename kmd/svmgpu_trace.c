// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * svmgpu_trace.c - instantiates the tracepoints of svmgpu_trace.h.
 */
#define CREATE_TRACE_POINTS
#include "svmgpu_trace.h"
