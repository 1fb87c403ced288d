/*
 * uscc.c
 *	  fmgr glue for credit.uscc, the Unified Social Credit Code
 *	  (统一社会信用代码, GB 32100-2015).
 *
 * The value is the 10-byte packed form of uscc_core.c: fixed length, no
 * varlena header, ordered like the canonical text (uscc_packed_cmp).  The
 * pure logic lives in uscc_core.c; this file only adapts it to the server:
 * I/O, operators, hashing, sortsupport and the SQL-callable helpers.
 *
 * Legacy pilot codes (credit.uscc_legacy) print as their 18 characters
 * followed by "(legacy)", the form input accepts back (pg_dump, COPY);
 * the cast to text gives the 18 characters alone.
 */
#include "credit.h"

#include "access/hash.h"
#include "access/htup_details.h"
#include "common/hashfn.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "libpq/pqformat.h"
#include "port/pg_bswap.h"
#include "utils/builtins.h"
#include "utils/sortsupport.h"

#define DatumGetUscc(X)		((const uint8 *) DatumGetPointer(X))
#define PG_GETARG_USCC(n)	DatumGetUscc(PG_GETARG_DATUM(n))

/* problem codes, in the order uscc_problems() reports them */
static const struct
{
	unsigned	flag;
	const char *code;
}			uscc_problem_codes[] = {
	{CREDIT_PB_LENGTH, "length"},
	{CREDIT_PB_CHARACTER, "character"},
	{CREDIT_PB_REGION_DIGITS, "region_digits"},
	{CREDIT_PB_CHECK_CHAR, "check_char"},
	{CREDIT_PB_DEPARTMENT, "department"},
	{CREDIT_PB_CATEGORY, "category"},
	{CREDIT_PB_ORG_CODE, "org_code_check"},
	{CREDIT_PB_PROVINCE, "province"},
	{CREDIT_PB_LEGACY_CHECK, "legacy_check_char"},
	{CREDIT_PB_LEGACY_MARK, "legacy_marker"},
};

const char *
credit_uscc_problem_code(unsigned flag)
{
	int			i;

	for (i = 0; i < (int) lengthof(uscc_problem_codes); i++)
		if (uscc_problem_codes[i].flag == flag)
			return uscc_problem_codes[i].code;
	return NULL;
}

/* hint for a letter that is easily taken for a digit */
static const char *
lookalike_digit(uint32_t c)
{
	switch (c)
	{
		case 'I':
			return "1";
		case 'O':
			return "0";
		case 'S':
			return "5";
		case 'Z':
			return "2";
		default:
			return NULL;
	}
}

/*
 * What keeps a code whose check character is wrong from being a legacy pilot
 * code (d->legacy_faults), every reason, for a message
 */
static const char *
uscc_legacy_faults_text(const credit_norm *n, const credit_diag *d)
{
	StringInfoData buf;

	initStringInfo(&buf);
	if (d->legacy_faults & CREDIT_PB_DEPARTMENT)
		appendStringInfo(&buf, CT_("position 1 holds \"%c\", which is not a registration department"),
						 (char) n->cp[0]);
	if (d->legacy_faults & CREDIT_PB_CATEGORY)
		appendStringInfo(&buf, "%s%s", buf.len ? "; " : "",
						 psprintf(CT_("position 2 holds \"%c\", which is not an organisation category of department \"%c\""),
								  (char) n->cp[1], (char) n->cp[0]));
	if (d->legacy_faults & CREDIT_PB_ORG_CODE)
		appendStringInfo(&buf, "%s%s", buf.len ? "; " : "",
						 psprintf(CT_("positions 9-17 fail the GB 11714 organisation-code check (position 17 is \"%c\", positions 9-16 give \"%c\")"),
								  (char) n->cp[16], d->org_expected));
	if (d->legacy_faults & CREDIT_PB_PROVINCE)
		appendStringInfo(&buf, "%s%s", buf.len ? "; " : "",
						 psprintf(CT_("positions 3-4 are \"%c%c\", but pilot codes were issued only in Fujian (%s)"),
								  (char) n->cp[2], (char) n->cp[3], USCC_PILOT_PROVINCE));
	return buf.data;
}

