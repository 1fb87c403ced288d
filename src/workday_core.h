/*
 * workday_core.h
 *	  Pure working-day and calendar-month arithmetic.  No PostgreSQL headers.
 *
 * Dates are day numbers relative to 2000-01-01 (PostgreSQL's DateADT).  A
 * working day is Monday-Friday unless listed as a holiday, or any day listed
 * as an adjusted working day (调休).  With W(x) = number of working days
 * before x (relative to a fixed origin), every question is a difference of
 * two W values or a binary search over W, so each call is O(log n) in the
 * number of calendar rows.
 */
#ifndef CREDIT_WORKDAY_CORE_H
#define CREDIT_WORKDAY_CORE_H

#include <stdbool.h>
#include <stdint.h>

typedef struct wd_calendar
{
	int			n;				/* number of listed days */
	const int32_t *days;		/* ascending, unique */
	const char *kind;			/* 'h' holiday, 'w' adjusted working day */
	const int32_t *corr_prefix; /* n + 1 prefix sums of the corrections */
} wd_calendar;

/* 0 = Sunday ... 6 = Saturday */
extern int	wd_weekday(int64_t d);

/* fill prefix[0..n]: the correction of a row is -1 for a holiday on a weekday,
 * +1 for a working day on a weekend, 0 otherwise */
extern void wd_build_prefix(const int32_t *days, const char *kind, int n,
							int32_t *prefix);

/* W(x): working days before x */
extern int64_t wd_count_before(const wd_calendar *c, int64_t x);

extern bool wd_is_working(const wd_calendar *c, int64_t d);

/* working days in (a, b]; negative of the count in (b, a] when b < a */
extern int64_t wd_between(const wd_calendar *c, int64_t a, int64_t b);

/*
 * n > 0: the n-th working day after d; n < 0: the |n|-th working day before
 * d; n = 0: d itself.
 */
extern int64_t wd_add(const wd_calendar *c, int64_t d, int64_t n);

/* civil date <-> day number (proleptic Gregorian) */
extern void wd_civil(int64_t d, int *y, int *m, int *dd);
extern int64_t wd_days(int y, int m, int d);

/*
 * d + months + days with calendar months: the day of month is kept and
 * clamped to the month's length (2026-01-31 + 3 months = 2026-04-30), then
 * days are added.  The same rule as PostgreSQL's date + interval.
 */
extern int64_t wd_add_months_days(int64_t d, int32_t months, int32_t days);

/*
 * The seven public holidays every State Council arrangement names (国务院办公厅
 * 关于部分节假日安排的通知): 元旦, 春节, 清明节, 劳动节, 端午节, 中秋节, 国庆节.
 * A year's arrangement is complete when its holiday rows name all seven (a
 * row may name two, e.g. "中秋节、国庆节").  Names are UTF-8.
 */
#define WD_NFESTIVALS 7
#define WD_ALL_FESTIVALS ((1u << WD_NFESTIVALS) - 1)
extern const char *const wd_festival_names[WD_NFESTIVALS];

/* bit k set: the name mentions festival k */
extern unsigned wd_festival_mask(const char *utf8name);

#endif							/* CREDIT_WORKDAY_CORE_H */
