-- Scale-out on Citus (SPEC §10).
--
-- The configuration tables (calendar, rules, models, catalogues, the
-- authority map) become Citus reference tables: one copy on every node,
-- changed from the coordinator in one transaction, read locally by the
-- caches and the triggers that run on shards (credit.distribute_configuration).
-- The data tables are distributed by subject, co-located, and the codes'
-- lookups by the code (credit.distribute, which does the configuration
-- first).  Each node keeps its own audit log.

-- the configuration tables: no per-subject data, not the per-node audit log
CREATE OR REPLACE FUNCTION credit.configuration_tables() RETURNS SETOF regclass
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
    SELECT c.oid::regclass
    FROM pg_catalog.pg_class c
    WHERE c.relnamespace = 'credit'::regnamespace AND c.relkind = 'r'
      AND c.relname NOT IN ('audit_log', 'audit_block')
      AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_attribute a
                      WHERE a.attrelid = c.oid AND a.attname = 'subject_id' AND NOT a.attisdropped)
    ORDER BY c.relname $$;
COMMENT ON FUNCTION credit.configuration_tables() IS
    'the extension''s configuration tables (no subject_id column; not audit_log or audit_block, which each node keeps for itself): what credit.distribute_configuration makes Citus reference tables';

-- what every cluster-wide function needs first: Citus in this database, on
-- a coordinator that is in the metadata (it holds a copy of the reference
-- tables and reaches every node)
CREATE OR REPLACE FUNCTION credit.require_citus() RETURNS void
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_extension e WHERE e.extname = 'citus') THEN
        RAISE EXCEPTION USING ERRCODE = 'feature_not_supported',
            MESSAGE = credit.tr('citus is not installed in this database'),
            HINT = credit.tr('Install Citus, add citus to shared_preload_libraries and run CREATE EXTENSION citus on the coordinator and every worker.');
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_dist_node n WHERE n.groupid = 0) THEN
        RAISE EXCEPTION USING ERRCODE = 'object_not_in_prerequisite_state',
            MESSAGE = credit.tr('the coordinator is not in the Citus metadata'),
            HINT = credit.tr('Run SELECT citus_set_coordinator_host(''host'', port) on the coordinator first: reference tables need a copy there.');
    END IF;
END $$;
COMMENT ON FUNCTION credit.require_citus() IS
    'internal: raises unless Citus is installed in this database and the coordinator is in its metadata (citus_set_coordinator_host); the cluster-wide functions call it first';

-- The settings of a conversion, SET LOCAL here and on every node the
-- transaction reaches (Citus passes SET LOCAL on only inside a transaction
-- block or a function called from a query: the callers PERFORM this, one
-- query level down, so it works in a bare SELECT too).  on_ = false puts
-- session_replication_role back, so the rest of the caller's transaction
-- fires triggers again.  No SET clause: the settings must outlive this call.
CREATE OR REPLACE FUNCTION credit.citus_conversion_settings(on_ boolean) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE $s$SET LOCAL citus.propagate_set_commands = 'local'$s$;
    IF on_ THEN
        -- triggers are kept (they fire on the shards); rows are copied
        -- without firing them (replica): the builtin rows reach every node
        -- and the copy is not logged again
        EXECUTE $s$SET LOCAL citus.enable_unsafe_triggers = on$s$;
        -- the data tables that refer to configuration tables stay local
        -- tables meanwhile (Citus would convert them, and fail on the
        -- workers' copies)
        EXECUTE $s$SET LOCAL citus.enable_local_reference_table_foreign_keys = off$s$;
        EXECUTE $s$SET LOCAL citus.multi_shard_modify_mode = 'sequential'$s$;
        EXECUTE $s$SET LOCAL session_replication_role = replica$s$;
    ELSE
        EXECUTE $s$SET LOCAL session_replication_role = origin$s$;
    END IF;
END $$;
REVOKE EXECUTE ON FUNCTION credit.citus_conversion_settings(boolean) FROM PUBLIC;
COMMENT ON FUNCTION credit.citus_conversion_settings(boolean) IS
    'internal: SET LOCAL of the settings credit.distribute_configuration and credit.distribute convert tables with (true), on this node and the nodes the transaction reaches; false sets session_replication_role back to origin everywhere';

-- The tables not yet known to Citus, in an order Citus can convert them
-- in: each after the tables its foreign keys refer to (which must be in the
-- list or Citus tables already).
CREATE OR REPLACE FUNCTION credit.citus_conversion_order(tables regclass[]) RETURNS SETOF regclass
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    pending regclass[] := ARRAY(SELECT c FROM unnest(tables) c
                                WHERE NOT EXISTS (SELECT 1 FROM pg_catalog.pg_dist_partition p WHERE p.logicalrelid = c));
    done    regclass[] := '{}';
    ready   regclass[];
BEGIN
    WHILE cardinality(pending) > 0 LOOP
        ready := ARRAY(SELECT c FROM unnest(pending) c
                       WHERE NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint k
                                         WHERE k.conrelid = c AND k.contype = 'f' AND k.confrelid <> c
                                           AND k.confrelid <> ALL (done)
                                           AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_dist_partition p
                                                           WHERE p.logicalrelid = k.confrelid)));
        IF cardinality(ready) = 0 THEN
            RAISE EXCEPTION USING ERRCODE = 'object_not_in_prerequisite_state',
                MESSAGE = credit.tr('tables refer to tables that are not distributed'),
                DETAIL = format(credit.tr('Waiting: %s.'), pending::text);
        END IF;
        RETURN QUERY SELECT c FROM unnest(ready) c;
        done := done || ready;
        pending := ARRAY(SELECT c FROM unnest(pending) c WHERE c <> ALL (ready));
    END LOOP;
