/*
 * test_workday.c
 *	  Unit tests for workday_core.c: civil dates, calendar months, and the
 *	  working-day functions against a brute-force day-by-day reference.
 */
#include "workday_core.h"
#include "tap.h"

#include <stdlib.h>

/* a small calendar: 2025 National Day block and a few more */
static const int32_t cal_days_ymd[][4] = {
	{2025, 9, 28, 'w'}, {2025, 10, 1, 'h'}, {2025, 10, 2, 'h'}, {2025, 10, 3, 'h'},
	{2025, 10, 4, 'h'}, {2025, 10, 5, 'h'}, {2025, 10, 6, 'h'}, {2025, 10, 7, 'h'},
	{2025, 10, 8, 'h'}, {2025, 10, 11, 'w'}, {2026, 1, 1, 'h'}, {2026, 1, 2, 'h'},
	{2026, 1, 3, 'h'}, {2026, 1, 4, 'w'}, {2026, 2, 14, 'w'}, {2026, 2, 16, 'h'},
	{2026, 2, 17, 'h'}, {2026, 2, 18, 'h'}, {2026, 2, 19, 'h'}, {2026, 2, 20, 'h'},
	{2026, 2, 23, 'h'}, {2026, 2, 28, 'w'},
};
#define NCAL ((int) (sizeof(cal_days_ymd) / sizeof(cal_days_ymd[0])))

static int32_t days[NCAL];
static char kind[NCAL];
static int32_t prefix[NCAL + 1];
static wd_calendar cal;

static int64_t
D(int y, int m, int d)
{
	return wd_days(y, m, d);
}

/* reference: the definition, day by day */
static int
ref_working(int64_t d)
{
	int			i;
	int			w = wd_weekday(d);

	for (i = 0; i < NCAL; i++)
		if (days[i] == d)
			return kind[i] == 'w';
	return w != 0 && w != 6;
}

static int64_t
ref_add(int64_t d, int64_t n)
{
	int64_t		x = d;

	if (n == 0)
		return d;
	while (n != 0)
	{
		x += n > 0 ? 1 : -1;
		if (ref_working(x))
			n += n > 0 ? -1 : 1;
	}
	return x;
}

static int64_t
ref_between(int64_t a, int64_t b)
{
	int64_t		c = 0,
				x;

	if (b >= a)
	{
		for (x = a + 1; x <= b; x++)
			c += ref_working(x);
		return c;
	}
	return -ref_between(b, a);
}

int
main(void)
{
	int			i;
	int64_t		d;
	int			y,
				m,
				dd;
	long		bad;

	for (i = 0; i < NCAL; i++)
	{
		days[i] = (int32_t) D(cal_days_ymd[i][0], cal_days_ymd[i][1], cal_days_ymd[i][2]);
		kind[i] = (char) cal_days_ymd[i][3];
	}
	wd_build_prefix(days, kind, NCAL, prefix);
	cal.n = NCAL;
	cal.days = days;
	cal.kind = kind;
	cal.corr_prefix = prefix;

	/* civil dates */
	is_int(D(2000, 1, 1), 0, "2000-01-01 is day 0 (PostgreSQL's epoch)");
	is_int(wd_weekday(0), 6, "2000-01-01 is a Saturday");
	is_int(wd_weekday(D(2025, 9, 28)), 0, "2025-09-28 is a Sunday");
	is_int(D(1970, 1, 1), -10957, "1970-01-01");
	bad = 0;
	for (d = D(1600, 1, 1); d <= D(2400, 12, 31); d++)
	{
		wd_civil(d, &y, &m, &dd);
		if (D(y, m, dd) != d)
			bad++;
	}
	is_int(bad, 0, "civil <-> day number round trip 1600-2400");

	/* calendar months, clamped like PostgreSQL's date + interval */
	is_int(wd_add_months_days(D(2026, 1, 31), 3, 0), D(2026, 4, 30), "2026-01-31 + 3 months = 2026-04-30");
	is_int(wd_add_months_days(D(2024, 2, 29), 12, 0), D(2025, 2, 28), "2024-02-29 + 1 year = 2025-02-28");
	is_int(wd_add_months_days(D(2024, 2, 29), 48, 0), D(2028, 2, 29), "2024-02-29 + 4 years = 2028-02-29");
	is_int(wd_add_months_days(D(2025, 11, 30), 3, 0), D(2026, 2, 28), "2025-11-30 + 3 months = 2026-02-28");
	is_int(wd_add_months_days(D(2026, 3, 31), -1, 0), D(2026, 2, 28), "2026-03-31 - 1 month = 2026-02-28");
	is_int(wd_add_months_days(D(2026, 1, 31), 1, 1), D(2026, 3, 1), "months first, then days");
	is_int(wd_add_months_days(D(2026, 12, 15), 1, 0), D(2027, 1, 15), "across a year end");

	/* the working-day functions */
	ok(wd_is_working(&cal, D(2025, 9, 28)), "2025-09-28 is a working Sunday");
	ok(!wd_is_working(&cal, D(2025, 10, 6)), "2025-10-06 (Monday) is a holiday");
	is_int(wd_add(&cal, D(2025, 9, 30), 1), D(2025, 10, 9), "2025-09-30 + 1 = 2025-10-09");
	is_int(wd_add(&cal, D(2025, 10, 9), -1), D(2025, 9, 30), "2025-10-09 - 1 = 2025-09-30");
	is_int(wd_add(&cal, D(2025, 10, 4), 0), D(2025, 10, 4), "n = 0 is the day itself");
	is_int(wd_between(&cal, D(2025, 9, 30), D(2025, 10, 9)), 1, "one working day in (09-30, 10-09]");

	/* brute force over two years, many n */
	bad = 0;
	for (d = D(2025, 1, 1); d <= D(2026, 12, 31); d++)
	{
		if (wd_is_working(&cal, d) != ref_working(d))
			bad++;
	}
	is_int(bad, 0, "is_working equals the definition on every day of 2025-2026");
	bad = 0;
	for (d = D(2025, 6, 1); d <= D(2026, 6, 30); d++)
	{
		int64_t		n;

		for (n = -45; n <= 45; n += (n == -1 ? 2 : 1))
			if (wd_add(&cal, d, n) != ref_add(d, n))
				bad++;
	}
	is_int(bad, 0, "add equals stepping day by day, n in [-45, 45], 2025-06..2026-06");
	bad = 0;
	for (d = D(2025, 6, 1); d <= D(2026, 6, 30); d += 3)
	{
		int64_t		e;

		for (e = d - 40; e <= d + 40; e += 7)
			if (wd_between(&cal, d, e) != ref_between(d, e))
				bad++;
	}
	is_int(bad, 0, "between equals a day-by-day count, both directions");
	/* far away: pure weekends, and large n */
	is_int(wd_add(&cal, D(2100, 1, 1), 5), D(2100, 1, 8), "2100-01-01 (Friday) + 5 = 2100-01-08");
	is_int(wd_between(&cal, D(2030, 1, 1), wd_add(&cal, D(2030, 1, 1), 100000)), 100000,
		   "between(d, add(d, 100000)) = 100000");
	is_int(wd_add(&cal, wd_add(&cal, D(1990, 3, 5), -5000), 5000), D(1990, 3, 5),
		   "add(-5000) then add(5000) on a working day returns it");

	return done_testing();
}
