-- Least-privilege roles and row-level security (SPEC §6)

-- which authorities' records an operator role may write
CREATE TABLE credit.operator_authority (
    role_name regrole NOT NULL,
    authority text NOT NULL,
    PRIMARY KEY (role_name, authority)
);
COMMENT ON TABLE credit.operator_authority IS
    'maps roles (credit_operator members) to the authorities whose records they may read and write (row-level security on credit.record)';
COMMENT ON COLUMN credit.operator_authority.role_name IS 'a role; its members get the authority';
COMMENT ON COLUMN credit.operator_authority.authority IS 'an authority as written in credit.record.authority';
SELECT pg_catalog.pg_extension_config_dump('credit.operator_authority', '');

-- Whether the caller may read and write rows of an authority: members of
-- credit_admin may (BYPASSRLS is not inherited by a role's members, so the
-- policies name the role), and members of a role that credit.operator_authority
-- maps to the authority.  The test of every row-level-security policy; a
-- function, not a subquery, so the policies stay distributable (SPEC §0); in
-- C, reading this node's copy of operator_authority, so it also works on a
-- Citus shard (src/access.c).
CREATE OR REPLACE FUNCTION credit.may_access(authority text) RETURNS boolean
    AS 'MODULE_PATHNAME', 'credit_may_access' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION credit.may_access(text) IS
    'true when the current user is a member of credit_admin or of a role mapped to the authority in credit.operator_authority (the row-level-security test)';

-- records: an operator sees and writes only the records of its authorities;
-- credit_admin sees everything; views run as the owner
ALTER TABLE credit.record ENABLE ROW LEVEL SECURITY;
CREATE POLICY record_by_authority ON credit.record
    USING (credit.may_access(authority))
    WITH CHECK (credit.may_access(authority));
COMMENT ON POLICY record_by_authority ON credit.record IS
    'a role reads and writes the records of the authorities credit.operator_authority maps it to; credit_admin all records';
-- subjects: every role with the table privilege reads them (operators not
-- the resident ID column: setup_roles grants columns); an operator changes
-- only the subjects its authority registered
ALTER TABLE credit.subject ENABLE ROW LEVEL SECURITY;
CREATE POLICY subject_read ON credit.subject FOR SELECT USING (true);
CREATE POLICY subject_register ON credit.subject FOR INSERT WITH CHECK (credit.may_access(registered_by));
CREATE POLICY subject_change ON credit.subject FOR UPDATE
    USING (credit.may_access(registered_by)) WITH CHECK (credit.may_access(registered_by));
