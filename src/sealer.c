/*
 * sealer.c
 *	  Automatic sealing of the audit log by a background worker.
 *
 * When credit is in shared_preload_libraries, a launcher worker wakes every
 * credit.audit_seal_interval (default 10 s; 0 = off), lists the databases
 * that accept connections and starts, one after the other, a short-lived
 * worker in each that runs credit.audit_seal() where the extension is
 * installed and writes every new block's digest to the server log.  The
 * launcher is restarted by the postmaster after a crash (bgw_restart_time);
 * a seal is one transaction, so a crash loses nothing: the rows it had not
 * sealed are sealed by the next one.  Without preloading nothing of this
 * runs, and sealing is manual (README: a cron line).
 */
#include "credit.h"

#include "access/heapam.h"
#include "access/htup_details.h"
#include "access/table.h"
#include "access/tableam.h"
#include "access/xact.h"
#include "catalog/pg_database.h"
#include "commands/dbcommands.h"
#include "commands/extension.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "pgstat.h"
#include "postmaster/bgworker.h"
#include "postmaster/interrupt.h"
#include "storage/ipc.h"
#include "storage/latch.h"
#include "storage/proc.h"
#include "tcop/tcopprot.h"
#include "utils/builtins.h"
#include "utils/backend_status.h"
#include "utils/guc.h"
#include "utils/lsyscache.h"		/* get_database_name (here from 19) */
#include "utils/memutils.h"
#include "utils/snapmgr.h"
#include "utils/wait_event.h"

/* GUC credit.audit_seal_interval, seconds */
int			credit_audit_seal_interval = 10;

PGDLLEXPORT void credit_sealer_launcher_main(Datum arg);
PGDLLEXPORT void credit_sealer_db_main(Datum arg);

void
credit_sealer_register(void)
{
	BackgroundWorker w;

	memset(&w, 0, sizeof(w));
	w.bgw_flags = BGWORKER_SHMEM_ACCESS | BGWORKER_BACKEND_DATABASE_CONNECTION;
	w.bgw_start_time = BgWorkerStart_RecoveryFinished;
	w.bgw_restart_time = 10;
	snprintf(w.bgw_library_name, BGW_MAXLEN, "credit");
	snprintf(w.bgw_function_name, BGW_MAXLEN, "credit_sealer_launcher_main");
	snprintf(w.bgw_name, BGW_MAXLEN, "credit audit sealer launcher");
	snprintf(w.bgw_type, BGW_MAXLEN, "credit audit sealer");
	RegisterBackgroundWorker(&w);
}

/* the databases that accept connections (not templates) */
static List *
sealable_databases(void)
{
	List	   *dbs = NIL;
	Relation	rel;
	TableScanDesc scan;
	HeapTuple	tup;
	MemoryContext outer = CurrentMemoryContext;

	SetCurrentStatementStartTimestamp();
	StartTransactionCommand();
	rel = table_open(DatabaseRelationId, AccessShareLock);
	scan = table_beginscan_catalog(rel, 0, NULL);
	while ((tup = heap_getnext(scan, ForwardScanDirection)) != NULL)
	{
		Form_pg_database db = (Form_pg_database) GETSTRUCT(tup);
		MemoryContext old;

		if (!db->datallowconn || db->datistemplate)
			continue;
		old = MemoryContextSwitchTo(outer);
		dbs = lappend_oid(dbs, db->oid);
		MemoryContextSwitchTo(old);
	}
	table_endscan(scan);
	table_close(rel, AccessShareLock);
	CommitTransactionCommand();
	return dbs;
}