/*
 * Report why input is not a valid code: exactly one fault in the detail, and
 * a hint where a fix exists.  Returns only for a soft error.  input_norm is
 * the normalised input (when st is CREDIT_NORM_OK).
 */
static void
uscc_report(const char *input, const credit_norm *input_norm,
			const credit_diag *d, credit_norm_status st, int len,
			Node *escontext)
{
	const char *detail;
	const char *hint = NULL;

	if (st == CREDIT_NORM_TOO_LONG)
		detail = psprintf(CT_("The input is %d bytes long; a unified social credit code is never longer than %d bytes, even with spaces and hyphens."),
						  len, CREDIT_INPUT_MAX);
	else if (st != CREDIT_NORM_OK)
		detail = CT_("The input could not be normalised: it is not valid UTF-8 text.");
	else
		switch (d->problem)
		{
			case CREDIT_ERR_LENGTH:
				if (d->length == 0)
				{
					detail = CT_("The code is empty once spaces and hyphens are removed.");
					break;
				}
				detail = psprintf(CTN_("The code has %d character; a unified social credit code has 18.",
										   "The code has %d characters; a unified social credit code has 18.",
										   d->length), d->length);
				if (d->bad_char != 0)
					hint = psprintf(CT_("Position %d holds %s, which does not belong in a code; remove it."),
									d->position, credit_describe_char(d->bad_char));
				else
					hint = CT_("Spaces and hyphens are ignored; check for a missing or extra character.");
				break;
			case CREDIT_ERR_CHARACTER:
				if (lookalike_digit(d->bad_char))
				{
					detail = psprintf(CT_("Position %d holds %s, a letter that never occurs in a unified social credit code."),
									  d->position, credit_describe_char(d->bad_char));
					hint = psprintf(CT_("The letters I, O, S, V and Z are not used; \"%c\" is probably the digit \"%s\"."),
									(char) d->bad_char, lookalike_digit(d->bad_char));
				}
				else
				{
					detail = psprintf(CT_("Position %d holds %s, which is not allowed in a unified social credit code."),
									  d->position, credit_describe_char(d->bad_char));
					hint = CT_("A code uses only the digits 0-9 and the letters ABCDEFGHJKLMNPQRTUWXY.");
				}
				break;
			case CREDIT_ERR_REGION_DIGITS:
				detail = psprintf(CT_("Positions 3-8 hold the administrative region code and must be digits, but position %d holds %s."),
								  d->position, credit_describe_char(d->bad_char));
				break;
			case CREDIT_ERR_CHECK_CHAR:
				detail = psprintf(CT_("The check character (position 18) is \"%c\", but the first 17 characters give \"%c\"."),
								  d->found, d->expected);
				if (d->legacy_faults == 0)
					hint = CT_("One of the characters is probably mistyped; compare the code with the business licence. A code printed so on a licence issued in Fujian before 2016 is a pilot code: store it with credit.uscc_legacy().");
				else
					hint = CT_("One of the characters is probably mistyped; compare the code with the business licence.");
				break;
			case CREDIT_ERR_NOT_LEGACY:
				detail = psprintf(CT_("The check character (position 18) is \"%c\", but the first 17 characters give \"%c\"; nor is it a legacy pilot code: %s."),
								  d->found, d->expected, uscc_legacy_faults_text(input_norm, d));
				hint = CT_("One of the characters is probably mistyped; compare the code with the business licence.");
				break;
			case CREDIT_ERR_LEGACY_MARK:
				detail = CT_("The code is marked \"(legacy)\", but its check character is right: it is an ordinary code.");
				hint = CT_("Remove the marker.");
				break;
			default:
				elog(ERROR, "unexpected uscc problem %d", (int) d->problem);
		}
	credit_invalid_input(escontext, "uscc", input, detail, hint);
}

/*
 * Parse len bytes of server-encoded text into packed[] (legacy: as
 * credit.uscc_legacy() does).  On failure reports through escontext
 * (throwing unless it is a soft-error context) when report is set, and
 * returns false.
 */
