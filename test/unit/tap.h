/*
 * tap.h
 *	  A tiny TAP (Test Anything Protocol) producer for the C unit tests.
 *
 *	  ok(cond, fmt, ...)	one test line; on failure a "# ..." diagnostic
 *	  diag(fmt, ...)		a comment line (to stdout, so prove -v shows it
 *							in order with the test lines)
 *	  done_testing()		prints the plan "1..N" and returns the exit
 *							status: 0 when every test passed, 1 otherwise
 *
 *	  Header-only; every function is static, so include it in one file.
 */
#ifndef CREDIT_TAP_H
#define CREDIT_TAP_H

#include <stdarg.h>
#include <stdio.h>

#if defined(__GNUC__)
#define TAP_UNUSED __attribute__((unused))
#define TAP_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define TAP_UNUSED
#define TAP_PRINTF(f, a)
#endif

static int	tap_run = 0;
static int	tap_failed = 0;

static void TAP_UNUSED
tap_vdiag(const char *fmt, va_list ap)
{
	fputs("# ", stdout);
	vfprintf(stdout, fmt, ap);
	fputc('\n', stdout);
}

static void TAP_PRINTF(1, 2) TAP_UNUSED
diag(const char *fmt,...)
{
	va_list		ap;

	va_start(ap, fmt);
	tap_vdiag(fmt, ap);
	va_end(ap);
}

/* the test's result is returned, so a caller can add its own diagnostics */
static int	TAP_PRINTF(4, 5) TAP_UNUSED
tap_ok(int pass, const char *file, int line, const char *fmt,...)
{
	va_list		ap;

	tap_run++;
	if (!pass)
		tap_failed++;
	printf("%sok %d - ", pass ? "" : "not ", tap_run);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	if (!pass)
		printf("#   Failed test at %s line %d.\n", file, line);
	fflush(stdout);
	return pass;
}

#define ok(cond, ...) tap_ok((cond) ? 1 : 0, __FILE__, __LINE__, __VA_ARGS__)

/* equality of two integers, with both values in the failure diagnostic */
#define is_int(got, want, ...) \
	do { \
		long long tap_g_ = (long long) (got), tap_w_ = (long long) (want); \
		if (!ok(tap_g_ == tap_w_, __VA_ARGS__)) \
		{ \
			diag("     got: %lld", tap_g_); \
			diag("expected: %lld", tap_w_); \
		} \
	} while (0)

static int	TAP_UNUSED
done_testing(void)
{
	printf("1..%d\n", tap_run);
	if (tap_failed)
		diag("Looks like you failed %d test%s of %d.", tap_failed,
			 tap_failed == 1 ? "" : "s", tap_run);
	fflush(stdout);
	return tap_failed ? 1 : 0;
}

#endif							/* CREDIT_TAP_H */