END $$;
REVOKE EXECUTE ON FUNCTION credit.citus_conversion_order(regclass[]) FROM PUBLIC;
COMMENT ON FUNCTION credit.citus_conversion_order(regclass[]) IS
    'internal: the given tables that are not Citus tables yet, each after those its foreign keys refer to (credit.distribute_configuration, credit.distribute)';

CREATE OR REPLACE FUNCTION credit.distribute_configuration()
RETURNS TABLE (table_name regclass, converted boolean)
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v        text := (SELECT e.extversion FROM pg_catalog.pg_extension e WHERE e.extname = 'credit');
    bad      text;
    t        regclass;
BEGIN
    PERFORM credit.require_citus();
    IF NOT (SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.rolname = current_user) THEN
        RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege',
            MESSAGE = credit.tr('distributing the extension''s tables needs a superuser'),
            DETAIL = credit.tr('The builtin rows are copied to every node past their protection, which only a superuser may do.');
    END IF;
    -- every worker has the extension, at this version
    SELECT string_agg(format('%s:%s (%s)', w.nodename, w.nodeport, CASE WHEN w.success THEN coalesce(nullif(w.result, ''), 'not installed') ELSE w.result END), ', ')
    INTO bad
    FROM pg_catalog.run_command_on_workers($q$SELECT coalesce((SELECT extversion FROM pg_catalog.pg_extension WHERE extname = 'credit'), '')$q$) w
    WHERE NOT w.success OR w.result IS DISTINCT FROM v;
    IF bad IS NOT NULL THEN
        RAISE EXCEPTION USING ERRCODE = 'object_not_in_prerequisite_state',
            MESSAGE = credit.tr('credit is not installed at the same version on every worker'),
            DETAIL = format(credit.tr('The coordinator has %s; workers: %s.'), v, bad),
            HINT = credit.tr('Install the same release on every node and run CREATE EXTENSION credit (or ALTER EXTENSION credit UPDATE) in this database on each worker.');
    END IF;

    PERFORM credit.citus_conversion_settings(true);

    FOR t IN SELECT * FROM credit.citus_conversion_order(ARRAY(SELECT credit.configuration_tables())) LOOP
        PERFORM pg_catalog.create_reference_table(t);
        table_name := t; converted := true;
        RETURN NEXT;
    END LOOP;
    PERFORM credit.citus_conversion_settings(false);
    RETURN QUERY SELECT c, false FROM credit.configuration_tables() c
                 WHERE NOT EXISTS (SELECT 1 FROM pg_catalog.pg_dist_partition p WHERE p.logicalrelid = c AND p.partmethod = 'n');