static bool
uscc_parse_server(const char *s, int len, uint8 *packed, bool legacy,
				  bool report, Node *escontext)
{
	credit_norm n;
	credit_diag d;
	credit_norm_status st;

	if (uscc_parse_canonical(s, (size_t) len, packed))
		return true;
	if (credit_normalize_server(s, len, &n, &st) &&
		(legacy ? uscc_parse_legacy(&n, packed, &d) : uscc_parse(&n, packed, &d)) == CREDIT_OK)
		return true;
	if (report)
		uscc_report(credit_input_excerpt(s, len), &n, &d, st, len, escontext);
	return false;
}

/* ---------- I/O ---------- */

PG_FUNCTION_INFO_V1(uscc_in);
Datum
uscc_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	uint8	   *res = palloc(USCC_PACKED_LEN);

	if (!uscc_parse_server(str, strlen(str), res, false, true, fcinfo->context))
		PG_RETURN_VOID();		/* soft error: (Datum) 0 */
	PG_RETURN_POINTER(res);
}

/* the 18 characters, and "(legacy)" after a legacy pilot code */
PG_FUNCTION_INFO_V1(uscc_out);
Datum
uscc_out(PG_FUNCTION_ARGS)
{
	char	   *out = palloc(USCC_TEXT_MAX + 1);

	out[uscc_format(PG_GETARG_USCC(0), out)] = '\0';
	PG_RETURN_CSTRING(out);
}

/*
 * Binary format: the text form, i.e. the 18 canonical ASCII characters, and
 * "(legacy)" after a legacy pilot code, so that a client needs no knowledge
 * of the packing.  recv accepts only the canonical form, with the marker
 * exactly when the check character is not GB 32100's and the code is a
 * legacy pilot code.
 */
PG_FUNCTION_INFO_V1(uscc_recv);
Datum
uscc_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int			nbytes = buf->len - buf->cursor;
	const char *bytes;
	uint8	   *res = palloc(USCC_PACKED_LEN);
	bool		legacy;

	bytes = pq_getmsgbytes(buf, nbytes);
	legacy = nbytes == USCC_TEXT_MAX &&
		memcmp(bytes + USCC_LEN, USCC_LEGACY_MARK, USCC_LEGACY_MARK_LEN) == 0;
	if (nbytes != USCC_LEN && !legacy)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid external uscc value"),
				 errdetail("The binary form holds %d bytes; it must hold the 18 characters of the code, followed by \"(legacy)\" for a legacy pilot code.",
						   nbytes)));
	if (!uscc_parse_stored(bytes, legacy, res))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid external uscc value"),
				 legacy ?
				 errdetail("The binary form is marked as a legacy pilot code, but its 18 characters are not one.") :
				 errdetail("The binary form is not a canonical unified social credit code.")));
	PG_RETURN_POINTER(res);
}

PG_FUNCTION_INFO_V1(uscc_send);
Datum
uscc_send(PG_FUNCTION_ARGS)
{
	StringInfoData buf;
	char		out[USCC_TEXT_MAX];
	int			len = uscc_format(PG_GETARG_USCC(0), out);

	pq_begintypsend(&buf);
	pq_sendbytes(&buf, out, len);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* text -> credit.uscc, raising on bad input: the cast, and credit.uscc_legacy */
static Datum
uscc_from_text_internal(FunctionCallInfo fcinfo, bool legacy)
{
	text	   *t = PG_GETARG_TEXT_PP(0);
	uint8	   *res = palloc(USCC_PACKED_LEN);

	uscc_parse_server(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t), res, legacy, true, NULL);
	PG_RETURN_POINTER(res);
}

PG_FUNCTION_INFO_V1(uscc_from_text);
Datum
uscc_from_text(PG_FUNCTION_ARGS)
{
	return uscc_from_text_internal(fcinfo, false);
}

/* the 18 characters, of a legacy code too (without the marker) */
PG_FUNCTION_INFO_V1(uscc_to_text);
Datum
uscc_to_text(PG_FUNCTION_ARGS)
{
	char		out[USCC_LEN];

	uscc_unpack(PG_GETARG_USCC(0), out);
	PG_RETURN_TEXT_P(cstring_to_text_with_len(out, USCC_LEN));
}

/* ---------- comparison, hashing, sortsupport ---------- */

/* byte order of the 18 characters (legacy codes included) */
static inline int
uscc_cmp_internal(const uint8 *a, const uint8 *b)
{
	return uscc_packed_cmp(a, b);
}

