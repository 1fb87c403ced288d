/*
 * rid.c
 *	  fmgr glue for credit.rid, the resident ID number (居民身份证号码,
 *	  GB 11643-1999).
 *
 * The value is the 17-digit body as an int64, passed by value; the check
 * character is recomputed on output.  Pure logic lives in rid_core.c.
 */
#include "credit.h"

#include "common/hashfn.h"
#include "datatype/timestamp.h"
#include "lib/stringinfo.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"
#include "utils/sortsupport.h"

#define PG_GETARG_RID(n)	PG_GETARG_INT64(n)

static const struct
{
	unsigned	flag;
	const char *code;
}			rid_problem_codes[] = {
	{CREDIT_PB_LENGTH, "length"},
	{CREDIT_PB_CHARACTER, "character"},
	{CREDIT_PB_BIRTH_DATE, "birth_date"},
	{CREDIT_PB_CHECK_CHAR, "check_char"},
	{CREDIT_PB_FUTURE_BIRTH, "future_birth_date"},
	{CREDIT_PB_PROVINCE, "province"},
};

/* as uscc_report(): one fault in the detail, a hint where a fix exists */
static void
rid_report(const char *input, const credit_diag *d, credit_norm_status st,
		   int len, Node *escontext)
{
	const char *detail;
	const char *hint = NULL;

	if (st == CREDIT_NORM_TOO_LONG)
		detail = psprintf(CT_("The input is %d bytes long; a resident ID number is never longer than %d bytes, even with spaces and hyphens."),
						  len, CREDIT_INPUT_MAX);
	else if (st != CREDIT_NORM_OK)
		detail = CT_("The input could not be normalised: it is not valid UTF-8 text.");
	else
		switch (d->problem)
		{
			case CREDIT_ERR_LENGTH:
				if (d->length == 0)
				{
					detail = CT_("The number is empty once spaces and hyphens are removed.");
					break;
				}
				detail = psprintf(CTN_("The number has %d character; a resident ID number has 18.",
										   "The number has %d characters; a resident ID number has 18.",
										   d->length), d->length);
				if (d->bad_char != 0)
					hint = psprintf(CT_("Position %d holds %s, which does not belong in an ID number; remove it."),
									d->position, credit_describe_char(d->bad_char));
				else if (d->length == 15)
					hint = CT_("A 15-digit first-generation number must be converted: insert the century \"19\" after position 6 and append the check character.");
				else
					hint = CT_("Spaces and hyphens are ignored; check for a missing or extra digit.");
				break;
			case CREDIT_ERR_CHARACTER:
				detail = psprintf(CT_("Position %d holds %s; positions 1-17 must be digits and position 18 a digit or X."),
								  d->position, credit_describe_char(d->bad_char));
				break;
			case CREDIT_ERR_BIRTH_DATE:
				detail = psprintf(d->year < 1800
								  ? CT_("Positions 7-14 hold the birth date %04d%02d%02d, which is before 1800-01-01.")
								  : CT_("Positions 7-14 hold the birth date %04d%02d%02d, which is not a calendar date."),
								  d->year, d->month, d->day);
				break;
			case CREDIT_ERR_CHECK_CHAR:
				detail = psprintf(CT_("The check character (position 18) is \"%c\", but the first 17 digits give \"%c\"."),
								  d->found, d->expected);
				hint = CT_("One of the digits is probably mistyped; compare the number with the ID card.");
				break;
			default:
				elog(ERROR, "unexpected rid problem %d", (int) d->problem);
		}
	credit_invalid_input(escontext, "rid", input, detail, hint);
}

static bool
rid_parse_server(const char *s, int len, int64 *value, bool report,
				 Node *escontext)
{
	credit_norm n;
	credit_diag d;
	credit_norm_status st;
	int64_t		v;

	if (rid_parse_canonical(s, (size_t) len, &v))
	{
		*value = v;
		return true;
	}
	if (credit_normalize_server(s, len, &n, &st) &&
		rid_parse(&n, &v, &d) == CREDIT_OK)
	{
		*value = v;
		return true;
	}
	if (report)
		rid_report(credit_input_excerpt(s, len), &d, st, len, escontext);
	return false;
}

/* ---------- I/O ---------- */

PG_FUNCTION_INFO_V1(rid_in);
Datum
rid_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	int64		v;

	if (!rid_parse_server(str, strlen(str), &v, true, fcinfo->context))
		PG_RETURN_VOID();
	PG_RETURN_INT64(v);
}

PG_FUNCTION_INFO_V1(rid_out);
Datum
rid_out(PG_FUNCTION_ARGS)
{
	char	   *out = palloc(RID_LEN + 1);

	rid_unpack(PG_GETARG_RID(0), out);
	out[RID_LEN] = '\0';
	PG_RETURN_CSTRING(out);
}

