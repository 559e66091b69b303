// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * svmgpu_hw_shader_fp.c - the binary32 ALU of the svmgpu shader cores.
 */

/**
 * DOC: Shader floating point
 *
 * The only file of the module that does floating-point arithmetic: kbuild
 * compiles it with the kernel's FPU flags (CC_FLAGS_FPU, without
 * CC_FLAGS_NO_FPU), and svmgpu_hw_fp_alu() may only be called between
 * kernel_fpu_begin() and kernel_fpu_end() (svmgpu_hw_shader.c opens those
 * sections inside a bounded step). It must not include <linux/fpu.h>.
 *
 * The arithmetic is the host's SSE binary32/binary64 with the kernel's
 * MXCSR (round to nearest even, no flush to zero, no denormals-are-zero),
 * so fadd, fsub, fmul, fdiv and fsqrt are correctly rounded and denormals
 * are kept. Every NaN result is made the canonical 0x7fc00000. fma is
 * exact in binary64 up to the sum, which is rounded to odd and then to
 * binary32 (one correct rounding). The transcendentals are evaluated in
 * binary64 as docs/hardware.md, "Floating point", describes, and rounded
 * once to binary32.
 */

#include <linux/kernel.h>
#include <linux/limits.h>
#include <linux/types.h>

#include "hw/svmgpu_isa.h"
#include "svmgpu_hw_shader.h"

#define FP_QNAN		0x7fc00000u
#define FP_PI		3.14159265358979323846
#define FP_PI_2		1.57079632679489661923
#define FP_PI_4		0.78539816339744830962
#define FP_PI_6		0.52359877559829887308
#define FP_LN2		0.69314718055994530942
#define FP_INV_SQRT3	0.57735026918962576451
#define FP_TAN_PI_12	0.26794919243112270647
/* pi/2 in three parts (33 + 33 + 53 bits), as binary64 bit patterns. */
#define FP_PIO2_1	0x3ff921fb54400000ull
#define FP_PIO2_2	0x3dd0b4611a600000ull
#define FP_PIO2_3	0x3ba3198a2e037073ull

union fp32 {
	u32 u;
	float f;
};

union fp64 {
	u64 u;
	double d;
};

static float f_of(u32 u)
{
	union fp32 x = { .u = u };

	return x.f;
}

static u32 u_of(float f)
{
	union fp32 x = { .f = f };

	return x.u;
}

static u64 ud_of(double d)
{
	union fp64 x = { .d = d };

	return x.u;
}

static double d_of(u64 u)
{
	union fp64 x = { .u = u };

	return x.d;
}

static bool is_nan(u32 u)
{
	return (u & 0x7fffffff) > 0x7f800000;
}

/* A float result, NaNs made canonical. */
static u32 res(float f)
{
	u32 u = u_of(f);

	return is_nan(u) ? FP_QNAN : u;
}

static u32 resd(double d)
{
	return res((float)d);
}

static double sqrt_d(double x)
{
	asm("sqrtsd %1, %0" : "=x" (x) : "x" (x));
	return x;
}

static float sqrt_f(float x)
{
	asm("sqrtss %1, %0" : "=x" (x) : "x" (x));
	return x;
}

/* 2^n for -1022 <= n <= 1023. */
static double pow2(int n)
{
	return d_of((u64)(n + 1023) << 52);
}

/* a * b + c with one rounding. */
static u32 fp_fma(float a, float b, float c)
{
	double p = (double)a * b;	/* exact: 48 significant bits */
	double s = p + c, bb, e;
	bool e_pos, s_pos;
	u64 bits;

	if (!__builtin_isfinite(s))
		return res(a * b + c);
	bb = s - p;
	e = (p - (s - bb)) + (c - bb);	/* s + e == p + c exactly */
	bits = ud_of(s);
	e_pos = e > 0;
	s_pos = s > 0;
	if (e != 0 && !(bits & 1)) {
		/* Round to odd, so the rounding to binary32 is correct. */
		if (e_pos == s_pos)
			bits++;
		else
			bits--;
		s = d_of(bits);
	}
	return resd(s);
}