END $$;
REVOKE EXECUTE ON FUNCTION credit.distribute_configuration() FROM PUBLIC;
COMMENT ON FUNCTION credit.distribute_configuration() IS
    'on a Citus coordinator (superuser): makes every configuration table (credit.configuration_tables) a reference table, referenced tables first, copying the rows (builtin ones included, without firing triggers or logging the copy); returns each table converted (true), and any configuration table still not a reference table (false); tables already converted are skipped';

-- the codes' lookups (credit.uscc_subject, credit.rid_subject, defined with
-- credit.subject) are dumped with the data (registered here, after the
-- tables of every earlier release, in the order an upgrade registers them)
SELECT pg_catalog.pg_extension_config_dump('credit.uscc_subject', '');
SELECT pg_catalog.pg_extension_config_dump('credit.rid_subject', '');

-- The data tables: every table of the extension with a subject_id column
-- (not the code lookups, which are distributed by the code)
CREATE OR REPLACE FUNCTION credit.data_tables() RETURNS SETOF regclass
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
    SELECT c.oid::regclass
    FROM pg_catalog.pg_class c
    WHERE c.relnamespace = 'credit'::regnamespace AND c.relkind = 'r'
      AND c.relname NOT IN ('uscc_subject', 'rid_subject')
      AND EXISTS (SELECT 1 FROM pg_catalog.pg_attribute a
                  WHERE a.attrelid = c.oid AND a.attname = 'subject_id' AND NOT a.attisdropped)
    ORDER BY c.relname $$;
COMMENT ON FUNCTION credit.data_tables() IS
    'the extension''s per-subject tables (a subject_id column; not the code lookups uscc_subject and rid_subject): what credit.distribute distributes by subject_id, co-located with credit.subject';

-- What changes on every node before the data tables are distributed: the
-- constraints a distributed table cannot keep (each node's own copy of the
-- extension's tables is the shell Citus uses, so they change everywhere).
-- Idempotent.
CREATE OR REPLACE FUNCTION credit.citus_prepare_node() RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    c record;
BEGIN
    -- (each only when still there: a DDL command on a distributed table is
    -- sent to every node, which would wait for this very transaction)
    FOR c IN SELECT k.conrelid::regclass AS tbl, k.conname
             FROM pg_catalog.pg_constraint k
             WHERE (k.conrelid, k.conname) IN (
                 -- codes are unique through uscc_subject / rid_subject instead
                 ('credit.subject'::regclass, 'subject_uscc_key'), ('credit.subject'::regclass, 'subject_rid_key'),
                 -- a record's id is unique by its sequence (writes through the coordinator)
                 ('credit.record'::regclass, 'record_id_key'),
                 -- the person of a relation is another subject, on another shard
                 ('credit.subject_relation'::regclass, 'subject_relation_person_subject_id_fkey'))
    LOOP
        EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', c.tbl, c.conname);
    END LOOP;
    -- a record is still found by its id alone (repair_eligibility(record_id),
    -- sanction_active): an index on each shard, probed by every task
    IF to_regclass('credit.record_by_id') IS NULL THEN
        CREATE INDEX record_by_id ON credit.record (record_id);
        COMMENT ON INDEX credit.record_by_id IS
            'on a Citus cluster (credit.distribute, in place of record_id_key): finds a record by record_id on each shard (repair_eligibility, sanction_active)';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_trigger g
                   WHERE g.tgrelid = 'credit.subject'::regclass AND g.tgname = 'subject_code_guard') THEN
        CREATE TRIGGER subject_code_guard BEFORE INSERT OR UPDATE OF uscc, rid ON credit.subject
            FOR EACH ROW EXECUTE FUNCTION credit.subject_code_guard();
        COMMENT ON TRIGGER subject_code_guard ON credit.subject IS
            'on a Citus cluster: subjects only through credit.register_subject, codes unchanged (credit.subject_code_guard)';
    END IF;
