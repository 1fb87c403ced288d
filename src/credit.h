/*
 * credit.h
 *	  Declarations shared by the fmgr glue of the credit extension.
 */
#ifndef CREDIT_H
#define CREDIT_H

#include "postgres.h"
#include "fmgr.h"
#if PG_VERSION_NUM >= 160000
#include "varatt.h"				/* VARDATA_ANY and friends moved here in 16 */
#endif

/* the extension's own gettext domain, "credit-<major>" (as PL/pgSQL does) */
#undef TEXTDOMAIN
#define TEXTDOMAIN PG_TEXTDOMAIN("credit")
#include "nodes/nodes.h"

#include "ident_core.h"

/*
 * Messages are translatable as in PostgreSQL: ereport() texts go through the
 * extension's gettext domain (TEXTDOMAIN, "credit-<major>", set by the
 * Makefile and bound in _PG_init); texts built before ereport() are
 * translated with CT_() / CTN_() and passed on as internal details.
 */
#ifdef ENABLE_NLS
#define CT_(x) dgettext(TEXTDOMAIN, x)
#define CTN_(s, p, n) dngettext(TEXTDOMAIN, s, p, n)
#else
#define CT_(x) (x)
#define CTN_(s, p, n) ((n) == 1 ? (s) : (p))
#endif

/*
 * Soft errors (PG 16+): errsave() records the error in an ErrorSaveContext
 * when the caller gave one (pg_input_is_valid, COPY ... ON_ERROR) and throws
 * otherwise.  Before 16 there is no such context and we always throw.
 */
#if PG_VERSION_NUM >= 160000
#include "nodes/miscnodes.h"
#define credit_errsave(escontext, ...) errsave(escontext, __VA_ARGS__)
#else
#define credit_errsave(escontext, ...) \
	do { (void) (escontext); ereport(ERROR, __VA_ARGS__); } while (0)
#endif

/*
 * Normalise text in the server encoding.  Returns false when the input cannot
 * be normalised at all (it then cannot be a valid code); *status says why.
 */
extern bool credit_normalize_server(const char *s, int len, credit_norm *out,
									credit_norm_status *status);

/*
 * The input as an error message shows it: all of it up to CREDIT_INPUT_MAX
 * bytes, else its first CREDIT_EXCERPT_BYTES bytes (whole characters) and
 * "...".
 */
#define CREDIT_EXCERPT_BYTES 40
extern char *credit_input_excerpt(const char *s, int len);

/*
 * Report invalid input text for one of the identifier types: SQLSTATE 22P02,
 * errmsg naming the type and the input, the given detail and optional hint
 * (already formatted).  Soft error where escontext allows (PG 16+), else
 * throws.
 */
extern void credit_invalid_input(Node *escontext, const char *typname,
								 const char *input, const char *detail,
								 const char *hint);

/* a code point for a message: "O", or "中" (U+4E2D), or U+200B */
extern char *credit_describe_char(uint32_t cp);

/* UTF-8 reference-data string converted to the server encoding */
extern char *credit_utf8_to_server(const char *s);

/* the owner of a relation (the extension's code runs or checks with its rights) */
extern Oid	credit_rel_owner(Oid relid);

/* the problem code of one CREDIT_PB_* flag of uscc_problems (uscc.c) */
extern const char *credit_uscc_problem_code(unsigned flag);

/* build a text[] from a list of C strings */
extern Datum credit_text_array(const char **items, int n);

/* ---- reading the extension's tables from C (no SPI) ---- */
#include "access/attnum.h"
#include "executor/tuptable.h"
#include "utils/relcache.h"
#include "utils/tuplestore.h"

/* Citus (citus.c): a shard's logical table (relid itself if not a shard), and
 * the name to read a configuration table by on this node (its local
 * placement when it is a reference table) */
extern Oid	credit_logical_relid(Oid relid);
extern char *credit_local_table(const char *relname);
extern Oid	credit_local_relid(const char *relname);
extern bool credit_relid_distributed(Oid relid);
extern Oid	credit_local_shard(Oid logical, int64 key, int32 *lo, int32 *hi);
extern int32 credit_shard_hash(int64 key);