#define USCC_CMP_FN(name, expr) \
PG_FUNCTION_INFO_V1(name); \
Datum \
name(PG_FUNCTION_ARGS) \
{ \
	int			c = uscc_cmp_internal(PG_GETARG_USCC(0), PG_GETARG_USCC(1)); \
	PG_RETURN_BOOL(expr); \
}

USCC_CMP_FN(uscc_eq, c == 0)
USCC_CMP_FN(uscc_ne, c != 0)
USCC_CMP_FN(uscc_lt, c < 0)
USCC_CMP_FN(uscc_le, c <= 0)
USCC_CMP_FN(uscc_gt, c > 0)
USCC_CMP_FN(uscc_ge, c >= 0)

PG_FUNCTION_INFO_V1(uscc_smaller);
Datum
uscc_smaller(PG_FUNCTION_ARGS)
{
	Datum		a = PG_GETARG_DATUM(0);
	Datum		b = PG_GETARG_DATUM(1);

	PG_RETURN_DATUM(uscc_cmp_internal(DatumGetUscc(a), DatumGetUscc(b)) <= 0 ? a : b);
}

PG_FUNCTION_INFO_V1(uscc_larger);
Datum
uscc_larger(PG_FUNCTION_ARGS)
{
	Datum		a = PG_GETARG_DATUM(0);
	Datum		b = PG_GETARG_DATUM(1);

	PG_RETURN_DATUM(uscc_cmp_internal(DatumGetUscc(a), DatumGetUscc(b)) >= 0 ? a : b);
}

PG_FUNCTION_INFO_V1(uscc_cmp);
Datum
uscc_cmp(PG_FUNCTION_ARGS)
{
	int			c = uscc_cmp_internal(PG_GETARG_USCC(0), PG_GETARG_USCC(1));

	PG_RETURN_INT32(c < 0 ? -1 : (c > 0 ? 1 : 0));
}

PG_FUNCTION_INFO_V1(uscc_hash);
Datum
uscc_hash(PG_FUNCTION_ARGS)
{
	return hash_any(PG_GETARG_USCC(0), USCC_PACKED_LEN);
}

PG_FUNCTION_INFO_V1(uscc_hash_extended);
Datum
uscc_hash_extended(PG_FUNCTION_ARGS)
{
	return hash_any_extended(PG_GETARG_USCC(0), USCC_PACKED_LEN,
							 PG_GETARG_INT64(1));
}

static int
uscc_fastcmp(Datum x, Datum y, SortSupport ssup)
{
	return uscc_cmp_internal(DatumGetUscc(x), DatumGetUscc(y));
}

#if SIZEOF_DATUM >= 8
/*
 * Abbreviated key: the first 8 packed bytes as a big-endian integer, i.e. the
 * department, category, region and the first 7 organisation-code characters.
 * That is 64 of the 75 significant bits, so abbreviation cannot lose against
 * the full comparison and is never aborted.
 */
static Datum
uscc_abbrev_convert(Datum original, SortSupport ssup)
{
	uint64		v;

	memcpy(&v, DatumGetUscc(original), sizeof(v));
	return UInt64GetDatum(pg_ntoh64(v));
}

static bool
uscc_abbrev_abort(int memtupcount, SortSupport ssup)
{
	return false;
}

#if PG_VERSION_NUM < 150000
static int
ssup_datum_unsigned_cmp(Datum x, Datum y, SortSupport ssup)
{
	return (x > y) - (x < y);
}
#endif
#endif

PG_FUNCTION_INFO_V1(uscc_sortsupport);
Datum
uscc_sortsupport(PG_FUNCTION_ARGS)
{
	SortSupport ssup = (SortSupport) PG_GETARG_POINTER(0);

	ssup->comparator = uscc_fastcmp;
#if SIZEOF_DATUM >= 8
	if (ssup->abbreviate)
	{
		ssup->comparator = ssup_datum_unsigned_cmp;
		ssup->abbrev_converter = uscc_abbrev_convert;
		ssup->abbrev_abort = uscc_abbrev_abort;
		ssup->abbrev_full_comparator = uscc_fastcmp;
	}
#endif
	PG_RETURN_VOID();
}

/* ---------- functions that never raise on bad text ---------- */