/* IEEE 754-2019 minimumNumber / maximumNumber. */
static u32 fp_minmax(u32 a, u32 b, bool max)
{
	float fa = f_of(a), fb = f_of(b);

	if (is_nan(a))
		return is_nan(b) ? FP_QNAN : b;
	if (is_nan(b))
		return a;
	if (fa == fb) {
		/* -0 < +0: the sign bits decide. */
		if (max)
			return (a & 0x80000000u) ? b : a;
		return (a & 0x80000000u) ? a : b;
	}
	if (max)
		return fa > fb ? a : b;
	return fa < fb ? a : b;
}

/* Rounds to an integral value: 0 trunc, 1 floor, 2 ceil, 3 even. */
static u32 fp_round(u32 a, int mode)
{
	float f = f_of(a), t;
	u32 sign = a & 0x80000000u;

	if (is_nan(a))
		return FP_QNAN;
	if ((a & 0x7fffffff) >= 0x4b000000u)	/* >= 2^23, or inf */
		return a;
	if (mode == 3) {
		float m = f_of(a & 0x7fffffff);

		m = (m + 8388608.0f) - 8388608.0f;
		return u_of(m) | sign;
	}
	t = (float)(s32)f;
	if (mode == 1 && t > f)
		t -= 1.0f;
	if (mode == 2 && t < f)
		t += 1.0f;
	return u_of(t) | (t == 0 ? sign : 0);
}

static double exp2_d(double x)
{
	double n = (double)(s32)(x + (x < 0 ? -0.5 : 0.5));
	double y = (x - n) * FP_LN2, term = 1, sum = 1;
	int i;

	for (i = 1; i <= 14; i++) {
		term *= y / i;
		sum += term;
	}
	return sum * pow2((int)n);
}

static u32 fp_exp2(u32 a)
{
	float f = f_of(a);

	if (is_nan(a))
		return FP_QNAN;
	if (f >= 128.0f)
		return 0x7f800000u;
	if (f <= -150.0f)
		return 0;
	return resd(exp2_d(f));
}

static u32 fp_log2(u32 a)
{
	double m, z, z2, term, sum;
	u64 bits;
	int e, i;

	if (is_nan(a) || (a & 0x80000000u && a != 0x80000000u))
		return FP_QNAN;
	if (!(a & 0x7fffffff))
		return 0xff800000u;
	if (a == 0x7f800000u)
		return a;
	bits = ud_of((double)f_of(a));
	e = (int)((bits >> 52) & 0x7ff) - 1023;
	m = d_of((bits & ((1ull << 52) - 1)) | (1023ull << 52));
	if (m > 1.41421356237309504880) {
		m /= 2;
		e++;
	}
	z = (m - 1) / (m + 1);
	z2 = z * z;
	term = z;
	sum = 0;
	for (i = 1; i <= 23; i += 2) {
		sum += term / i;
		term *= z2;
	}
	return resd(e + 2 * sum / FP_LN2);
}

/* sin (or cos) of |r| <= pi/4 by its Taylor series. */
static double sincos_poly(double r, bool cos)
{
	double r2 = r * r, term = cos ? 1 : r, sum = term;
	int i;

	for (i = cos ? 1 : 2; i <= 18; i += 2) {
		term *= -r2 / (i * (i + 1));
		sum += term;
	}
	return sum;
}

static u32 fp_sincos(u32 a, bool cos)
{
	double x = f_of(a), k, r, v;
	int q;

	if (is_nan(a) || (a & 0x7fffffff) == 0x7f800000u)
		return FP_QNAN;
	if (!cos && !(a & 0x7fffffff))
		return a;	/* sin(+-0) = +-0 */
	k = x * (2 / FP_PI);
	k = (double)(s64)(k + (k < 0 ? -0.5 : 0.5));
	r = ((x - k * d_of(FP_PIO2_1)) - k * d_of(FP_PIO2_2)) -
	    k * d_of(FP_PIO2_3);
	q = (int)((s64)k & 3);
	if (cos)
		q = (q + 1) & 3;
	switch (q) {
	case 0:
		v = sincos_poly(r, false);
		break;
	case 1:
		v = sincos_poly(r, true);
		break;
	case 2:
		v = -sincos_poly(r, false);
		break;
	default:
		v = -sincos_poly(r, true);
		break;
	}
	if (v > 1)
		v = 1;
	if (v < -1)
		v = -1;
	return resd(v);
}

