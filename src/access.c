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
 * once per query and asks PostgreSQL's role-membership cache, never
 * pg_authid (which Citus would check with the caller's rights).
 */
#include "credit.h"

#include "access/heapam.h"
#include "access/htup_details.h"
#include "access/table.h"
#include "access/tableam.h"
#include "access/xact.h"
#include "miscadmin.h"
#include "storage/proc.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/snapmgr.h"
#include "utils/varlena.h"


/* operator_authority's columns: role_name regrole, authority text */
#define OA_ROLE			1
#define OA_AUTHORITY	2

/*
 * What a role may access, worked out once per call site and command
 * (fn_extra): a policy calls the test for every row, and neither the role's
 * memberships nor what the command sees of operator_authority change while
 * it runs.  Keyed by the transaction and command too: PL/pgSQL keeps a
 * simple expression's call site for the whole transaction, across commands
 * that may change operator_authority or memberships.
 */
typedef struct AccessCache
{
	Oid			roleid;			/* whose; InvalidOid: nothing cached yet */
	LocalTransactionId lxid;	/* when */
	CommandId	cid;
	bool		admin;			/* a member of credit_admin: every authority */
	int			nauth,
				cap;
	text	  **auth;			/* else the authorities it is mapped to */
} AccessCache;

static AccessCache *
access_of(FunctionCallInfo fcinfo, Oid roleid)
{
	AccessCache *c = (AccessCache *) fcinfo->flinfo->fn_extra;
	Oid			admin;
	Oid			relid;
	Relation	rel;
	TableScanDesc scan;
	HeapTuple	tup;

	if (c == NULL)
	{
		c = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(AccessCache));
		fcinfo->flinfo->fn_extra = c;
	}
	if (c->roleid == roleid && OidIsValid(roleid) && c->lxid == MY_LXID &&
		c->cid == GetCurrentCommandId(false))
		return c;
	c->roleid = roleid;
	c->lxid = MY_LXID;
	c->cid = GetCurrentCommandId(false);
	while (c->nauth > 0)
		pfree(c->auth[--c->nauth]);
	admin = get_role_oid("credit_admin", true);
	c->admin = OidIsValid(admin) && is_member_of_role(roleid, admin);
	/* this node's copy of operator_authority (a handful of rows) */
	if (c->admin || !OidIsValid(relid = credit_local_relid("operator_authority")))
		return c;
	if (c->auth == NULL)
	{
		c->cap = 8;
		c->auth = MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, sizeof(text *) * c->cap);
	}
	rel = table_open(relid, AccessShareLock);
	scan = table_beginscan(rel, GetActiveSnapshot(), 0, NULL);
	while ((tup = heap_getnext(scan, ForwardScanDirection)) != NULL)
	{
		bool		anull,
					rnull;
		Datum		a = heap_getattr(tup, OA_AUTHORITY, RelationGetDescr(rel), &anull);
		Datum		r = heap_getattr(tup, OA_ROLE, RelationGetDescr(rel), &rnull);

		if (anull || rnull || !is_member_of_role(roleid, DatumGetObjectId(r)))
			continue;
		if (c->nauth == c->cap)
		{
			c->cap *= 2;
			c->auth = repalloc(c->auth, sizeof(text *) * c->cap);
		}
		{
			MemoryContext old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);

			c->auth[c->nauth++] = DatumGetTextPCopy(a);	/* detoasted, kept for the query */
			MemoryContextSwitchTo(old);
		}
	}
	table_endscan(scan);
	table_close(rel, AccessShareLock);
	return c;
}

static bool
role_may_access(FunctionCallInfo fcinfo, Oid roleid, text *authority)
{
	AccessCache *c = access_of(fcinfo, roleid);

	if (c->admin)
		return true;
	if (authority == NULL)
		return false;
	for (int i = 0; i < c->nauth; i++)
	{
		text	   *t = c->auth[i];

		/* = under a deterministic collation: the same bytes */
		if (VARSIZE_ANY_EXHDR(t) == VARSIZE_ANY_EXHDR(authority) &&
			memcmp(VARDATA_ANY(t), VARDATA_ANY(authority), VARSIZE_ANY_EXHDR(t)) == 0)
			return true;
	}
	return false;
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