END $$;
REVOKE EXECUTE ON FUNCTION credit.citus_prepare_node() FROM PUBLIC;
COMMENT ON FUNCTION credit.citus_prepare_node() IS
    'internal, run by credit.distribute on every node: drops the constraints a distributed table cannot keep (UNIQUE (uscc), UNIQUE (rid), UNIQUE (record_id), the foreign key of subject_relation.person_subject_id), indexes record_id (credit.record_by_id) and adds credit.subject_code_guard';

CREATE OR REPLACE FUNCTION credit.distribute(shard_count integer DEFAULT NULL)
RETURNS TABLE (table_name regclass, kind text, converted boolean)
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    n        integer := shard_count;
    bad      text;
    t        regclass;
BEGIN
    PERFORM credit.require_citus();
    n := coalesce(n, pg_catalog.current_setting('citus.shard_count')::integer);
    IF n < 1 THEN
        RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
            MESSAGE = format(credit.tr('shard_count must be at least 1, not %s'), n);
    END IF;
    -- the configuration first (checks Citus, the caller, every worker's release)
    FOR table_name, converted IN SELECT * FROM credit.distribute_configuration() LOOP
        kind := 'reference';
        RETURN NEXT;
    END LOOP;

    -- every node: the constraints that cannot stay (before the first
    -- data table is distributed: the workers' copies are the shells)
    IF EXISTS (SELECT 1 FROM credit.data_tables() c WHERE NOT credit.citus_distributed(c)) THEN
        PERFORM credit.citus_prepare_node();
        SELECT string_agg(format('%s:%s (%s)', w.nodename, w.nodeport, w.result), ', ') INTO bad
        FROM pg_catalog.run_command_on_workers($q$SELECT credit.citus_prepare_node()$q$) w
        WHERE NOT w.success;
        IF bad IS NOT NULL THEN
            RAISE EXCEPTION USING ERRCODE = 'object_not_in_prerequisite_state',
                MESSAGE = credit.tr('could not prepare every worker'),
                DETAIL = format(credit.tr('Failed: %s.'), bad);
        END IF;
    END IF;

    PERFORM credit.citus_conversion_settings(true);
    -- the codes of the subjects there are, before their lookups are distributed
    IF NOT credit.citus_distributed('credit.uscc_subject') THEN
        INSERT INTO credit.uscc_subject (uscc, subject_id)
        SELECT s.uscc, s.subject_id FROM credit.subject s WHERE s.uscc IS NOT NULL
        ON CONFLICT DO NOTHING;
        INSERT INTO credit.rid_subject (rid, subject_id)
        SELECT s.rid, s.subject_id FROM credit.subject s WHERE s.rid IS NOT NULL
        ON CONFLICT DO NOTHING;
    END IF;

    -- subject first (the others are co-located with it), then every table
    -- after those it refers to
    IF NOT credit.citus_distributed('credit.subject') THEN
        PERFORM pg_catalog.create_distributed_table('credit.subject', 'subject_id', shard_count => n);
        table_name := 'credit.subject'; kind := 'distributed'; converted := true;
        RETURN NEXT;
    END IF;
    FOR t IN SELECT * FROM credit.citus_conversion_order(ARRAY(SELECT credit.data_tables())) LOOP
        PERFORM pg_catalog.create_distributed_table(t, 'subject_id', colocate_with => 'credit.subject');
        table_name := t; kind := 'distributed'; converted := true;
        RETURN NEXT;
    END LOOP;
    FOREACH t IN ARRAY ARRAY['credit.uscc_subject', 'credit.rid_subject']::regclass[] LOOP
        IF NOT credit.citus_distributed(t) THEN
            PERFORM pg_catalog.create_distributed_table(t, CASE WHEN t = 'credit.uscc_subject'::regclass THEN 'uscc' ELSE 'rid' END,
                                                        shard_count => n, colocate_with => 'none');
            table_name := t; kind := 'distributed by code'; converted := true;
            RETURN NEXT;
        END IF;
    END LOOP;
    PERFORM credit.citus_conversion_settings(false);
    -- operators' columns of the subjects (shards have no column privileges)
    IF EXISTS (SELECT 1 FROM pg_catalog.pg_roles r WHERE r.rolname = 'credit_operator') THEN
        PERFORM credit.grant_operator_columns();
    END IF;

    -- identities: a worker that is written to directly draws from its own
    -- range (group << 48, as Citus does for its own sequences); the
    -- coordinator (group 0) goes on from where it is
    SELECT string_agg(format('%s:%s (%s)', w.nodename, w.nodeport, w.result), ', ') INTO bad
    FROM pg_catalog.run_command_on_workers($q$
        SELECT count(pg_catalog.setval(s.seq, greatest(pg_catalog.pg_sequence_last_value(s.seq),
                                                       (SELECT g.groupid::bigint << 48 FROM pg_catalog.pg_dist_local_group g))))
        FROM (SELECT pg_catalog.pg_get_serial_sequence(format('%s', c), a.attname)::regclass AS seq
              FROM unnest(ARRAY(SELECT credit.data_tables())) c
              JOIN pg_catalog.pg_attribute a ON a.attrelid = c AND a.attidentity <> '' AND NOT a.attisdropped) s$q$) w
    WHERE NOT w.success;
    IF bad IS NOT NULL THEN
        RAISE WARNING USING MESSAGE = credit.tr('could not move the identity sequences of every worker'),
            DETAIL = format(credit.tr('Failed: %s.'), bad);
    END IF;

    RETURN QUERY SELECT c, 'distributed', false FROM credit.data_tables() c WHERE NOT credit.citus_distributed(c);
END $$;
REVOKE EXECUTE ON FUNCTION credit.distribute(integer) FROM PUBLIC;
COMMENT ON FUNCTION credit.distribute(integer) IS
    'on a Citus coordinator (superuser): the whole schema on the cluster -- credit.distribute_configuration (configuration tables become reference tables), then on every node the constraints a distributed table cannot keep give way (credit.citus_prepare_node), the data tables (credit.data_tables) are distributed by subject_id co-located with credit.subject (shard_count, default citus.shard_count), and the codes'' lookups uscc_subject and rid_subject by the code; rows are copied without firing triggers or logging again; workers'' identity sequences move to their own range; idempotent; returns each table converted, and false for any data table still not distributed';

-- Each node keeps its own audit log (a shard's changes are logged where the
-- shard is), seals it and has its own digest; the cluster's digest is the
-- SHA-256 over the nodes' digests, one line per node in group order.
CREATE OR REPLACE FUNCTION credit.audit_digest_cluster(OUT digest text, OUT nodes jsonb)
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    bad text;
BEGIN
    PERFORM credit.require_citus();
    SELECT string_agg(format('%s (%s)', x.node, x.result), ', ') FILTER (WHERE NOT x.ok),
           encode(pg_catalog.sha256(convert_to(string_agg(format('%s %s %s', x.groupid, x.node, coalesce(x.d, '-')), E'\n'
                                                          ORDER BY x.groupid, x.node), 'UTF8')), 'hex'),
           jsonb_object_agg(x.node, x.d)
    INTO bad, digest, nodes
    FROM (SELECT n.groupid, format('%s:%s', n.nodename, n.nodeport) AS node, r.success AS ok, r.result,
                 CASE WHEN r.success THEN nullif(r.result, '') END AS d
          FROM pg_catalog.run_command_on_all_nodes($q$SELECT coalesce(credit.audit_digest(), '')$q$) r
          JOIN pg_catalog.pg_dist_node n ON n.nodeid = r.nodeid) x;
    IF bad IS NOT NULL THEN
        RAISE EXCEPTION USING ERRCODE = 'connection_failure',
            MESSAGE = credit.tr('could not read the audit digest of every node'),
            DETAIL = format(credit.tr('Failed: %s.'), bad);
    END IF;
END $$;
REVOKE EXECUTE ON FUNCTION credit.audit_digest_cluster() FROM PUBLIC;
COMMENT ON FUNCTION credit.audit_digest_cluster() IS
    'on a Citus coordinator: every node''s audit digest (credit.audit_digest() there: its latest sealed block, NULL before the first seal) as nodes {"host:port": digest}, and digest, the SHA-256 (hex) over the lines "groupid host:port digest" in group order; keep both, and check each node with credit.audit_verify(its digest) on that node.  Runs the digest on each node as the caller (a superuser, or a role with credit_auditor on every node)';