/* atan of t >= 0 (finite or not). */
static double atan_pos(double t)
{
	bool inv = false, shifted = false;
	double t2, term, sum;
	int i;

	if (t > 1) {
		t = 1 / t;
		inv = true;
	}
	if (t > FP_TAN_PI_12) {
		t = (t - FP_INV_SQRT3) / (1 + t * FP_INV_SQRT3);
		shifted = true;
	}
	t2 = t * t;
	term = t;
	sum = 0;
	for (i = 1; i <= 27; i += 2) {
		sum += (i & 2) ? -term / i : term / i;
		term *= t2;
	}
	if (shifted)
		sum += FP_PI_6;
	return inv ? FP_PI_2 - sum : sum;
}

static u32 fp_atan(u32 a)
{
	double t = f_of(a & 0x7fffffff);

	if (is_nan(a))
		return FP_QNAN;
	if (!(a & 0x7fffffff))
		return a;
	return resd(atan_pos(t)) | (a & 0x80000000u);
}

static u32 fp_atan2(u32 y, u32 x)
{
	u32 sy = y & 0x80000000u, ay = y & 0x7fffffff, ax = x & 0x7fffffff;
	bool xneg = x & 0x80000000u;
	double r;

	if (is_nan(y) || is_nan(x))
		return FP_QNAN;
	if (!ay)
		return xneg ? resd(FP_PI) | sy : sy;
	if (!ax)
		return resd(FP_PI_2) | sy;
	if (ax == 0x7f800000u) {
		if (ay == 0x7f800000u)
			return resd(xneg ? 3 * FP_PI_4 : FP_PI_4) | sy;
		return xneg ? resd(FP_PI) | sy : sy;
	}
	if (ay == 0x7f800000u)
		return resd(FP_PI_2) | sy;
	r = atan_pos((double)f_of(ay) / f_of(ax));
	if (xneg)
		r = FP_PI - r;
	return resd(r) | sy;
}

static u32 fp_ldexp(u32 a, s32 n)
{
	double d = f_of(a);

	if (is_nan(a))
		return FP_QNAN;
	n = clamp_t(s32, n, -400, 400);
	/* Exact in binary64; one rounding to binary32. */
	while (n > 0) {
		int k = min(n, 1000);

		d *= pow2(k);
		n -= k;
	}
	while (n < 0) {
		int k = max(n, -1000);

		d *= pow2(k);
		n -= k;
	}
	return resd(d);
}

static u64 fp_to_int(u32 a, bool is_signed, bool wide)
{
	float f = f_of(a);

	if (is_nan(a))
		return 0;
	if (is_signed && !wide) {
		if (f >= 2147483648.0f)
			return S32_MAX;
		if (f < -2147483648.0f)
			return (u32)S32_MIN;
		return (u32)(s32)f;
	}
	if (is_signed) {
		if (f >= 9223372036854775808.0f)
			return S64_MAX;
		if (f < -9223372036854775808.0f)
			return (u64)S64_MIN;
		return (u64)(s64)f;
	}
	if (f < 1.0f)
		return 0;	/* negative, fractions, -inf */
	if (!wide)
		return f >= 4294967296.0f ? U32_MAX : (u32)(u64)f;
	if (f >= 18446744073709551616.0f)
		return U64_MAX;
	return (u64)f;
}

/**
 * svmgpu_hw_fp_alu() - one lane of a floating-point instruction.
 * @op: SVMGPU_ISA_OP_*: a binary32 arithmetic, compare, transcendental,
 *	or float conversion (F_FLOAT in the opcode table).
 * @a: source A (bits; 64-bit sources in full).
 * @b: source B.
 * @c: source C.
 *
 * Only between kernel_fpu_begin() and kernel_fpu_end().
 *
 * Return: the result bits (compares: 1 or 0).
 */