PG_FUNCTION_INFO_V1(uscc_is_valid_text);
Datum
uscc_is_valid_text(PG_FUNCTION_ARGS)
{
	text	   *t = PG_GETARG_TEXT_PP(0);
	uint8		packed[USCC_PACKED_LEN];

	PG_RETURN_BOOL(uscc_parse_server(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t),
									 packed, false, false, NULL));
}

PG_FUNCTION_INFO_V1(try_uscc);
Datum
try_uscc(PG_FUNCTION_ARGS)
{
	text	   *t = PG_GETARG_TEXT_PP(0);
	uint8	   *res = palloc(USCC_PACKED_LEN);

	if (!uscc_parse_server(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t), res, false, false, NULL))
	{
		pfree(res);
		PG_RETURN_NULL();
	}
	PG_RETURN_POINTER(res);
}

PG_FUNCTION_INFO_V1(uscc_check_char_text);
Datum
uscc_check_char_text(PG_FUNCTION_ARGS)
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
	c = uscc_check_char(body);
	if (c == '\0')
		PG_RETURN_NULL();
	PG_RETURN_TEXT_P(cstring_to_text_with_len(&c, 1));
}

PG_FUNCTION_INFO_V1(uscc_problems_text);
Datum
uscc_problems_text(PG_FUNCTION_ARGS)
{
	text	   *t;
	bool		strict;
	credit_norm n;
	credit_norm_status st;
	unsigned	flags;
	const char *items[lengthof(uscc_problem_codes)];
	int			k = 0;
	int			i;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	t = PG_GETARG_TEXT_PP(0);
	strict = !PG_ARGISNULL(1) && PG_GETARG_BOOL(1);

	if (!credit_normalize_server(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t), &n, &st))
		/* too long for a code, or not text at all */
		flags = st == CREDIT_NORM_TOO_LONG ? CREDIT_PB_LENGTH : CREDIT_PB_CHARACTER;
	else
		flags = uscc_problems(&n, strict);
	for (i = 0; i < (int) lengthof(uscc_problem_codes); i++)
		if (flags & uscc_problem_codes[i].flag)
			items[k++] = uscc_problem_codes[i].code;
	return credit_text_array(items, k);
}

/* ---------- legacy pilot codes ---------- */

PG_FUNCTION_INFO_V1(uscc_legacy);
Datum
uscc_legacy(PG_FUNCTION_ARGS)
{
	return uscc_from_text_internal(fcinfo, true);
}

PG_FUNCTION_INFO_V1(uscc_is_legacy);
Datum
uscc_is_legacy(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(uscc_packed_is_legacy(PG_GETARG_USCC(0)));
}

/* ---------- uscc_info ---------- */

PG_FUNCTION_INFO_V1(uscc_info);
Datum
uscc_info(PG_FUNCTION_ARGS)
{
	char		s[USCC_LEN];
	TupleDesc	tupdesc;
	Datum		values[8];
	bool		nulls[8] = {false};
	const credit_department *dep;
	const credit_category *cat;
	const credit_province *prov;

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	tupdesc = BlessTupleDesc(tupdesc);

	uscc_unpack(PG_GETARG_USCC(0), s);
	dep = credit_find_department((unsigned char) s[0]);
	cat = credit_find_category((unsigned char) s[0], (unsigned char) s[1]);
	prov = credit_find_province((unsigned char) s[2], (unsigned char) s[3],
								CREDIT_PROVINCE_USCC);

	values[0] = PointerGetDatum(cstring_to_text_with_len(&s[0], 1));
	if (dep)
		values[1] = CStringGetTextDatum(credit_utf8_to_server(dep->name));
	else
		nulls[1] = true;
	values[2] = PointerGetDatum(cstring_to_text_with_len(&s[1], 1));
	if (cat)
		values[3] = CStringGetTextDatum(credit_utf8_to_server(cat->name));
	else
		nulls[3] = true;
	values[4] = PointerGetDatum(cstring_to_text_with_len(&s[2], 6));
	values[5] = PointerGetDatum(cstring_to_text_with_len(&s[2], 2));
	if (prov)
		values[6] = CStringGetTextDatum(credit_utf8_to_server(prov->name));
	else
		nulls[6] = true;
	values[7] = PointerGetDatum(cstring_to_text_with_len(&s[8], 9));

	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}
