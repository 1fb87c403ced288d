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
#include "lib/stringinfo.h"
#include "mb/pg_wchar.h"
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
	unsigned   *festivals;		/* per year first..last: the festivals named */
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
	ret = SPI_execute(psprintf("SELECT day, kind, name FROM %s ORDER BY day", credit_local_table("calendar")),
					  true, 0);
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

	wd_build_prefix(cache.days, cache.kind, cache.n, cache.prefix);
	cache.cal.n = cache.n;
	cache.cal.days = cache.days;
	cache.cal.kind = cache.kind;
	cache.cal.corr_prefix = cache.prefix;
	if (cache.n > 0)
	{
		int			m,
					d,
					y;

		wd_civil(cache.days[0], &cache.first_year, &m, &d);
		wd_civil(cache.days[cache.n - 1], &cache.last_year, &m, &d);
		cache.festivals = MemoryContextAllocZero(cache.cxt,
												 sizeof(unsigned) * (cache.last_year - cache.first_year + 1));
		/* which of the seven festivals each year's holiday rows name */
		for (i = 0; i < SPI_processed; i++)
		{
			char	   *name;
			char	   *utf8;

			if (cache.kind[i] != 'h')
				continue;
			name = SPI_getvalue(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 3);
			if (name == NULL)
				continue;
			utf8 = pg_server_to_any(name, strlen(name), PG_UTF8);
			wd_civil(cache.days[i], &y, &m, &d);
			cache.festivals[y - cache.first_year] |= wd_festival_mask(utf8);
		}
	}
	else
		cache.first_year = cache.last_year = 0;
	SPI_finish();
	cache.valid = true;
}

static const wd_calendar *
calendar_get(void)
{
	if (!cache.valid)
		calendar_load();
	return &cache.cal;
}

/* the festivals a year's arrangement names (0: no row for the year) */
static unsigned
year_festivals(int y)
{
	if (cache.n == 0 || y < cache.first_year || y > cache.last_year)
		return 0;
	return cache.festivals[y - cache.first_year];
}

/* "春节, 端午节": the festivals missing from a mask */
static char *
missing_festivals(unsigned mask)
{
	static const char *const display[WD_NFESTIVALS] = {
		"元旦", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节"
	};
	StringInfoData buf;
	int			k;

	initStringInfo(&buf);
	for (k = 0; k < WD_NFESTIVALS; k++)
		if (!(mask & (1u << k)))
			appendStringInfo(&buf, "%s%s", buf.len ? ", " : "",
							 credit_utf8_to_server(display[k]));
	return buf.data;
}

/*
 * A year counts as covered only when its arrangement is complete: its holiday
 * rows name all seven public holidays (a single 2027 row does not cover
 * 2027).  Days of other years are counted with weekends only, and
 * credit.calendar_coverage says what to tell the user: a WARNING once per
 * session and year (default), an ERROR, or nothing.
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

	for (y = y1; y <= y2; y++)
	{
		int			i;
		bool		seen = false;
		unsigned	mask = year_festivals(y);
		char	   *detail;

		if (mask == WD_ALL_FESTIVALS)
			continue;
		detail = mask == 0
			? psprintf(CT_("The calendar has no row for %d; it covers %d to %d."), y,
					   cache.first_year, cache.last_year)
			: psprintf(CT_("The arrangement for %d is incomplete: it does not name %s."), y,
					   missing_festivals(mask));
		if (credit_calendar_coverage == CREDIT_COVERAGE_ERROR)
			ereport(ERROR,
					(errcode(ERRCODE_DATA_EXCEPTION),
					 errmsg("credit.calendar has no complete holiday arrangement for %d", y),
					 errdetail_internal("%s", detail),
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
				 errmsg("credit.calendar has no complete holiday arrangement for %d; counting weekends only", y),
				 errdetail_internal("%s", detail),
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