/* binary format: the 18 canonical characters, as for uscc */
PG_FUNCTION_INFO_V1(rid_recv);
Datum
rid_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int			nbytes = buf->len - buf->cursor;
	const char *bytes = pq_getmsgbytes(buf, nbytes);
	credit_norm n;
	credit_diag d;
	int64_t		v;
	int			i;

	if (nbytes != RID_LEN)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid external rid value"),
				 errdetail("The binary form holds %d bytes; it must hold the 18 characters of the number.",
						   nbytes)));
	n.len = RID_LEN;
	for (i = 0; i < RID_LEN; i++)
		n.cp[i] = (unsigned char) bytes[i];
	if (rid_parse(&n, &v, &d) != CREDIT_OK)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid external rid value"),
				 errdetail("The binary form is not a canonical resident ID number.")));
	PG_RETURN_INT64(v);
}

PG_FUNCTION_INFO_V1(rid_send);
Datum
rid_send(PG_FUNCTION_ARGS)
{
	StringInfoData buf;
	char		out[RID_LEN];

	rid_unpack(PG_GETARG_RID(0), out);
	pq_begintypsend(&buf);
	pq_sendbytes(&buf, out, RID_LEN);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

PG_FUNCTION_INFO_V1(rid_from_text);
Datum
rid_from_text(PG_FUNCTION_ARGS)
{
	text	   *t = PG_GETARG_TEXT_PP(0);
	int64		v = 0;

	rid_parse_server(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t), &v, true, NULL);
	PG_RETURN_INT64(v);
}

PG_FUNCTION_INFO_V1(rid_to_text);
Datum
rid_to_text(PG_FUNCTION_ARGS)
{
	char		out[RID_LEN];

	rid_unpack(PG_GETARG_RID(0), out);
	PG_RETURN_TEXT_P(cstring_to_text_with_len(out, RID_LEN));
}

/* ---------- comparison, hashing, sortsupport ---------- */

#define RID_CMP_FN(name, op) \
PG_FUNCTION_INFO_V1(name); \
Datum \
name(PG_FUNCTION_ARGS) \
{ \
	PG_RETURN_BOOL(PG_GETARG_RID(0) op PG_GETARG_RID(1)); \
}

RID_CMP_FN(rid_eq, ==)
RID_CMP_FN(rid_ne, !=)
RID_CMP_FN(rid_lt, <)
RID_CMP_FN(rid_le, <=)
RID_CMP_FN(rid_gt, >)
RID_CMP_FN(rid_ge, >=)

PG_FUNCTION_INFO_V1(rid_smaller);
Datum
rid_smaller(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(Min(PG_GETARG_RID(0), PG_GETARG_RID(1)));
}

PG_FUNCTION_INFO_V1(rid_larger);
Datum
rid_larger(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(Max(PG_GETARG_RID(0), PG_GETARG_RID(1)));
}

PG_FUNCTION_INFO_V1(rid_cmp);
Datum
rid_cmp(PG_FUNCTION_ARGS)
{
	int64		a = PG_GETARG_RID(0);
	int64		b = PG_GETARG_RID(1);

	PG_RETURN_INT32((a > b) - (a < b));
}

PG_FUNCTION_INFO_V1(rid_hash);
Datum
rid_hash(PG_FUNCTION_ARGS)
{
	int64		v = PG_GETARG_RID(0);

	return hash_any((const unsigned char *) &v, sizeof(v));
}

PG_FUNCTION_INFO_V1(rid_hash_extended);
Datum
rid_hash_extended(PG_FUNCTION_ARGS)
{
	int64		v = PG_GETARG_RID(0);

	return hash_any_extended((const unsigned char *) &v, sizeof(v),
							 PG_GETARG_INT64(1));
}

static int
rid_fastcmp(Datum x, Datum y, SortSupport ssup)
{
	int64		a = DatumGetInt64(x);
	int64		b = DatumGetInt64(y);

	return (a > b) - (a < b);
}

PG_FUNCTION_INFO_V1(rid_sortsupport);
Datum
rid_sortsupport(PG_FUNCTION_ARGS)
{
	SortSupport ssup = (SortSupport) PG_GETARG_POINTER(0);

#if PG_VERSION_NUM >= 150000
	/* lets tuplesort use its specialised int64 quicksort */
	ssup->comparator = ssup_datum_signed_cmp;
#else
	ssup->comparator = rid_fastcmp;
#endif
	(void) rid_fastcmp;
	PG_RETURN_VOID();
}

/* ---------- functions ---------- */