/* this backend's local transaction id (moved in 17) */
#include "storage/proc.h"
#if PG_VERSION_NUM >= 170000
#define MY_LXID (MyProc->vxid.lxid)
#else
#define MY_LXID (MyProc->lxid)
#endif

/* the OID of relation credit.<name> (nsp: the schema credit); raises if missing */
extern Oid	credit_rel_oid(Oid nsp, const char *name);
/* the number of a column of a credit table; raises if missing */
extern AttrNumber credit_attnum(Oid rel, const char *name);

/* an index scan of rel with nkeys keys, in the active snapshot (the API moved in 18 and 19) */
#include "access/genam.h"
extern IndexScanDesc credit_index_beginscan(Relation rel, Relation idx, int nkeys);
/* a sequential scan of rel in the active snapshot (the API moved in 19) */
#include "access/relscan.h"
extern TableScanDesc credit_table_beginscan(Relation rel);

/*
 * Visit every row of rel visible to the active snapshot whose first index
 * column equals key (eqproc: the type's equality function), in index order,
 * through index indexid.  The callback gets the slot with the attributes up
 * to maxatt deformed; the slot is left empty (no buffer pin held).
 */
typedef void (*credit_row_callback) (TupleTableSlot *slot, void *arg);
extern void credit_scan_index_eq(Relation rel, TupleTableSlot *slot, Oid indexid,
								 RegProcedure eqproc, Datum key, int maxatt,
								 credit_row_callback cb, void *arg);
extern void credit_scan_index_keys(Relation rel, TupleTableSlot *slot, Oid indexid, int nkeys,
								   ScanKey keys, int maxatt, credit_row_callback cb, void *arg);

/*
 * A set-returning function in materialise mode: its tuplestore (rows go in
 * with tuplestore_putvalues; past maxKBytes, usually work_mem, they go to a
 * temporary file) and, in *tupdesc, its result row type.
 */
extern Tuplestorestate *credit_srf_begin(FunctionCallInfo fcinfo, TupleDesc *tupdesc, int maxKBytes);

/* ---- GUCs (credit.c) ---- */
typedef enum CreditCoverage
{
	CREDIT_COVERAGE_WARNING,
	CREDIT_COVERAGE_ERROR,
	CREDIT_COVERAGE_IGNORE
} CreditCoverage;

extern int	credit_calendar_coverage;	/* credit.calendar_coverage */
extern char *credit_default_ruleset;	/* credit.default_ruleset */

/*
 * Dates the system accepts for decisions, repairs and batch jobs (SPEC §3,
 * "dates are checked for sense"): from the founding of the People's Republic
 * (1949-10-01) to 9999-12-31, as DateADT (days from 2000-01-01).
 */
#define CREDIT_DATE_FLOOR	(-18354)
#define CREDIT_DATE_CEILING	2921939

/* ---- calendar.c ---- */
#include "utils/date.h"
extern void credit_calendar_invalidate(void);
extern bool credit_is_working_day(DateADT d);
extern DateADT credit_add_working_days(DateADT d, int32 n);

/* ---- publicity.c ---- */
extern void credit_rules_invalidate(void);
extern void credit_register_invalidation(void);
/* resolve the relids of the configuration tables whose changes drop caches */
extern void credit_watch_relids(void);
/*
 * The ruleset to use: the given one, or when NULL the default ruleset
 * (credit.default_ruleset) -- or the one it replaced if the decision was
 * taken before the default came into force.
 */
extern const char *credit_resolve_ruleset(const char *ruleset, int *len, DateADT decided);

/* ---- audit.c ---- */
extern bool credit_audit_pause;			/* credit.audit_pause */
extern bool credit_drop_with_data;		/* credit.drop_with_data */

/* ---- sealer.c ---- */
extern int	credit_audit_seal_interval; /* credit.audit_seal_interval, seconds */
extern void credit_sealer_register(void);
extern void credit_audit_register(void);

#endif							/* CREDIT_H */