u64 svmgpu_hw_fp_alu(u16 op, u64 a, u64 b, u64 c)
{
	u32 a32 = a, b32 = b;
	float fa = f_of(a32), fb = f_of(b32);

	switch (op) {
	case SVMGPU_ISA_OP_FADD:
		return res(fa + fb);
	case SVMGPU_ISA_OP_FSUB:
		return res(fa - fb);
	case SVMGPU_ISA_OP_FMUL:
		return res(fa * fb);
	case SVMGPU_ISA_OP_FDIV:
		return res(fa / fb);
	case SVMGPU_ISA_OP_FMA:
		return fp_fma(fa, fb, f_of((u32)c));
	case SVMGPU_ISA_OP_FMIN:
		return fp_minmax(a32, b32, false);
	case SVMGPU_ISA_OP_FMAX:
		return fp_minmax(a32, b32, true);
	case SVMGPU_ISA_OP_FTRUNC:
		return fp_round(a32, 0);
	case SVMGPU_ISA_OP_FFLOOR:
		return fp_round(a32, 1);
	case SVMGPU_ISA_OP_FCEIL:
		return fp_round(a32, 2);
	case SVMGPU_ISA_OP_FRNDE:
		return fp_round(a32, 3);
	case SVMGPU_ISA_OP_FFRACT:
		if ((a32 & 0x7fffffff) >= 0x7f800000u)
			return FP_QNAN;
		return res(fa - f_of(fp_round(a32, 1)));
	case SVMGPU_ISA_OP_FSIGN:
		if (is_nan(a32))
			return FP_QNAN;
		if (fa > 0)
			return 0x3f800000u;
		if (fa < 0)
			return 0xbf800000u;
		return a32;
	case SVMGPU_ISA_OP_FSQRT:
		return res(sqrt_f(fa));
	case SVMGPU_ISA_OP_FRSQ:
		if (is_nan(a32) || fa < 0)
			return FP_QNAN;
		if (!(a32 & 0x7fffffff))
			return (a32 & 0x80000000u) | 0x7f800000u;
		return resd(1 / sqrt_d(fa));
	case SVMGPU_ISA_OP_FEXP2:
		return fp_exp2(a32);
	case SVMGPU_ISA_OP_FLOG2:
		return fp_log2(a32);
	case SVMGPU_ISA_OP_FSIN:
		return fp_sincos(a32, false);
	case SVMGPU_ISA_OP_FCOS:
		return fp_sincos(a32, true);
	case SVMGPU_ISA_OP_FATAN:
		return fp_atan(a32);
	case SVMGPU_ISA_OP_FATAN2:
		return fp_atan2(a32, b32);
	case SVMGPU_ISA_OP_FLDEXP:
		return fp_ldexp(a32, (s32)b32);
	case SVMGPU_ISA_OP_FEQ:
		return fa == fb;
	case SVMGPU_ISA_OP_FNEU:
		return fa != fb;
	case SVMGPU_ISA_OP_FLT:
		return fa < fb;
	case SVMGPU_ISA_OP_FGE:
		return fa >= fb;
	case SVMGPU_ISA_OP_CVT_F32_I32:
		return u_of((float)(s32)a32);
	case SVMGPU_ISA_OP_CVT_F32_U32:
		return u_of((float)a32);
	case SVMGPU_ISA_OP_CVT_F32_I64:
		return u_of((float)(s64)a);
	case SVMGPU_ISA_OP_CVT_F32_U64:
		return u_of((float)a);
	case SVMGPU_ISA_OP_CVT_I32_F32:
		return fp_to_int(a32, true, false);
	case SVMGPU_ISA_OP_CVT_U32_F32:
		return fp_to_int(a32, false, false);
	case SVMGPU_ISA_OP_CVT_I64_F32:
		return fp_to_int(a32, true, true);
	case SVMGPU_ISA_OP_CVT_U64_F32:
		return fp_to_int(a32, false, true);
	default:
		return 0;
	}
}
