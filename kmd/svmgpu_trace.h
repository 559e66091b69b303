/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * svmgpu_trace.h - tracepoints of the SVM core: GPU fault servicing and
 * MMU-notifier invalidations (events/svmgpu/ in tracefs).
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM svmgpu

#if !defined(SVMGPU_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define SVMGPU_TRACE_H

#include <linux/tracepoint.h>

/* A GPU fault of a fault-mode VM is being serviced. */
TRACE_EVENT(svmgpu_svm_fault_begin,
	    TP_PROTO(const void *svm, u64 addr, unsigned int access),
	    TP_ARGS(svm, addr, access),
	    TP_STRUCT__entry(__field(const void *, svm)
			     __field(u64, addr)
			     __field(unsigned int, access)),
	    TP_fast_assign(__entry->svm = svm;
			   __entry->addr = addr;
			   __entry->access = access;),
	    TP_printk("svm=%p addr=%#llx access=%u", __entry->svm,
		      __entry->addr, __entry->access)
);

/* The fault was resolved (ret 0) or not (ret < 0, reason set). */
TRACE_EVENT(svmgpu_svm_fault_end,
	    TP_PROTO(const void *svm, u64 addr, int ret, unsigned int reason),
	    TP_ARGS(svm, addr, ret, reason),
	    TP_STRUCT__entry(__field(const void *, svm)
			     __field(u64, addr)
			     __field(int, ret)
			     __field(unsigned int, reason)),
	    TP_fast_assign(__entry->svm = svm;
			   __entry->addr = addr;
			   __entry->ret = ret;
			   __entry->reason = reason;),
	    TP_printk("svm=%p addr=%#llx ret=%d reason=%u", __entry->svm,
		      __entry->addr, __entry->ret, __entry->reason)
);

/* An MMU notifier invalidated [start, end) of a notifier region. */
TRACE_EVENT(svmgpu_svm_invalidate,
	    TP_PROTO(const void *svm, u64 start, u64 end, unsigned int event,
		     unsigned int zapped),
	    TP_ARGS(svm, start, end, event, zapped),
	    TP_STRUCT__entry(__field(const void *, svm)
			     __field(u64, start)
			     __field(u64, end)
			     __field(unsigned int, event)
			     __field(unsigned int, zapped)),
	    TP_fast_assign(__entry->svm = svm;
			   __entry->start = start;
			   __entry->end = end;
			   __entry->event = event;
			   __entry->zapped = zapped;),
	    TP_printk("svm=%p range=%#llx-%#llx event=%u zapped_ranges=%u",
		      __entry->svm, __entry->start, __entry->end,
		      __entry->event, __entry->zapped)
);

#endif /* SVMGPU_TRACE_H */

/* This part must be outside the include guard. */
#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE svmgpu_trace
#include <trace/define_trace.h>
