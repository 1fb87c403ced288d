/*
 * reference.c
 *	  Set-returning functions behind the reference views credit.uscc_department,
 *	  credit.uscc_category and credit.province (data in ident_tables.c).
 */
#include "credit.h"

#include "funcapi.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/tuplestore.h"

static Datum
one_char_text(char c)
{
	return PointerGetDatum(cstring_to_text_with_len(&c, 1));
}

PG_FUNCTION_INFO_V1(credit_uscc_departments);
Datum
credit_uscc_departments(PG_FUNCTION_ARGS)
{
	TupleDesc	tupdesc;
	Tuplestorestate *ts = credit_srf_begin(fcinfo, &tupdesc, work_mem);
	int			i;

	for (i = 0; i < credit_ndepartments; i++)
	{
		Datum		values[2];
		bool		nulls[2] = {false, false};

		values[0] = one_char_text(credit_departments[i].code);
		values[1] = CStringGetTextDatum(credit_utf8_to_server(credit_departments[i].name));
		tuplestore_putvalues(ts, tupdesc, values, nulls);
	}
	return (Datum) 0;
}

PG_FUNCTION_INFO_V1(credit_uscc_categories);
Datum
credit_uscc_categories(PG_FUNCTION_ARGS)
{
	TupleDesc	tupdesc;
	Tuplestorestate *ts = credit_srf_begin(fcinfo, &tupdesc, work_mem);
	int			i,
				j;

	for (i = 0; i < credit_ndepartments; i++)
	{
		const credit_department *d = &credit_departments[i];

		for (j = 0; j < d->ncategories; j++)
		{
			Datum		values[3];
			bool		nulls[3] = {false, false, false};

			values[0] = one_char_text(d->code);
			values[1] = one_char_text(d->categories[j].code);
			values[2] = CStringGetTextDatum(credit_utf8_to_server(d->categories[j].name));
			tuplestore_putvalues(ts, tupdesc, values, nulls);
		}
	}
	return (Datum) 0;
}

PG_FUNCTION_INFO_V1(credit_province_list);
Datum
credit_province_list(PG_FUNCTION_ARGS)
{
	TupleDesc	tupdesc;
	Tuplestorestate *ts = credit_srf_begin(fcinfo, &tupdesc, work_mem);
	int			i;

	for (i = 0; i < credit_nprovinces; i++)
	{
		Datum		values[4];
		bool		nulls[4] = {false, false, false, false};

		values[0] = CStringGetTextDatum(credit_provinces[i].code);
		values[1] = CStringGetTextDatum(credit_utf8_to_server(credit_provinces[i].name));
		values[2] = BoolGetDatum((credit_provinces[i].scope & CREDIT_PROVINCE_USCC) != 0);
		values[3] = BoolGetDatum((credit_provinces[i].scope & CREDIT_PROVINCE_RID) != 0);
		tuplestore_putvalues(ts, tupdesc, values, nulls);
	}
	return (Datum) 0;
}