/* start the sealing worker of one database and wait until it has finished */
static void
seal_database(Oid dboid)
{
	BackgroundWorker w;
	BackgroundWorkerHandle *handle;
	pid_t		pid;

	memset(&w, 0, sizeof(w));
	w.bgw_flags = BGWORKER_SHMEM_ACCESS | BGWORKER_BACKEND_DATABASE_CONNECTION;
	w.bgw_start_time = BgWorkerStart_RecoveryFinished;
	w.bgw_restart_time = BGW_NEVER_RESTART;
	snprintf(w.bgw_library_name, BGW_MAXLEN, "credit");
	snprintf(w.bgw_function_name, BGW_MAXLEN, "credit_sealer_db_main");
	snprintf(w.bgw_name, BGW_MAXLEN, "credit audit sealer for database %u", dboid);
	snprintf(w.bgw_type, BGW_MAXLEN, "credit audit sealer");
	w.bgw_main_arg = ObjectIdGetDatum(dboid);
	w.bgw_notify_pid = MyProcPid;
	if (!RegisterDynamicBackgroundWorker(&w, &handle))
	{
		ereport(LOG,
				(errmsg("credit: no background worker slot free to seal database %u", dboid),
				 errhint("Increase max_worker_processes.")));
		return;
	}
	if (WaitForBackgroundWorkerStartup(handle, &pid) != BGWH_STARTED)
		return;
	(void) WaitForBackgroundWorkerShutdown(handle);
}

void
credit_sealer_launcher_main(Datum arg)
{
	pqsignal(SIGHUP, SignalHandlerForConfigReload);
	pqsignal(SIGTERM, die);
	BackgroundWorkerUnblockSignals();
	/* no database: pg_database is a shared catalog */
	BackgroundWorkerInitializeConnection(NULL, NULL, 0);
	ereport(LOG,
			(errmsg("credit: audit sealer started, sealing every %d s", credit_audit_seal_interval)));

	for (;;)
	{
		long		wait_ms = credit_audit_seal_interval > 0 ? credit_audit_seal_interval * 1000L : 60000L;

		(void) WaitLatch(MyLatch, WL_LATCH_SET | WL_TIMEOUT | WL_EXIT_ON_PM_DEATH, wait_ms,
						 PG_WAIT_EXTENSION);
		ResetLatch(MyLatch);
		CHECK_FOR_INTERRUPTS();
		if (ConfigReloadPending)
		{
			ConfigReloadPending = false;
			ProcessConfigFile(PGC_SIGHUP);
		}
		if (credit_audit_seal_interval <= 0)
			continue;
		{
			List	   *dbs = sealable_databases();
			ListCell   *lc;

			foreach(lc, dbs)
			{
				CHECK_FOR_INTERRUPTS();
				seal_database(lfirst_oid(lc));
			}
			list_free(dbs);
		}
	}
}

void
credit_sealer_db_main(Datum arg)
{
	Oid			dboid = DatumGetObjectId(arg);
	uint64		i;

	pqsignal(SIGTERM, die);
	BackgroundWorkerUnblockSignals();
	BackgroundWorkerInitializeConnectionByOid(dboid, InvalidOid, 0);

	SetCurrentStatementStartTimestamp();
	StartTransactionCommand();
	PushActiveSnapshot(GetTransactionSnapshot());
	if (OidIsValid(get_extension_oid("credit", true)))
	{
		if (SPI_connect() != SPI_OK_CONNECT)
			elog(ERROR, "SPI_connect failed");
		pgstat_report_activity(STATE_RUNNING, "SELECT credit.audit_seal()");
		if (SPI_execute("SELECT s.block_id, s.row_count, s.block_hash FROM credit.audit_seal() s", false, 0)
			!= SPI_OK_SELECT)
			elog(ERROR, "credit.audit_seal() failed");
		for (i = 0; i < SPI_processed; i++)
		{
			HeapTuple	tup = SPI_tuptable->vals[i];
			TupleDesc	td = SPI_tuptable->tupdesc;

			ereport(LOG,
					(errmsg("credit: sealed audit block %s (%s rows) in database \"%s\"; digest %s:%s",
							SPI_getvalue(tup, td, 1), SPI_getvalue(tup, td, 2),
							get_database_name(MyDatabaseId),
							SPI_getvalue(tup, td, 1), SPI_getvalue(tup, td, 3))));
		}
		SPI_finish();
		pgstat_report_activity(STATE_IDLE, NULL);
	}
	PopActiveSnapshot();
	CommitTransactionCommand();
	proc_exit(0);
}
