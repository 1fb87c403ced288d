/*
 * workday_core.c
 *	  Working-day and calendar-month arithmetic (see workday_core.h).
 */
#include "workday_core.h"

#include <string.h>

static inline int64_t
floor_div(int64_t a, int64_t b)
{
	int64_t		q = a / b;

	return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

int
wd_weekday(int64_t d)
{
	/* day 0 = 2000-01-01, a Saturday */
	int64_t		r = (d + 6) % 7;

	return (int) (r < 0 ? r + 7 : r);
}

static inline bool
is_weekend(int64_t d)
{
	int			w = wd_weekday(d);

	return w == 0 || w == 6;
}

/* Monday-Friday days before x, counted from Monday 2000-01-03 */
static int64_t
weekdays_before(int64_t x)
{
	int64_t		k = x - 2;
	int64_t		q = floor_div(k, 7);
	int64_t		r = k - 7 * q;

	return 5 * q + (r < 5 ? r : 5);
}

void
wd_build_prefix(const int32_t *days, const char *kind, int n, int32_t *prefix)
{
	int			i;

	prefix[0] = 0;
	for (i = 0; i < n; i++)
	{
		int			corr = 0;

		if (kind[i] == 'h' && !is_weekend(days[i]))
			corr = -1;
		else if (kind[i] == 'w' && is_weekend(days[i]))
			corr = 1;
		prefix[i + 1] = prefix[i] + corr;
	}
}

/* number of listed days < x */
static int
lower_bound(const wd_calendar *c, int64_t x)
{
	int			lo = 0,
				hi = c->n;

	while (lo < hi)
	{
		int			mid = lo + (hi - lo) / 2;

		if (c->days[mid] < x)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

int64_t
wd_count_before(const wd_calendar *c, int64_t x)
{
	return weekdays_before(x) + c->corr_prefix[lower_bound(c, x)];
}

bool
wd_is_working(const wd_calendar *c, int64_t d)
{
	int			i = lower_bound(c, d);

	if (i < c->n && c->days[i] == d)
		return c->kind[i] == 'w';
	return !is_weekend(d);
}

int64_t
wd_between(const wd_calendar *c, int64_t a, int64_t b)
{
	return wd_count_before(c, b + 1) - wd_count_before(c, a + 1);
}

int64_t
wd_add(const wd_calendar *c, int64_t d, int64_t n)
{
	int64_t		lo,
				hi,
				step;

	if (n == 0)
		return d;
	if (n > 0)
	{
		/* smallest x > d with W(x + 1) >= W(d + 1) + n */
		int64_t		target = wd_count_before(c, d + 1) + n;

		lo = d + 1;
		step = n + n / 2 + 16;
		hi = d + step;
		while (wd_count_before(c, hi + 1) < target)
		{
			lo = hi + 1;
			step *= 2;
			hi = d + step;
		}
		while (lo < hi)
		{
			int64_t		mid = lo + (hi - lo) / 2;

			if (wd_count_before(c, mid + 1) >= target)
				hi = mid;
			else
				lo = mid + 1;
		}
		return lo;
	}
	else
	{
		/* largest x < d with W(x) <= W(d) - |n| */
		int64_t		target = wd_count_before(c, d) + n;

		hi = d - 1;
		step = -n - n / 2 + 16;
		lo = d - step;
		while (wd_count_before(c, lo) > target)
		{
			hi = lo - 1;
			step *= 2;
			lo = d - step;
		}
		while (lo < hi)
		{
			int64_t		mid = lo + (hi - lo + 1) / 2;

			if (wd_count_before(c, mid) <= target)
				lo = mid;
			else
				hi = mid - 1;
		}
		return lo;
	}
}

/* days from civil, after H. Hinnant's algorithm, shifted to 2000-01-01 */
int64_t
wd_days(int y, int m, int d)
{
	int64_t		yy = (int64_t) y - (m <= 2);
	int64_t		era = floor_div(yy, 400);
	int64_t		yoe = yy - era * 400;
	int64_t		doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t		doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + doe - 719468 - 10957;
}

void
wd_civil(int64_t d, int *y, int *m, int *dd)
{
	int64_t		z = d + 10957 + 719468;
	int64_t		era = floor_div(z, 146097);
	int64_t		doe = z - era * 146097;
	int64_t		yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t		doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t		mp = (5 * doy + 2) / 153;
	int			mm = (int) (mp < 10 ? mp + 3 : mp - 9);

	*dd = (int) (doy - (153 * mp + 2) / 5 + 1);
	*m = mm;
	*y = (int) (yoe + era * 400 + (mm <= 2));
}

static int
days_in_month(int y, int m)
{
	static const int md[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return md[m - 1];
}

int64_t
wd_add_months_days(int64_t d, int32_t months, int32_t days)
{
	int			y,
				m,
				dd;
	int64_t		total;

	wd_civil(d, &y, &m, &dd);
	total = (int64_t) y * 12 + (m - 1) + months;
	y = (int) floor_div(total, 12);
	m = (int) (total - (int64_t) y * 12) + 1;
	if (dd > days_in_month(y, m))
		dd = days_in_month(y, m);
	return wd_days(y, m, dd) + days;
}

/* matched as substrings: "春节" in "春节", "清明" in "清明节", ... */
const char *const wd_festival_names[WD_NFESTIVALS] = {
	"元旦", "春节", "清明", "劳动", "端午", "中秋", "国庆"
};

unsigned
wd_festival_mask(const char *utf8name)
{
	unsigned	mask = 0;
	int			k;

	if (utf8name == NULL)
		return 0;
	for (k = 0; k < WD_NFESTIVALS; k++)
		if (strstr(utf8name, wd_festival_names[k]) != NULL)
			mask |= 1u << k;
	return mask;
}
