/*
 * access.c
 *	  The row-level-security test (credit.may_access) and its form for the
 *	  extension's SECURITY DEFINER code (credit.caller_may_access).
 *
 * A role may read and write the rows of an authority when it is a member of
 * credit_admin, or of a role that credit.operator_authority maps to the
 * authority.  In C rather than SQL so that it works where Citus evaluates a
 * policy: on a shard, inside a query the coordinator pushed down, where a
 * query of a Citus table is refused ("cannot execute a distributed query
 * from a query on a shard").  It reads this node's placement of
 * operator_authority (a reference table on a cluster, copied to every node)
 * and asks PostgreSQL's role-membership cache, never pg_authid (which Citus
 * would check with the caller's rights).
 */
#include "credit.h"

#include "access/heapam.h"
#include "access/htup_details.h"
#include "access/table.h"
#include "access/tableam.h"
#include "miscadmin.h"
#include "utils/guc.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/snapmgr.h"
#include "utils/varlena.h"

/* operator_authority's columns: role_name regrole, authority text */
#define OA_ROLE			1
#define OA_AUTHORITY	2

/* the relation to read, looked up once per query (fn_extra) */
static Oid
oa_relid(FunctionCallInfo fcinfo)
{
	Oid		   *cached = (Oid *) fcinfo->flinfo->fn_extra;

	if (cached == NULL)
	{
		cached = MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, sizeof(Oid));
		*cached = credit_local_relid("operator_authority");
		fcinfo->flinfo->fn_extra = cached;
	}
	return *cached;
}

static bool
role_may_access(FunctionCallInfo fcinfo, Oid roleid, text *authority)
{
	Oid			admin = get_role_oid("credit_admin", true);
	Oid			relid;
	Relation	rel;
	TableScanDesc scan;
	HeapTuple	tup;
	bool		ok = false;

	if (OidIsValid(admin) && is_member_of_role(roleid, admin))
		return true;
	if (authority == NULL || !OidIsValid(relid = oa_relid(fcinfo)))
		return false;

	/* a handful of rows: a sequential scan */
	rel = table_open(relid, AccessShareLock);
	scan = table_beginscan(rel, GetActiveSnapshot(), 0, NULL);
	while (!ok && (tup = heap_getnext(scan, ForwardScanDirection)) != NULL)
	{
		bool		isnull;
		Datum		a = heap_getattr(tup, OA_AUTHORITY, RelationGetDescr(rel), &isnull);
		Datum		r;

		text	   *t;

		if (isnull)
			continue;
		t = DatumGetTextPP(a);
		/* = under a deterministic collation: the same bytes */
		if (VARSIZE_ANY_EXHDR(t) != VARSIZE_ANY_EXHDR(authority) ||
			memcmp(VARDATA_ANY(t), VARDATA_ANY(authority), VARSIZE_ANY_EXHDR(t)) != 0)
			continue;
		r = heap_getattr(tup, OA_ROLE, RelationGetDescr(rel), &isnull);
		ok = !isnull && is_member_of_role(roleid, DatumGetObjectId(r));
	}
	table_endscan(scan);
	table_close(rel, AccessShareLock);
	return ok;
}

/* credit.may_access(authority text) → boolean, for the current user */
PG_FUNCTION_INFO_V1(credit_may_access);
Datum
credit_may_access(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(role_may_access(fcinfo, GetUserId(),
								   PG_ARGISNULL(0) ? NULL : PG_GETARG_TEXT_PP(0)));
}

/*
 * credit.caller_may_access(authority text) → boolean, for the caller
 * (credit.caller(): SET ROLE's role, else the session user) inside the
 * extension's SECURITY DEFINER code, where the current user is the owner.
 */
PG_FUNCTION_INFO_V1(credit_caller_may_access);
Datum
credit_caller_may_access(PG_FUNCTION_ARGS)
{
	const char *role = GetConfigOption("role", false, false);
	Oid			caller = (role == NULL || strcmp(role, "none") == 0)
		? GetSessionUserId() : get_role_oid(role, false);

	if (superuser_arg(caller))
		PG_RETURN_BOOL(true);
	PG_RETURN_BOOL(role_may_access(fcinfo, caller,
								   PG_ARGISNULL(0) ? NULL : PG_GETARG_TEXT_PP(0)));
}