PG_FUNCTION_INFO_V1(rid_is_valid_text);
Datum
rid_is_valid_text(PG_FUNCTION_ARGS)
{
	text	   *t = PG_GETARG_TEXT_PP(0);
	int64		v;

	PG_RETURN_BOOL(rid_parse_server(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t), &v,
									false, NULL));
}

PG_FUNCTION_INFO_V1(try_rid);
Datum
try_rid(PG_FUNCTION_ARGS)
{
	text	   *t = PG_GETARG_TEXT_PP(0);
	int64		v;

	if (!rid_parse_server(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t), &v, false, NULL))
		PG_RETURN_NULL();
	PG_RETURN_INT64(v);
}

PG_FUNCTION_INFO_V1(rid_check_char_text);
Datum
rid_check_char_text(PG_FUNCTION_ARGS)
{
	text	   *t = PG_GETARG_TEXT_PP(0);
	credit_norm n;
	credit_norm_status st;
	char		body[17];
	char		c;
	int			i;

	if (!credit_normalize_server(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t), &n, &st) ||
		n.len != 17)
		PG_RETURN_NULL();
	for (i = 0; i < 17; i++)
	{
		if (n.cp[i] >= 0x80)
			PG_RETURN_NULL();
		body[i] = (char) n.cp[i];
	}
	c = rid_check_char(body);
	if (c == '\0')
		PG_RETURN_NULL();
	PG_RETURN_TEXT_P(cstring_to_text_with_len(&c, 1));
}

PG_FUNCTION_INFO_V1(rid_problems_text);
Datum
rid_problems_text(PG_FUNCTION_ARGS)
{
	text	   *t;
	bool		strict;
	credit_norm n;
	credit_norm_status st;
	credit_diag d;
	unsigned	flags;
	const char *items[lengthof(rid_problem_codes)];
	int			k = 0;
	int			i;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	t = PG_GETARG_TEXT_PP(0);
	strict = !PG_ARGISNULL(1) && PG_GETARG_BOOL(1);

	if (!credit_normalize_server(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t), &n, &st))
		flags = st == CREDIT_NORM_TOO_LONG ? CREDIT_PB_LENGTH : CREDIT_PB_CHARACTER;
	else
	{
		int64_t		v;

		flags = rid_problems(&n, strict);
		/* a future birth date: only for a number that is otherwise readable */
		if (strict && !(flags & (CREDIT_PB_LENGTH | CREDIT_PB_CHARACTER | CREDIT_PB_BIRTH_DATE)))
		{
			rid_parse(&n, &v, &d);
			if (date2j(d.year, d.month, d.day) - POSTGRES_EPOCH_JDATE >
				GetSQLCurrentDate())
				flags |= CREDIT_PB_FUTURE_BIRTH;
		}
	}
	for (i = 0; i < (int) lengthof(rid_problem_codes); i++)
		if (flags & rid_problem_codes[i].flag)
			items[k++] = rid_problem_codes[i].code;
	return credit_text_array(items, k);
}

PG_FUNCTION_INFO_V1(rid_birth_date);
Datum
rid_birth_date(PG_FUNCTION_ARGS)
{
	char		s[RID_LEN];
	int			y,
				m,
				d;

	rid_unpack(PG_GETARG_RID(0), s);
	y = (s[6] - '0') * 1000 + (s[7] - '0') * 100 + (s[8] - '0') * 10 + (s[9] - '0');
	m = (s[10] - '0') * 10 + (s[11] - '0');
	d = (s[12] - '0') * 10 + (s[13] - '0');
	PG_RETURN_DATEADT(date2j(y, m, d) - POSTGRES_EPOCH_JDATE);
}

PG_FUNCTION_INFO_V1(rid_sex);
Datum
rid_sex(PG_FUNCTION_ARGS)
{
	char		s[RID_LEN];

	rid_unpack(PG_GETARG_RID(0), s);
	PG_RETURN_TEXT_P(cstring_to_text(((s[16] - '0') % 2) ? "M" : "F"));
}

PG_FUNCTION_INFO_V1(rid_region);
Datum
rid_region(PG_FUNCTION_ARGS)
{
	char		s[RID_LEN];

	rid_unpack(PG_GETARG_RID(0), s);
	PG_RETURN_TEXT_P(cstring_to_text_with_len(s, 6));
}

/*
 * Masking: keep the region (1-6) and the last four characters (sequence and
 * check), replace the birth date (7-14) with eight asterisks:
 * 110105********002X.
 */
PG_FUNCTION_INFO_V1(rid_mask);
Datum
rid_mask(PG_FUNCTION_ARGS)
{
	char		s[RID_LEN];

	rid_unpack(PG_GETARG_RID(0), s);
	memset(&s[6], '*', 8);
	PG_RETURN_TEXT_P(cstring_to_text_with_len(s, RID_LEN));
}