COMMENT ON POLICY subject_read ON credit.subject IS 'every role granted SELECT reads every subject (column privileges hide resident ID numbers from operators)';
COMMENT ON POLICY subject_register ON credit.subject IS 'an operator registers subjects for its own authority (registered_by)';
COMMENT ON POLICY subject_change ON credit.subject IS 'an operator changes only the subjects its authority registered; credit_admin any';
-- the repair tables follow the record they belong to: its authority, which
-- they carry (no subquery: Citus refuses one in a distributed table's policy)
ALTER TABLE credit.repair_application ENABLE ROW LEVEL SECURITY;
CREATE POLICY by_record ON credit.repair_application
    USING (credit.may_access(authority)) WITH CHECK (credit.may_access(authority));
ALTER TABLE credit.repair_evidence ENABLE ROW LEVEL SECURITY;
CREATE POLICY by_record ON credit.repair_evidence
    USING (credit.may_access(authority)) WITH CHECK (credit.may_access(authority));
ALTER TABLE credit.objection ENABLE ROW LEVEL SECURITY;
CREATE POLICY by_record ON credit.objection
    USING (credit.may_access(authority)) WITH CHECK (credit.may_access(authority));
COMMENT ON POLICY by_record ON credit.repair_application IS 'visible and writable with the record: by the record''s authority, which the row carries';
COMMENT ON POLICY by_record ON credit.repair_evidence IS 'visible and writable with the record: by the record''s authority, which the row carries';
COMMENT ON POLICY by_record ON credit.objection IS 'visible and writable with the record: by the record''s authority, which the row carries';

-- the subject of an identifier, for roles that may not read resident ID numbers
-- (PL/pgSQL: Citus plans no SQL-language function with parameters; on a
-- cluster the code's lookup table answers, by a query routed to one shard)
CREATE OR REPLACE FUNCTION credit.subject_id_of(code credit.uscc) RETURNS bigint
LANGUAGE plpgsql STABLE STRICT SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF credit.citus_distributed('credit.subject') THEN
        RETURN (SELECT l.subject_id FROM credit.uscc_subject l WHERE l.uscc OPERATOR(credit.=) $1);
    END IF;
    RETURN (SELECT s.subject_id FROM credit.subject s WHERE s.uscc OPERATOR(credit.=) $1);
END $$;
CREATE OR REPLACE FUNCTION credit.subject_id_of(id credit.rid) RETURNS bigint
LANGUAGE plpgsql STABLE STRICT SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF credit.citus_distributed('credit.subject') THEN
        RETURN (SELECT l.subject_id FROM credit.rid_subject l WHERE l.rid OPERATOR(credit.=) $1);
    END IF;
    RETURN (SELECT s.subject_id FROM credit.subject s WHERE s.rid OPERATOR(credit.=) $1);
END $$;
COMMENT ON FUNCTION credit.subject_id_of(credit.uscc) IS 'the subject_id of an organisation''s code (NULL if none)';
COMMENT ON FUNCTION credit.subject_id_of(credit.rid) IS
    'the subject_id of a person''s resident ID number (NULL if none): lets operators, who may not read the rid column, find a person they know the number of';
REVOKE EXECUTE ON FUNCTION credit.subject_id_of(credit.rid) FROM PUBLIC;

-- The checks of an INSERT by the caller into one of the extension's tables
-- of authority-owned rows, for the SECURITY DEFINER functions that write
-- for it (register_subject, relate_subjects): the table privilege, and
-- row-level security's authority (an operator's own, filled when it has
-- exactly one).  Returns the authority to write.
CREATE OR REPLACE FUNCTION credit.caller_insert_authority(tbl regclass, authority text) RETURNS text
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    me  name := credit.caller();
    who text := authority;
BEGIN
    IF NOT pg_catalog.has_any_column_privilege(me, tbl, 'INSERT') THEN
        RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege',
            MESSAGE = format(credit.tr('permission denied for table %s'), tbl),
            DETAIL = format(credit.tr('Role "%s" may not insert into %s.'), me, tbl);
    END IF;
    IF who IS NULL THEN
        SELECT min(oa.authority) INTO who FROM credit.operator_authority oa
        WHERE pg_catalog.pg_has_role(me, oa.role_name, 'MEMBER')
        HAVING count(DISTINCT oa.authority) = 1;
    END IF;
    IF NOT (credit.caller_sees_all() OR credit.caller_may_access(who)) THEN
        RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege',
            MESSAGE = format(credit.tr('new row violates row-level security policy for table "%s"'),
                             (SELECT c.relname FROM pg_catalog.pg_class c WHERE c.oid = tbl)),
            DETAIL = format(credit.tr('Role "%s" writes rows only for its own authorities, not for %s.'),
                            me, coalesce(who, 'NULL'));
    END IF;
    RETURN who;
END $$;
REVOKE EXECUTE ON FUNCTION credit.caller_insert_authority(regclass, text) FROM PUBLIC;
COMMENT ON FUNCTION credit.caller_insert_authority(regclass, text) IS
    'internal: raises unless the caller (credit.caller()) may insert into the table and write rows of the authority (NULL: the caller''s own, when it has exactly one); returns the authority';

-- Registering a subject: what INSERT INTO credit.subject does, with the
-- same rights (the table privilege; an operator only for its authority),
-- and on a Citus cluster also the code's entry in uscc_subject/rid_subject,
-- which keeps a code to one subject across the shards.  There, direct
-- INSERTs of subjects are refused (credit.subject_code_guard).
CREATE OR REPLACE FUNCTION credit.register_subject(uscc credit.uscc DEFAULT NULL, rid credit.rid DEFAULT NULL,
        name text DEFAULT NULL, region text DEFAULT NULL, industry text DEFAULT NULL,
        registered_by text DEFAULT NULL) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    who      text := credit.caller_insert_authority('credit.subject', $6);
    sid      bigint;
    other    bigint;
    cluster  boolean := credit.citus_distributed('credit.subject');
BEGIN
    -- (on one node UNIQUE (uscc)/UNIQUE (rid) would refuse it too; this says who has it)
    other := CASE WHEN $1 IS NOT NULL THEN credit.subject_id_of($1) ELSE credit.subject_id_of($2) END;
    IF other IS NOT NULL THEN
        RAISE EXCEPTION USING ERRCODE = 'unique_violation',
            MESSAGE = CASE WHEN $1 IS NOT NULL THEN format(credit.tr('uscc %s is already registered'), $1::text)
                           ELSE credit.tr('this resident ID number is already registered') END,
            DETAIL = format(credit.tr('Subject %s has it.'), other);
    END IF;
    INSERT INTO credit.subject AS s (uscc, rid, name, region, industry, registered_by)
    VALUES ($1, $2, $3, $4, $5, who) RETURNING s.subject_id INTO sid;
    IF cluster THEN
        IF $1 IS NOT NULL THEN
            INSERT INTO credit.uscc_subject (uscc, subject_id) VALUES ($1, sid);
        ELSE
            INSERT INTO credit.rid_subject (rid, subject_id) VALUES ($2, sid);
        END IF;
    END IF;
    RETURN sid;
END $$;
REVOKE EXECUTE ON FUNCTION credit.register_subject(credit.uscc, credit.rid, text, text, text, text) FROM PUBLIC;
COMMENT ON FUNCTION credit.register_subject(credit.uscc, credit.rid, text, text, text, text) IS
    'registers a subject (exactly one of uscc and rid) and returns its subject_id: the INSERT into credit.subject with the caller''s rights (the table privilege; an operator for its own authority, filled when it has one); on a Citus cluster also claims the code in credit.uscc_subject/rid_subject (unique across the cluster) and is the only way to register; runs as the owner; for credit_operator and credit_admin';

-- on a Citus cluster (credit.distribute adds it): subjects and their codes
-- only through credit.register_subject, which keeps the codes unique
CREATE OR REPLACE FUNCTION credit.subject_code_guard() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF TG_OP = 'INSERT' AND credit.runs_as_owner() THEN
        RETURN NEW;                 -- credit.register_subject, or a superuser
    END IF;
    IF TG_OP = 'UPDATE' AND NOT (NEW.uscc::text IS DISTINCT FROM OLD.uscc::text OR NEW.rid::text IS DISTINCT FROM OLD.rid::text) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION USING ERRCODE = 'feature_not_supported',
        MESSAGE = CASE TG_OP WHEN 'INSERT' THEN credit.tr('on a Citus cluster subjects are registered with credit.register_subject')
                             ELSE credit.tr('on a Citus cluster a subject''s code cannot be changed') END,
        DETAIL = credit.tr('credit.subject is distributed by subject_id; the codes are kept unique across the cluster by credit.uscc_subject and credit.rid_subject, which only credit.register_subject writes.'),
        HINT = CASE TG_OP WHEN 'INSERT' THEN credit.tr('SELECT credit.register_subject(uscc => ..., name => ...).')
                          ELSE credit.tr('Register the subject under its new code and move its records.') END;
END $$;
COMMENT ON FUNCTION credit.subject_code_guard() IS
    'trigger that credit.distribute adds to credit.subject on a Citus cluster: refuses INSERTs that do not come from credit.register_subject (the owner) and changes of uscc or rid';

-- Operators' column privileges: credit.subject without the resident ID
-- number; credit.commitment's state-machine columns only.  On a Citus
-- cluster (Citus has no column privileges on shards) the shards and the
-- workers' copies get the table privileges and the coordinator, through
-- which clients connect, checks the columns.
CREATE OR REPLACE FUNCTION credit.grant_operator_columns() RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    g record;
BEGIN
    FOR g IN SELECT * FROM (VALUES
        ('credit.subject'::regclass, 'SELECT (subject_id, uscc, name, region, industry, registered_by), '
                                     'INSERT (uscc, rid, name, region, industry, registered_by), '
                                     'UPDATE (uscc, rid, name, region, industry)'),
        ('credit.commitment'::regclass, 'SELECT, INSERT, UPDATE (state, ended_on, end_reason, due_on, public)')) v(tbl, cols)
    LOOP
        IF credit.citus_distributed(g.tbl) THEN
            EXECUTE format('GRANT SELECT, INSERT, UPDATE ON %s TO credit_operator', g.tbl);    -- every node
            PERFORM pg_catalog.set_config('citus.enable_ddl_propagation', 'off', true);
            EXECUTE format('REVOKE SELECT, INSERT, UPDATE ON %s FROM credit_operator', g.tbl); -- here only
            EXECUTE format('GRANT %s ON %s TO credit_operator', g.cols, g.tbl);
            PERFORM pg_catalog.set_config('citus.enable_ddl_propagation', 'on', true);
        ELSE
            EXECUTE format('GRANT %s ON %s TO credit_operator', g.cols, g.tbl);
        END IF;
    END LOOP;
END $$;
REVOKE EXECUTE ON FUNCTION credit.grant_operator_columns() FROM PUBLIC;
COMMENT ON FUNCTION credit.grant_operator_columns() IS
    'internal (setup_roles, distribute): credit_operator''s column privileges (credit.subject without rid, credit.commitment''s state-machine columns); on a Citus cluster table privileges on the workers'' copies and shards, the columns checked on the coordinator';

CREATE OR REPLACE FUNCTION credit.setup_roles() RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp SET client_min_messages = warning AS $$
DECLARE
    r text;
BEGIN
    -- runs as the extension's owner; the caller needs CREATEROLE
    IF NOT EXISTS (SELECT 1 FROM pg_roles u WHERE u.rolname = credit.caller() AND (u.rolcreaterole OR u.rolsuper)) THEN
        RAISE EXCEPTION USING
            MESSAGE = credit.tr('permission denied to set up the credit roles'),
            ERRCODE = 'insufficient_privilege',
            DETAIL = format(credit.tr('Role "%s" has no CREATEROLE attribute.'), credit.caller()),
            HINT = credit.tr('Run it as a role with CREATEROLE (or a superuser).');
    END IF;
    FOREACH r IN ARRAY ARRAY['credit_reader', 'credit_operator', 'credit_auditor', 'credit_admin'] LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) THEN
            EXECUTE format('CREATE ROLE %I NOLOGIN', r);
        END IF;
        -- start from nothing, so a re-run also takes back what 0.2.0 granted
        EXECUTE format('REVOKE ALL ON ALL TABLES IN SCHEMA credit FROM %I', r);
        EXECUTE format('REVOKE ALL ON ALL SEQUENCES IN SCHEMA credit FROM %I', r);
        EXECUTE format('GRANT USAGE ON SCHEMA credit TO %I', r);
    END LOOP;
    -- credit_admin sees all rows through policies that name it (credit.may_access)
    ALTER ROLE credit_admin NOBYPASSRLS;
    COMMENT ON ROLE credit_reader IS 'credit: public views only (public_record, repair_candidate, public_commitment, class reports, measure_stats) and the credit check of public records, resident ID numbers masked';
    COMMENT ON ROLE credit_operator IS 'credit: writes subjects, records and commitments of its own authorities (credit.operator_authority) and their repair workflow; no resident ID column';
    COMMENT ON ROLE credit_auditor IS 'credit: reads the audit trail (IDs masked), seals and verifies the log';
    COMMENT ON ROLE credit_admin IS 'credit: administers configuration and models, runs the batch jobs, sees every row';

    -- readers: the public views, nothing else
    GRANT SELECT ON credit.public_record, credit.repair_candidate, credit.class_distribution,
                    credit.class_migration_matrix, credit.uscc_department, credit.uscc_category,
                    credit.province, credit.public_commitment TO credit_reader;
    GRANT EXECUTE ON FUNCTION credit.public_record_at(date, bigint) TO credit_reader;
    -- repair eligibility of many records (repair_candidate uses it): public records, and for
    -- operators and administrators the records they may read, as repair_eligibility
    GRANT EXECUTE ON FUNCTION credit.repair_eligibility_many(bigint[], date, boolean),
          credit.repair_candidate_rows(date) TO credit_reader;
    -- the credit check (public records only for readers) and the feedback statistics
    GRANT EXECUTE ON FUNCTION credit.check(bigint, text, date), credit.check(credit.uscc, text, date),
          credit.check(credit.rid, text, date), credit.check_summary(bigint, text, date),
          credit.check_summary(credit.uscc, text, date), credit.check_summary(credit.rid, text, date)
          TO credit_reader;
    GRANT SELECT ON credit.measure_stats TO credit_reader;
    -- credit reports (public information only, whoever asks)
    GRANT EXECUTE ON FUNCTION credit.credit_report(bigint, date), credit.credit_report_text(bigint, date) TO credit_reader;

    -- operators: subjects (not their resident ID numbers), records and the
    -- repair workflow of their authorities; rules and models read-only
    GRANT SELECT ON credit.risk_model, credit.risk_indicator, credit.risk_cap, credit.operator_authority
          TO credit_operator;
    PERFORM credit.grant_operator_columns();
    GRANT SELECT, INSERT, UPDATE ON credit.record, credit.repair_application,
                    credit.repair_evidence, credit.objection TO credit_operator;
    -- honours, relations and feedback of their authorities (row-level security)
    GRANT SELECT, INSERT, UPDATE ON credit.honour, credit.subject_relation, credit.measure_feedback
          TO credit_operator;
    GRANT USAGE ON SEQUENCE credit.subject_subject_id_seq, credit.record_record_id_seq,
                    credit.repair_application_application_id_seq, credit.repair_evidence_evidence_id_seq,
                    credit.objection_objection_id_seq, credit.honour_honour_id_seq,
                    credit.measure_feedback_feedback_id_seq TO credit_operator;
    GRANT EXECUTE ON FUNCTION credit.subject_id_of(credit.rid) TO credit_operator, credit_admin;
    -- registering subjects and relations (on a Citus cluster the only way: the
    -- code's uniqueness and the person are checked across the shards)
    GRANT EXECUTE ON FUNCTION credit.register_subject(credit.uscc, credit.rid, text, text, text, text),
          credit.relate_subjects(bigint, bigint, text, date, date, text) TO credit_operator, credit_admin;
    -- commitments their authority accepts: signed, then moved through the
    -- state machine (the trigger keeps what is signed unchanged)
    GRANT USAGE ON SEQUENCE credit.commitment_commitment_id_seq TO credit_operator;
    GRANT SELECT ON credit.commitment_due TO credit_operator, credit_admin;
    GRANT EXECUTE ON FUNCTION credit.commitment_allowed(bigint, text, date), credit.commitment_fulfil(bigint, date),
          credit.commitment_violate(bigint, text, date) TO credit_operator, credit_admin;
    GRANT credit_reader TO credit_operator;

    -- auditors: the trail (IDs masked) and the blocks; seal, verify, recompute hashes
    GRANT SELECT ON credit.audit_trail, credit.audit_block, credit.audit_block_row, credit.audited_table
          TO credit_auditor;
    GRANT EXECUTE ON FUNCTION credit.audit_seal(), credit.audit_verify(text, text, boolean),
          credit.audit_row_hash(bigint, text, text, text, jsonb, jsonb, text[], text, text, text, inet, xid8, timestamptz),
          credit.audit_block_hash(bigint, bigint, bytea, bytea, timestamptz),
          credit.audit_block_hash(bigint, bigint, bytea, bytea, timestamptz, bigint, bigint[], bigint[]),
          credit.audit_merkle_root(bytea[]), credit.audit_merkle_path(bytea[], bigint),
          credit.audit_proof(bigint), credit.audit_digest_cluster() TO credit_auditor;

    -- administrators: configuration and models, every row of the data
    -- tables (no DELETE, no TRUNCATE: records are archives), the batch jobs;
    -- never TRUNCATE, REFERENCES or TRIGGER, and no write on the audit tables
    GRANT SELECT, INSERT, UPDATE, DELETE ON credit.calendar, credit.record_category, credit.ruleset,
          credit.publicity_rule, credit.risk_model, credit.risk_indicator, credit.risk_cap,
          credit.inspector, credit.operator_authority, credit.indicator_value,
          credit.honour_kind, credit.measure, credit.measure_trigger, credit.commitment_kind,
          credit.commitment_matter, credit.commitment_excluded_matter, credit.commitment_ban_period TO credit_admin;
    GRANT SELECT, INSERT, UPDATE ON credit.subject, credit.record, credit.repair_application,
          credit.repair_evidence, credit.objection, credit.honour, credit.subject_relation,
          credit.measure_feedback, credit.commitment TO credit_admin;
    GRANT SELECT ON credit.classification TO credit_admin;
    GRANT USAGE ON ALL SEQUENCES IN SCHEMA credit TO credit_admin;
    GRANT EXECUTE ON FUNCTION credit.classify_period(date, text), credit.expire_records(date),
          credit.lapse_commitments(date) TO credit_admin;
    -- commitment_allowed for many subjects reads every authority's barring records
    GRANT SELECT ON credit.commitment_ban_record TO credit_admin;
    GRANT EXECUTE ON FUNCTION credit.commitment_allowed_many(bigint[], text, date) TO credit_admin;
    GRANT credit_reader, credit_auditor TO credit_admin;
END $$;
REVOKE EXECUTE ON FUNCTION credit.setup_roles() FROM PUBLIC;
COMMENT ON FUNCTION credit.setup_roles() IS
    'create (if missing) the NOLOGIN roles credit_reader, credit_operator, credit_auditor and credit_admin and grant them least privilege (and only that: a re-run takes back anything else); idempotent; the caller needs CREATEROLE; runs as the extension owner';

-- the entries of the current database's own search_path setting, each as an
-- identifier ("$user" keeps its quotes); NULL when the database sets none
CREATE OR REPLACE FUNCTION credit.database_search_path() RETURNS text[]
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
    SELECT array_agg(quote_ident(trim(both '"' from btrim(e))) ORDER BY n)
    FROM pg_db_role_setting d, unnest(d.setconfig) c(setting),
         unnest(string_to_array(substr(c.setting, length('search_path=') + 1), ',')) WITH ORDINALITY u(e, n)
    WHERE d.setdatabase = (SELECT oid FROM pg_database WHERE datname = current_database())
      AND d.setrole = 0 AND c.setting LIKE 'search_path=%' AND btrim(e) <> ''
$$;
COMMENT ON FUNCTION credit.database_search_path() IS
    'the entries of the search_path the current database sets (ALTER DATABASE ... SET), as identifiers; NULL when it sets none';

-- The database's search_path with credit on it, so that an application can
-- write WHERE code = $1 and min(code) without qualifying the operators (as
-- pgvector's and PostGIS's users have their schema on the path); and the
-- placeholder of credit.default_ruleset, so SHOW works in every new session.
CREATE OR REPLACE FUNCTION credit.configure_database() RETURNS text
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    items text[] := coalesce(credit.database_search_path(),
                             (SELECT array_agg(quote_ident(trim(both '"' from btrim(e))) ORDER BY n)
                              FROM pg_settings s, unnest(string_to_array(s.boot_val, ',')) WITH ORDINALITY u(e, n)
                              WHERE s.name = 'search_path'));
    path  text;
BEGIN
    IF NOT 'credit' = ANY (coalesce(items, '{}')) THEN
        items := coalesce(items, '{}') || 'credit'::text;
    END IF;
    path := array_to_string(items, ', ');
    EXECUTE format('ALTER DATABASE %I SET search_path = %s', current_database(), path);
    PERFORM credit.tr('credit');    -- loads the library, which defines the setting
    EXECUTE format('ALTER DATABASE %I SET credit.default_ruleset = %L', current_database(),
                   current_setting('credit.default_ruleset'));
    PERFORM set_config('search_path', path, false);
    RETURN path;
END $$;
COMMENT ON FUNCTION credit.configure_database() IS
    'append credit to the current database''s search_path (keeping what is there) and set credit.default_ruleset there, for new sessions and this one; returns the new search_path; needs the database''s owner; undo with credit.unconfigure_database()';

CREATE OR REPLACE FUNCTION credit.unconfigure_database() RETURNS text
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    items text[] := credit.database_search_path();
    path  text;
BEGIN
    EXECUTE format('ALTER DATABASE %I RESET credit.default_ruleset', current_database());
    IF items IS NULL THEN
        RETURN NULL;
    END IF;
    path := array_to_string(array_remove(items, 'credit'), ', ');
    IF coalesce(path, '') = '' OR path = (SELECT s.boot_val FROM pg_settings s WHERE s.name = 'search_path') THEN
        EXECUTE format('ALTER DATABASE %I RESET search_path', current_database());
        path := (SELECT s.boot_val FROM pg_settings s WHERE s.name = 'search_path');
    ELSE
        EXECUTE format('ALTER DATABASE %I SET search_path = %s', current_database(), path);
    END IF;
    PERFORM set_config('search_path', path, false);
    RETURN path;
END $$;
COMMENT ON FUNCTION credit.unconfigure_database() IS
    'undo credit.configure_database(): remove credit from the database''s search_path (resetting it when only the default is left) and reset credit.default_ruleset there; returns the search_path now in force';

-- every table of the reference schema, repair and configuration is audited row
-- by row; credit.classification (derived data) per classify_period run
SELECT credit.audit_enable(t) FROM unnest(ARRAY[
    'credit.subject', 'credit.record', 'credit.repair_evidence', 'credit.repair_application',
    'credit.objection', 'credit.risk_model', 'credit.risk_indicator', 'credit.risk_cap',
    'credit.indicator_value', 'credit.inspector', 'credit.calendar',
    'credit.record_category', 'credit.ruleset', 'credit.publicity_rule', 'credit.operator_authority'
]::regclass[]) t;
