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

-- records: an operator sees and writes only the records of its authorities;
-- the owner (and credit_admin, BYPASSRLS) sees everything; views run as the owner
ALTER TABLE credit.record ENABLE ROW LEVEL SECURITY;
CREATE POLICY record_by_authority ON credit.record
    USING (EXISTS (SELECT 1 FROM credit.operator_authority oa
                   WHERE oa.authority = record.authority AND pg_catalog.pg_has_role(oa.role_name, 'MEMBER')))
    WITH CHECK (EXISTS (SELECT 1 FROM credit.operator_authority oa
                        WHERE oa.authority = record.authority AND pg_catalog.pg_has_role(oa.role_name, 'MEMBER')));
COMMENT ON POLICY record_by_authority ON credit.record IS
    'a role reads and writes the records of the authorities credit.operator_authority maps it to';
-- the repair tables follow the record they belong to (record's own policy applies in the subquery)
ALTER TABLE credit.repair_application ENABLE ROW LEVEL SECURITY;
CREATE POLICY by_record ON credit.repair_application
    USING (EXISTS (SELECT 1 FROM credit.record r WHERE r.record_id = repair_application.record_id));
ALTER TABLE credit.repair_evidence ENABLE ROW LEVEL SECURITY;
CREATE POLICY by_record ON credit.repair_evidence
    USING (EXISTS (SELECT 1 FROM credit.record r WHERE r.record_id = repair_evidence.record_id));
ALTER TABLE credit.objection ENABLE ROW LEVEL SECURITY;
CREATE POLICY by_record ON credit.objection
    USING (EXISTS (SELECT 1 FROM credit.record r WHERE r.record_id = objection.record_id));
COMMENT ON POLICY by_record ON credit.repair_application IS 'visible and writable with the record';
COMMENT ON POLICY by_record ON credit.repair_evidence IS 'visible and writable with the record';
COMMENT ON POLICY by_record ON credit.objection IS 'visible and writable with the record';

CREATE FUNCTION credit.setup_roles() RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp SET client_min_messages = warning AS $$
DECLARE
    r text;
BEGIN
    FOREACH r IN ARRAY ARRAY['credit_reader', 'credit_operator', 'credit_auditor', 'credit_admin'] LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) THEN
            EXECUTE format('CREATE ROLE %I NOLOGIN', r);
        END IF;
        EXECUTE format('GRANT USAGE ON SCHEMA credit TO %I', r);
    END LOOP;
    ALTER ROLE credit_admin BYPASSRLS;
    COMMENT ON ROLE credit_reader IS 'credit: report views only, resident ID numbers masked';
    COMMENT ON ROLE credit_operator IS 'credit: writes records of its own authorities (credit.operator_authority)';
    COMMENT ON ROLE credit_auditor IS 'credit: reads and verifies the audit log';
    COMMENT ON ROLE credit_admin IS 'credit: administers configuration, models and roles';

    -- readers: the views, nothing else
    GRANT SELECT ON credit.public_record, credit.repair_candidate, credit.class_distribution,
                    credit.class_migration_matrix, credit.uscc_department, credit.uscc_category,
                    credit.province TO credit_reader;
    GRANT EXECUTE ON FUNCTION credit.public_record_at(date) TO credit_reader, credit_admin;

    -- operators: subjects, records and the repair workflow; rules read-only
    GRANT SELECT ON credit.calendar, credit.record_category, credit.ruleset, credit.publicity_rule,
                    credit.risk_model, credit.risk_indicator, credit.risk_cap, credit.operator_authority
          TO credit_operator;
    GRANT SELECT, INSERT, UPDATE ON credit.subject, credit.record, credit.repair_application,
                    credit.repair_evidence, credit.objection TO credit_operator;
    GRANT USAGE ON SEQUENCE credit.subject_subject_id_seq, credit.record_record_id_seq,
                    credit.repair_application_application_id_seq, credit.repair_evidence_evidence_id_seq,
                    credit.objection_objection_id_seq TO credit_operator;
    GRANT credit_reader TO credit_operator;

    -- auditors: the log
    GRANT SELECT ON credit.audit_log, credit.audit_block, credit.audit_block_row, credit.audited_table
          TO credit_auditor;
    GRANT EXECUTE ON FUNCTION credit.audit_seal() TO credit_auditor;

    -- administrators: everything in the schema (the audit tables stay append-only)
    GRANT ALL ON ALL TABLES IN SCHEMA credit TO credit_admin;
    GRANT ALL ON ALL SEQUENCES IN SCHEMA credit TO credit_admin;
    GRANT EXECUTE ON FUNCTION credit.audit_seal() TO credit_admin;
    GRANT credit_reader, credit_auditor TO credit_admin;
END $$;
COMMENT ON FUNCTION credit.setup_roles() IS
    'create (if missing) the NOLOGIN roles credit_reader, credit_operator, credit_auditor and credit_admin and grant them least privilege; idempotent; needs CREATEROLE or a superuser';

-- every table of the reference schema, repair, classification and configuration is audited
SELECT credit.audit_enable(t) FROM unnest(ARRAY[
    'credit.subject', 'credit.record', 'credit.repair_evidence', 'credit.repair_application',
    'credit.objection', 'credit.risk_model', 'credit.risk_indicator', 'credit.risk_cap',
    'credit.indicator_value', 'credit.classification', 'credit.inspector', 'credit.calendar',
    'credit.record_category', 'credit.ruleset', 'credit.publicity_rule', 'credit.operator_authority'
]::regclass[]) t;
