/*
 * calendar.c
 *	  Working-day functions over credit.calendar, with a per-backend cache.
 *
 * The cache holds the calendar rows as a sorted array plus prefix sums of the
 * corrections (workday_core.c), so no call scans the table.  It is dropped
 * when a relcache invalidation for credit.calendar arrives; the statement
 * trigger credit.config_changed() on the table sends one at commit to every
 * backend, since plain data changes send none by themselves.
 */
#include "credit.h"

#include "catalog/namespace.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"

#include "workday_core.h"

/* GUC credit.calendar_coverage */
int			credit_calendar_coverage = CREDIT_COVERAGE_WARNING;

typedef struct CalendarCache
{
	bool		valid;
	MemoryContext cxt;
	int32		n;
	int32	   *days;
	char	   *kind;
	int32	   *prefix;
	int			first_year;		/* years with at least one row */
	int			last_year;
	wd_calendar cal;
} CalendarCache;

static CalendarCache cache = {false};

/* years already warned about in this session */
#define MAX_WARNED 64
static int	warned_years[MAX_WARNED];
static int	nwarned = 0;

void
credit_calendar_invalidate(void)
{
	cache.valid = false;
}

static void
calendar_load(void)
{
	int			ret;
	uint64		i;
	MemoryContext oldcxt;

	if (cache.cxt == NULL)
		cache.cxt = AllocSetContextCreate(CacheMemoryContext, "credit calendar cache",
										  ALLOCSET_SMALL_SIZES);
	else
		MemoryContextReset(cache.cxt);
	cache.valid = false;
	credit_watch_relids();

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	ret = SPI_execute("SELECT day, kind FROM credit.calendar ORDER BY day", true, 0);
	if (ret != SPI_OK_SELECT)
		elog(ERROR, "could not read credit.calendar: %s", SPI_result_code_string(ret));

	oldcxt = MemoryContextSwitchTo(cache.cxt);
	cache.n = (int32) SPI_processed;
	cache.days = palloc(sizeof(int32) * (cache.n + 1));
	cache.kind = palloc(cache.n + 1);
	cache.prefix = palloc(sizeof(int32) * (cache.n + 1));
	MemoryContextSwitchTo(oldcxt);

	for (i = 0; i < SPI_processed; i++)
	{
		HeapTuple	tup = SPI_tuptable->vals[i];
		bool		isnull;
		Datum		d = SPI_getbinval(tup, SPI_tuptable->tupdesc, 1, &isnull);
		char	   *k = SPI_getvalue(tup, SPI_tuptable->tupdesc, 2);

		cache.days[i] = DatumGetDateADT(d);
		cache.kind[i] = (k != NULL && strcmp(k, "workday") == 0) ? 'w' : 'h';
	}
	SPI_finish();

	wd_build_prefix(cache.days, cache.kind, cache.n, cache.prefix);
	cache.cal.n = cache.n;
	cache.cal.days = cache.days;
	cache.cal.kind = cache.kind;
	cache.cal.corr_prefix = cache.prefix;
	if (cache.n > 0)
	{
		int			m,
					d;

		wd_civil(cache.days[0], &cache.first_year, &m, &d);
		wd_civil(cache.days[cache.n - 1], &cache.last_year, &m, &d);
	}
	else
		cache.first_year = cache.last_year = 0;
	cache.valid = true;
}

static const wd_calendar *
calendar_get(void)
{
	if (!cache.valid)
		calendar_load();
	return &cache.cal;
}

/*
 * Dates outside the years the calendar covers are counted with weekends
 * only.  credit.calendar_coverage says what to tell the user: a WARNING once
 * per session and year (default), an ERROR, or nothing.
 */
static void
check_coverage(int64 from, int64 to)
{
	int			y1,
				y2,
				m,
				d,
				y;

	if (credit_calendar_coverage == CREDIT_COVERAGE_IGNORE)
		return;
	wd_civil(Min(from, to), &y1, &m, &d);
	wd_civil(Max(from, to), &y2, &m, &d);
	if (cache.n > 0 && y1 >= cache.first_year && y2 <= cache.last_year)
		return;

	for (y = y1; y <= y2; y++)
	{
		int			i;
		bool		seen = false;

		if (cache.n > 0 && y >= cache.first_year && y <= cache.last_year)
			continue;
		if (credit_calendar_coverage == CREDIT_COVERAGE_ERROR)
			ereport(ERROR,
					(errcode(ERRCODE_DATA_EXCEPTION),
					 errmsg("credit.calendar has no holiday arrangement for %d", y),
					 errdetail("The calendar covers %d to %d.", cache.first_year, cache.last_year),
					 errhint("Insert the State Council arrangement for %d into credit.calendar, or set credit.calendar_coverage to 'warning'.", y)));
		for (i = 0; i < nwarned; i++)
			if (warned_years[i] == y)
				seen = true;
		if (seen)
			continue;
		if (nwarned < MAX_WARNED)
			warned_years[nwarned++] = y;
		ereport(WARNING,
				(errcode(ERRCODE_WARNING),
				 errmsg("credit.calendar has no holiday arrangement for %d; counting weekends only", y),
				 errdetail("The calendar covers %d to %d.", cache.first_year, cache.last_year),
				 errhint("Insert the State Council arrangement for %d into credit.calendar (this warning is shown once per session).", y)));
		/* warn about one year per call; the next ones on later calls */
		break;
	}
}

static int64
checked_date(int64 d)
{
	if (d < (DATETIME_MIN_JULIAN - POSTGRES_EPOCH_JDATE) ||
		d >= (DATE_END_JULIAN - POSTGRES_EPOCH_JDATE))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("date out of range")));
	return d;
}

static void
require_finite(DateADT d)
{
	if (DATE_NOT_FINITE(d))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("working days are not defined for infinite dates")));
}

bool
credit_is_working_day(DateADT d)
{
	const wd_calendar *c = calendar_get();

	check_coverage(d, d);
	return wd_is_working(c, d);
}

DateADT
credit_add_working_days(DateADT d, int32 n)
{
	const wd_calendar *c = calendar_get();
	int64		r;

	require_finite(d);
	r = checked_date(wd_add(c, d, n));
	check_coverage(d, r);
	return (DateADT) r;
}

PG_FUNCTION_INFO_V1(credit_is_working_day_fn);
Datum
credit_is_working_day_fn(PG_FUNCTION_ARGS)
{
	DateADT		d = PG_GETARG_DATEADT(0);

	require_finite(d);
	PG_RETURN_BOOL(credit_is_working_day(d));
}

PG_FUNCTION_INFO_V1(credit_add_working_days_fn);
Datum
credit_add_working_days_fn(PG_FUNCTION_ARGS)
{
	PG_RETURN_DATEADT(credit_add_working_days(PG_GETARG_DATEADT(0),
											  PG_GETARG_INT32(1)));
}

PG_FUNCTION_INFO_V1(credit_working_days_between_fn);
Datum
credit_working_days_between_fn(PG_FUNCTION_ARGS)
{
	DateADT		a = PG_GETARG_DATEADT(0);
	DateADT		b = PG_GETARG_DATEADT(1);
	const wd_calendar *c = calendar_get();
	int64		r;

	require_finite(a);
	require_finite(b);
	check_coverage(a, b);
	r = wd_between(c, a, b);
	PG_RETURN_INT32((int32) r);
}
