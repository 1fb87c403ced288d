-- Credit commitments (信用承诺, SPEC §8): the five kinds, commitments and
-- their state machine, who may still sign 告知承诺 and 容缺受理, violations
-- that become records.
--
-- After 80_roles.sql: the policy calls credit.may_access(), and the tables
-- are registered with pg_extension_config_dump after the older ones, in the
-- order the upgrade script (which adds them last) registers them too.

-- ------------------------------------------------------------------ kinds
CREATE TABLE credit.commitment_kind (
    kind        text PRIMARY KEY CONSTRAINT commitment_kind_code CHECK (kind ~ '^[a-z][a-z0-9_]*$'),
    name        text NOT NULL CONSTRAINT commitment_kind_name_not_empty CHECK (btrim(name) <> ''),
    public_by_default     boolean NOT NULL DEFAULT true,
    deadline_working_days integer CONSTRAINT commitment_kind_deadline CHECK (deadline_working_days >= 0),
    requires_allowed      boolean NOT NULL DEFAULT false,
    for_record            boolean NOT NULL DEFAULT false,
    violation_category    text NOT NULL DEFAULT 'commitment_violation' REFERENCES credit.record_category ON UPDATE CASCADE,
    violation_severity    text NOT NULL DEFAULT 'general'
                          CONSTRAINT commitment_kind_violation_severity CHECK (violation_severity IN ('minor', 'general', 'serious')),
    legal_basis text,
    builtin     boolean NOT NULL DEFAULT false
);
COMMENT ON TABLE credit.commitment_kind IS
    'kinds of credit commitment (信用承诺, GB/T 46277-2025): approval_substitute (审批替代型, 告知承诺), missing_materials (容缺受理型), repair (信用修复型), self_discipline (行业自律型), voluntary (主动公示型); users add their own';
COMMENT ON COLUMN credit.commitment_kind.kind IS 'stable code, e.g. missing_materials';
COMMENT ON COLUMN credit.commitment_kind.name IS 'official name';
COMMENT ON COLUMN credit.commitment_kind.public_by_default IS 'a commitment of this kind is public (credit.public_commitment) unless signed with public = false';
COMMENT ON COLUMN credit.commitment_kind.deadline_working_days IS
    'working days after signing by which the commitment is to be fulfilled (due_on, on the holiday calendar); such commitments lapse when overdue (credit.lapse_commitments); NULL: no deadline';
COMMENT ON COLUMN credit.commitment_kind.requires_allowed IS
    'signing one needs credit.commitment_allowed() to be true for the subject and matter (告知承诺, 容缺受理: not for subjects on a black list or with an unrepaired violation, not for excluded matters), and a matter';
COMMENT ON COLUMN credit.commitment_kind.for_record IS 'a commitment of this kind is made for a record (record_id): the repair commitment of 令第36号';
COMMENT ON COLUMN credit.commitment_kind.violation_category IS 'category of the record a violation creates (credit.commitment_violate)';
COMMENT ON COLUMN credit.commitment_kind.violation_severity IS 'severity of the record a violation creates: minor, general or serious';
COMMENT ON COLUMN credit.commitment_kind.legal_basis IS 'the instrument the kind comes from';
COMMENT ON COLUMN credit.commitment_kind.builtin IS 'true for the kinds shipped with the extension';
COMMENT ON CONSTRAINT commitment_kind_pkey ON credit.commitment_kind IS 'one row per kind code';
COMMENT ON INDEX credit.commitment_kind_pkey IS 'enforces commitment_kind_pkey; finds a kind by its code (the foreign key of commitment)';
COMMENT ON CONSTRAINT commitment_kind_code ON credit.commitment_kind IS 'a kind code is lower-case ASCII: a letter, then letters, digits and underscores';
COMMENT ON CONSTRAINT commitment_kind_name_not_empty ON credit.commitment_kind IS 'a kind has a name';
COMMENT ON CONSTRAINT commitment_kind_deadline ON credit.commitment_kind IS 'a deadline, when set, is not negative (0: due the day it is signed)';
COMMENT ON CONSTRAINT commitment_kind_violation_category_fkey ON credit.commitment_kind IS 'a violation records a known category; renaming the category renames it here';
COMMENT ON CONSTRAINT commitment_kind_violation_severity ON credit.commitment_kind IS 'the severity of a violation is minor, general or serious';

INSERT INTO credit.commitment_kind (kind, name, public_by_default, deadline_working_days, requires_allowed, for_record,
                                    violation_category, violation_severity, legal_basis, builtin) VALUES
    ('approval_substitute', '审批替代型（告知承诺）', true, NULL, true, false, 'commitment_violation', 'general',
     '国务院办公厅关于全面推行证明事项和涉企经营许可事项告知承诺制的指导意见（国办发〔2020〕42号）; GB/T 46277-2025', true),
    ('missing_materials', '容缺受理型', false, 5, true, false, 'commitment_violation', 'general',
     'GB/T 46277-2025 经营主体信用承诺实施指南', true),
    ('repair', '信用修复型', true, NULL, false, true, 'commitment_violation', 'serious',
     '国家发展和改革委员会令第36号《信用修复管理办法》; GB/T 46277-2025', true),
    ('self_discipline', '行业自律型', true, NULL, false, false, 'commitment_violation', 'general',
     'GB/T 46277-2025 经营主体信用承诺实施指南', true),
    ('voluntary', '主动公示型', true, NULL, false, false, 'commitment_violation', 'general',
     'GB/T 46277-2025 经营主体信用承诺实施指南', true);

-- --------------------------------------------------------------- matters
CREATE TABLE credit.commitment_matter (
    matter text PRIMARY KEY CONSTRAINT commitment_matter_code CHECK (matter ~ '^[A-Za-z0-9][A-Za-z0-9_.-]*$'),
    name   text NOT NULL CONSTRAINT commitment_matter_name_not_empty CHECK (btrim(name) <> ''),
    authority text
);
COMMENT ON TABLE credit.commitment_matter IS
    'the administrative matters (事项) commitments are made for: each authority''s catalogue of matters under 告知承诺 and 容缺受理 (国办发〔2020〕42号 asks every department to publish its own); no rows ship with the extension';
COMMENT ON COLUMN credit.commitment_matter.matter IS 'stable code of the matter (e.g. the 事项编码 of the government-service catalogue)';
COMMENT ON COLUMN credit.commitment_matter.name IS 'name of the matter, e.g. 食品经营许可';
COMMENT ON COLUMN credit.commitment_matter.authority IS 'the authority that handles the matter (informative)';
COMMENT ON CONSTRAINT commitment_matter_pkey ON credit.commitment_matter IS 'one row per matter code';
COMMENT ON INDEX credit.commitment_matter_pkey IS 'enforces commitment_matter_pkey; finds a matter by its code';
COMMENT ON CONSTRAINT commitment_matter_code ON credit.commitment_matter IS 'a matter code is ASCII letters, digits, underscores, dots and hyphens, starting with a letter or digit';
COMMENT ON CONSTRAINT commitment_matter_name_not_empty ON credit.commitment_matter IS 'a matter has a name';

CREATE TABLE credit.commitment_excluded_matter (
    matter      text PRIMARY KEY REFERENCES credit.commitment_matter ON UPDATE CASCADE ON DELETE CASCADE,
    reason      text NOT NULL CONSTRAINT commitment_excluded_matter_reason_not_empty CHECK (btrim(reason) <> ''),
    legal_basis text
);
COMMENT ON TABLE credit.commitment_excluded_matter IS
    'matters where 告知承诺 and 容缺受理 never apply (国办发〔2020〕42号: those directly concerning national security, public safety, financial prudential supervision, the environment, health, life and property, important foreign affairs): commitment_allowed() gives matter_excluded';
COMMENT ON COLUMN credit.commitment_excluded_matter.matter IS 'the matter (credit.commitment_matter)';
COMMENT ON COLUMN credit.commitment_excluded_matter.reason IS 'why commitments do not apply, e.g. 直接涉及公共安全';
COMMENT ON COLUMN credit.commitment_excluded_matter.legal_basis IS 'the instrument that excludes it';
COMMENT ON CONSTRAINT commitment_excluded_matter_pkey ON credit.commitment_excluded_matter IS 'a matter is excluded once';
COMMENT ON INDEX credit.commitment_excluded_matter_pkey IS 'enforces commitment_excluded_matter_pkey; tells whether a matter is excluded';
COMMENT ON CONSTRAINT commitment_excluded_matter_matter_fkey ON credit.commitment_excluded_matter IS 'the matter exists; renaming it renames it here, deleting it deletes its exclusion';
COMMENT ON CONSTRAINT commitment_excluded_matter_reason_not_empty ON credit.commitment_excluded_matter IS 'an exclusion says why';

-- ------------------------------------------------------------ ban period
-- How long a violated commitment bars 告知承诺 and 容缺受理 at most: the ban
-- ends earlier when the violation record is repaired or revoked or its
-- maximum period ends (credit.record_in_force).  One shipped row, and at most
-- one local row that takes precedence.  A table, not a setting: it is the
-- same for every session and role, audited and dumped.
CREATE TABLE credit.commitment_ban_period (
    ban_period  interval NOT NULL
                CONSTRAINT commitment_ban_period_positive CHECK (ban_period > interval '0' AND date_trunc('day', ban_period) = ban_period),
    legal_basis text,
    builtin     boolean PRIMARY KEY DEFAULT false
);
COMMENT ON TABLE credit.commitment_ban_period IS
    'how long after a violation (the decision date of its record) the subject may not sign 告知承诺 or 容缺受理 commitments at most (the ban ends earlier when the violation record is repaired, revoked or past its maximum period): the shipped row (builtin) and at most one local row (builtin = false), which takes precedence';
COMMENT ON COLUMN credit.commitment_ban_period.ban_period IS 'the longest ban, in whole days, months or years, counted from the decision date of the violation record';
COMMENT ON COLUMN credit.commitment_ban_period.legal_basis IS 'where the period comes from';
COMMENT ON COLUMN credit.commitment_ban_period.builtin IS 'true for the shipped row; false for the local row that replaces it';
COMMENT ON CONSTRAINT commitment_ban_period_pkey ON credit.commitment_ban_period IS 'one shipped row and at most one local row';
COMMENT ON INDEX credit.commitment_ban_period_pkey IS 'enforces commitment_ban_period_pkey';
COMMENT ON CONSTRAINT commitment_ban_period_positive ON credit.commitment_ban_period IS 'the ban is a positive period of whole days, months or years (no hours)';
INSERT INTO credit.commitment_ban_period (ban_period, legal_basis, builtin) VALUES
    (interval '3 years', '国办发〔2020〕42号：曾作出虚假承诺的，在信用修复前不适用告知承诺制；上限取令第36号严重失信信息的最长公示期（3年），记录修复、撤销或期满即止', true);

-- builtin rows are kept by CREATE EXTENSION; pg_dump keeps the rest
SELECT pg_catalog.pg_extension_config_dump('credit.commitment_kind', 'WHERE NOT builtin');
SELECT pg_catalog.pg_extension_config_dump('credit.commitment_matter', '');
SELECT pg_catalog.pg_extension_config_dump('credit.commitment_excluded_matter', '');
SELECT pg_catalog.pg_extension_config_dump('credit.commitment_ban_period', 'WHERE NOT builtin');
CREATE TRIGGER protect_builtin_insert BEFORE INSERT ON credit.commitment_kind
    FOR EACH ROW WHEN (NEW.builtin) EXECUTE FUNCTION credit.protect_builtin();
CREATE TRIGGER protect_builtin_update BEFORE UPDATE ON credit.commitment_kind
    FOR EACH ROW WHEN (OLD.builtin OR NEW.builtin) EXECUTE FUNCTION credit.protect_builtin();
CREATE TRIGGER protect_builtin_delete BEFORE DELETE ON credit.commitment_kind
    FOR EACH ROW WHEN (OLD.builtin) EXECUTE FUNCTION credit.protect_builtin();
CREATE TRIGGER protect_builtin_truncate BEFORE TRUNCATE ON credit.commitment_kind
    FOR EACH STATEMENT EXECUTE FUNCTION credit.protect_builtin();
CREATE TRIGGER protect_builtin_insert BEFORE INSERT ON credit.commitment_ban_period
    FOR EACH ROW WHEN (NEW.builtin) EXECUTE FUNCTION credit.protect_builtin();
CREATE TRIGGER protect_builtin_update BEFORE UPDATE ON credit.commitment_ban_period
    FOR EACH ROW WHEN (OLD.builtin OR NEW.builtin) EXECUTE FUNCTION credit.protect_builtin();
CREATE TRIGGER protect_builtin_delete BEFORE DELETE ON credit.commitment_ban_period
    FOR EACH ROW WHEN (OLD.builtin) EXECUTE FUNCTION credit.protect_builtin();
CREATE TRIGGER protect_builtin_truncate BEFORE TRUNCATE ON credit.commitment_ban_period
    FOR EACH STATEMENT EXECUTE FUNCTION credit.protect_builtin();
COMMENT ON TRIGGER protect_builtin_insert ON credit.commitment_kind IS 'refuses to insert rows marked builtin (they ship with the extension)';
COMMENT ON TRIGGER protect_builtin_update ON credit.commitment_kind IS 'refuses to change builtin rows, or to mark a row builtin (they ship with the extension)';
COMMENT ON TRIGGER protect_builtin_delete ON credit.commitment_kind IS 'refuses to delete builtin rows (they ship with the extension)';
COMMENT ON TRIGGER protect_builtin_truncate ON credit.commitment_kind IS 'refuses TRUNCATE, which would remove the builtin rows without firing the row triggers';
COMMENT ON TRIGGER protect_builtin_insert ON credit.commitment_ban_period IS 'refuses to insert a row marked builtin (the shipped row comes with the extension)';
COMMENT ON TRIGGER protect_builtin_update ON credit.commitment_ban_period IS 'refuses to change the shipped row (insert a local row with builtin = false instead)';
COMMENT ON TRIGGER protect_builtin_delete ON credit.commitment_ban_period IS 'refuses to delete the shipped row';
COMMENT ON TRIGGER protect_builtin_truncate ON credit.commitment_ban_period IS 'refuses TRUNCATE, which would remove the shipped row without firing the row triggers';
-- commitment kinds, matters and the ban are public law, as the rules are
GRANT SELECT ON credit.commitment_kind, credit.commitment_matter, credit.commitment_excluded_matter,
                credit.commitment_ban_period TO PUBLIC;

-- ----------------------------------------------------------- commitments
CREATE TABLE credit.commitment (
    subject_id    bigint NOT NULL REFERENCES credit.subject,
    commitment_id bigint GENERATED BY DEFAULT AS IDENTITY,
    kind          text NOT NULL REFERENCES credit.commitment_kind ON UPDATE CASCADE,
    matter        text REFERENCES credit.commitment_matter ON UPDATE CASCADE,
    authority     text NOT NULL,
    content       text NOT NULL,
    signed_on     date NOT NULL DEFAULT current_date,
    due_on        date,
    record_id     bigint,
    public        boolean NOT NULL,
    state         text NOT NULL DEFAULT 'in_force',
    ended_on      date,
    end_reason    text,
    violation_record_id bigint,
    PRIMARY KEY (subject_id, commitment_id),
    CONSTRAINT commitment_record_id_fkey FOREIGN KEY (subject_id, record_id) REFERENCES credit.record (subject_id, record_id),
    CONSTRAINT commitment_violation_record_id_fkey FOREIGN KEY (subject_id, violation_record_id)
        REFERENCES credit.record (subject_id, record_id),
    CONSTRAINT commitment_state_check CHECK (state IN ('in_force', 'fulfilled', 'violated', 'withdrawn', 'lapsed')),
    CONSTRAINT commitment_authority_not_empty CHECK (btrim(authority) <> ''),
    CONSTRAINT commitment_content_not_empty CHECK (btrim(content) <> ''),
    CONSTRAINT commitment_due_after_signing CHECK (due_on >= signed_on),
    CONSTRAINT commitment_ended_with_state CHECK ((state = 'in_force') = (ended_on IS NULL)),
    CONSTRAINT commitment_ended_after_signing CHECK (ended_on >= signed_on),
    CONSTRAINT commitment_violation_record CHECK ((state = 'violated') = (violation_record_id IS NOT NULL))
);
CREATE INDEX commitment_by_id ON credit.commitment (commitment_id);
CREATE INDEX commitment_record ON credit.commitment (record_id) WHERE record_id IS NOT NULL;
CREATE INDEX commitment_in_force_due ON credit.commitment (due_on) WHERE state = 'in_force' AND due_on IS NOT NULL;
COMMENT ON TABLE credit.commitment IS
    'credit commitments (信用承诺书): who (the subject: name, identifier type and number) committed to what (content), for which matter, before which authority, when; state machine in_force -> fulfilled | violated | withdrawn | lapsed, enforced by triggers; a violation creates a record';
COMMENT ON COLUMN credit.commitment.subject_id IS 'the subject that commits (its name and USCC or resident ID number are in credit.subject)';
COMMENT ON COLUMN credit.commitment.commitment_id IS 'surrogate key (unique; the primary key leads with subject_id for distribution)';
COMMENT ON COLUMN credit.commitment.kind IS 'kind of commitment (credit.commitment_kind)';
COMMENT ON COLUMN credit.commitment.matter IS 'the matter the commitment is made for (credit.commitment_matter); required by kinds that need commitment_allowed()';
COMMENT ON COLUMN credit.commitment.authority IS 'the authority that accepted the commitment (承诺受理单位): its operators write it (row-level security)';
COMMENT ON COLUMN credit.commitment.content IS 'what the subject commits to (the text of the 信用承诺书)';
COMMENT ON COLUMN credit.commitment.signed_on IS 'date the commitment was made';
COMMENT ON COLUMN credit.commitment.due_on IS
    'last day to fulfil it: given, or signed_on plus the kind''s deadline in working days (credit.add_working_days); NULL: no deadline';
COMMENT ON COLUMN credit.commitment.record_id IS 'for a repair commitment: the record it is made for (of the same subject)';
COMMENT ON COLUMN credit.commitment.public IS 'shown in credit.public_commitment; defaults to the kind''s public_by_default';
COMMENT ON COLUMN credit.commitment.state IS 'in_force, fulfilled, violated, withdrawn or lapsed';
COMMENT ON COLUMN credit.commitment.ended_on IS
    'the day the commitment stopped being in force: fulfilled, violated or withdrawn on (default today), or lapsed on (default the day after due_on); NULL while in force';
COMMENT ON COLUMN credit.commitment.end_reason IS 'what the subject failed to do (violated; required), or a note on the fulfilment, withdrawal or lapse';
COMMENT ON COLUMN credit.commitment.violation_record_id IS 'the record the violation created (category and severity from the kind); set by the state guard';
COMMENT ON CONSTRAINT commitment_pkey ON credit.commitment IS 'one row per commitment; subject_id first, so the table distributes by subject';
COMMENT ON INDEX credit.commitment_pkey IS 'enforces commitment_pkey; finds the commitments of a subject';
COMMENT ON SEQUENCE credit.commitment_commitment_id_seq IS 'generates commitment_id';
COMMENT ON INDEX credit.commitment_by_id IS 'finds a commitment by commitment_id (commitment_fulfil, commitment_violate)';
COMMENT ON INDEX credit.commitment_record IS 'finds the repair commitments of a record (repair_eligibility, record.evidence_count)';
COMMENT ON INDEX credit.commitment_in_force_due IS 'finds the commitments in force with a due date (commitment_due, lapse_commitments)';
COMMENT ON CONSTRAINT commitment_subject_id_fkey ON credit.commitment IS 'the subject exists';
COMMENT ON CONSTRAINT commitment_kind_fkey ON credit.commitment IS 'the kind exists; renaming it renames it here';
COMMENT ON CONSTRAINT commitment_matter_fkey ON credit.commitment IS 'the matter, when given, exists; renaming it renames it here';
COMMENT ON CONSTRAINT commitment_record_id_fkey ON credit.commitment IS 'the record a repair commitment is for exists and is the subject''s';
COMMENT ON CONSTRAINT commitment_violation_record_id_fkey ON credit.commitment IS 'the record of a violation exists and is the subject''s';
COMMENT ON CONSTRAINT commitment_state_check ON credit.commitment IS 'the state is in_force, fulfilled, violated, withdrawn or lapsed';
COMMENT ON CONSTRAINT commitment_authority_not_empty ON credit.commitment IS 'a commitment names the authority that accepted it';
COMMENT ON CONSTRAINT commitment_content_not_empty ON credit.commitment IS 'a commitment says what is committed to';
COMMENT ON CONSTRAINT commitment_due_after_signing ON credit.commitment IS 'a commitment is not due before it is signed';
COMMENT ON CONSTRAINT commitment_ended_with_state ON credit.commitment IS 'ended_on is set exactly when the commitment is no longer in force';
COMMENT ON CONSTRAINT commitment_ended_after_signing ON credit.commitment IS 'a commitment does not end before it is signed';
COMMENT ON CONSTRAINT commitment_violation_record ON credit.commitment IS 'a violated commitment, and only it, has its violation record';

SELECT pg_catalog.pg_extension_config_dump('credit.commitment', '');
SELECT pg_catalog.pg_extension_config_dump('credit.commitment_commitment_id_seq', '');

-- --------------------------------------------------- commitment_allowed()
-- whether a matter is excluded from 告知承诺 and 容缺受理; an unknown matter
-- is an error, a NULL matter is none
CREATE OR REPLACE FUNCTION credit.commitment_matter_excluded(matter text) RETURNS boolean
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF matter IS NULL THEN
        RETURN false;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM credit.commitment_matter m WHERE m.matter = commitment_matter_excluded.matter) THEN
        RAISE EXCEPTION USING
            MESSAGE = format(credit.tr('unknown matter "%s"'), matter),
            ERRCODE = 'invalid_parameter_value',
            DETAIL = credit.tr('Commitments are made for the matters of credit.commitment_matter.'),
            HINT = credit.tr('Check the code, or add the matter to credit.commitment_matter.');
    END IF;
    RETURN EXISTS (SELECT 1 FROM credit.commitment_excluded_matter x WHERE x.matter = commitment_matter_excluded.matter);
END $$;
COMMENT ON FUNCTION credit.commitment_matter_excluded(text) IS
    'true when 告知承诺 and 容缺受理 never apply to the matter (credit.commitment_excluded_matter); false for NULL; invalid_parameter_value (22023) for a matter not in credit.commitment_matter';

-- The records that bar 告知承诺 and 容缺受理 while they are in force: those of
-- a black-list category, and violations of commitments (the kinds'
-- violation categories), which bar for the ban period at most (ban_until).
-- Runs as the owner (no row-level security: the decision must see every
-- authority's records); only credit_admin, who sees every record anyway, and
-- the extension's own SECURITY DEFINER code read it, so it need not be a
-- security barrier and is flattened into the queries below.  The columns
-- credit.in_force needs, not the whole row: on a Citus shard a whole row has
-- the shard's row type.
CREATE OR REPLACE VIEW credit.commitment_ban_record AS
SELECT r.subject_id, r.record_id, c.list_kind IS NOT DISTINCT FROM 'black' AS black_list,
       CASE WHEN c.list_kind IS DISTINCT FROM 'black'
            THEN (r.decided_on + (SELECT p.ban_period FROM credit.commitment_ban_period p ORDER BY p.builtin LIMIT 1))::date
       END AS ban_until,
       r.decided_on, r.publicity_max_end, r.state, r.repair_decided_on, r.revoked_on
FROM credit.record r
JOIN credit.record_category c ON c.category = r.category
WHERE c.list_kind = 'black' OR c.category IN (SELECT k.violation_category FROM credit.commitment_kind k);
COMMENT ON VIEW credit.commitment_ban_record IS
    'internal: the records that bar 告知承诺 and 容缺受理 while in force (black-list categories, violations of commitments); every authority''s, for credit_admin and the extension''s own functions';
COMMENT ON COLUMN credit.commitment_ban_record.subject_id IS 'the subject';
COMMENT ON COLUMN credit.commitment_ban_record.record_id IS 'the record';
COMMENT ON COLUMN credit.commitment_ban_record.black_list IS 'true: a black-list record (reason black_list); false: a violation of a commitment (reason violated_commitment)';
COMMENT ON COLUMN credit.commitment_ban_record.ban_until IS
    'a violation: the first day after the ban period (credit.commitment_ban_period) counted from its decision; NULL for a black-list record';
COMMENT ON COLUMN credit.commitment_ban_record.decided_on IS 'the record''s decision date (credit.in_force)';
COMMENT ON COLUMN credit.commitment_ban_record.publicity_max_end IS 'the end of the record''s maximum period (credit.in_force)';
COMMENT ON COLUMN credit.commitment_ban_record.state IS 'the record''s state (credit.in_force)';
COMMENT ON COLUMN credit.commitment_ban_record.repair_decided_on IS 'the date of the record''s repair decision (credit.in_force)';
COMMENT ON COLUMN credit.commitment_ban_record.revoked_on IS 'the date of the record''s revocation (credit.in_force)';

-- the reason codes, in their stable order
CREATE OR REPLACE FUNCTION credit.commitment_reasons(black_list boolean, violated_commitment boolean,
        matter_excluded boolean) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT array_remove(ARRAY[CASE WHEN black_list THEN 'black_list' END,
                              CASE WHEN violated_commitment THEN 'violated_commitment' END,
                              CASE WHEN matter_excluded THEN 'matter_excluded' END], NULL)
$$;
COMMENT ON FUNCTION credit.commitment_reasons(boolean, boolean, boolean) IS
    'the reason codes of commitment_allowed() that hold, in their stable order: black_list, violated_commitment, matter_excluded';

CREATE OR REPLACE FUNCTION credit.commitment_allowed(subject_id bigint, matter text, as_of date DEFAULT current_date,
        OUT allowed boolean, OUT reasons text[], OUT record_ids bigint[])
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    excluded boolean;
    black    boolean;
    violated boolean;
BEGIN
    IF subject_id IS NULL THEN
        RAISE EXCEPTION USING
            MESSAGE = credit.tr('commitment_allowed needs a subject'),
            ERRCODE = 'null_value_not_allowed',
            DETAIL = credit.tr('subject_id is null.'),
            HINT = credit.tr('Find the subject with credit.subject_id_of(code).');
    END IF;
    PERFORM credit.require_sane_date(as_of, 'as_of', NULL);
    excluded := credit.commitment_matter_excluded(matter);
    IF NOT EXISTS (SELECT 1 FROM credit.subject s WHERE s.subject_id = commitment_allowed.subject_id) THEN
        RAISE EXCEPTION USING
            MESSAGE = format(credit.tr('subject %s does not exist'), subject_id), ERRCODE = 'no_data_found';
    END IF;
    SELECT coalesce(array_agg(v.record_id ORDER BY v.record_id), '{}'),
           coalesce(bool_or(v.black_list), false), coalesce(bool_or(NOT v.black_list), false)
    INTO record_ids, black, violated
    FROM credit.commitment_ban_record v
    WHERE v.subject_id = commitment_allowed.subject_id
      AND credit.in_force(v.decided_on, v.publicity_max_end, v.state, v.repair_decided_on, v.revoked_on, as_of)
      AND (v.ban_until IS NULL OR as_of < v.ban_until);
    reasons := credit.commitment_reasons(black, violated, excluded);
    allowed := cardinality(reasons) = 0;
END $$;
REVOKE EXECUTE ON FUNCTION credit.commitment_allowed(bigint, text, date) FROM PUBLIC;
COMMENT ON FUNCTION credit.commitment_allowed(bigint, text, date) IS
    'whether the subject may use 告知承诺 and 容缺受理 for the matter on as_of, every reason against (black_list: a black-list record in force; violated_commitment: a violation record in force and within credit.commitment_ban_period; matter_excluded) and the records behind them; reads every authority''s records (the decision must), returns codes and record ids only; for credit_operator and credit_admin';

-- The same for many subjects in one query (subject_ids NULL: every subject),
-- for batch checks and reports.  PL/pgSQL (Citus plans its queries with
-- their parameters, not a SQL function's).  It runs with the caller's rights
-- and reads commitment_ban_record, which only credit_admin may: restricted
-- to the role that sees every record.
CREATE OR REPLACE FUNCTION credit.commitment_allowed_many(subject_ids bigint[], matter text, as_of date DEFAULT current_date)
RETURNS TABLE (subject_id bigint, allowed boolean, reasons text[], record_ids bigint[])
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    excluded boolean;
    none     text[];
BEGIN
    PERFORM credit.require_sane_date(as_of, 'as_of', NULL);
    excluded := credit.commitment_matter_excluded(matter);
    none := credit.commitment_reasons(false, false, excluded);
    -- one query: every subject (a join of credit.subject, which a cluster
    -- runs on each shard), or the ids given; a few ids read their subjects'
    -- barring records through the index, many every barring record once
    -- (an ANY over 10^6 ids costs more)
    RETURN QUERY EXECUTE format(
        $q$SELECT s.id, b.subject_id IS NULL AND NOT $3,
                  CASE WHEN b.subject_id IS NULL THEN $4 ELSE credit.commitment_reasons(b.black, b.violated, $3) END,
                  coalesce(b.ids, '{}'::bigint[])
           FROM %s
           LEFT JOIN (SELECT v.subject_id, array_agg(v.record_id ORDER BY v.record_id) AS ids,
                             bool_or(v.black_list) AS black, bool_or(NOT v.black_list) AS violated
                      FROM credit.commitment_ban_record v
                      WHERE credit.in_force(v.decided_on, v.publicity_max_end, v.state, v.repair_decided_on, v.revoked_on, $2)
                        AND (v.ban_until IS NULL OR $2 < v.ban_until) %s
                      GROUP BY v.subject_id) b ON b.subject_id = s.id$q$,
        CASE WHEN subject_ids IS NULL THEN '(SELECT c.subject_id AS id FROM credit.subject c) s'
             ELSE 'unnest($1) s(id)' END,
        CASE WHEN cardinality(subject_ids) <= 1000 THEN 'AND v.subject_id = ANY ($1)' ELSE '' END)
    USING subject_ids, as_of, excluded, none;
END $$;
REVOKE EXECUTE ON FUNCTION credit.commitment_allowed_many(bigint[], text, date) FROM PUBLIC;
COMMENT ON FUNCTION credit.commitment_allowed_many(bigint[], text, date) IS
    'credit.commitment_allowed for many subjects in one query (subject_ids NULL: every subject of credit.subject), one row per id given (ids are not checked against credit.subject: an id with no record is allowed); on a Citus cluster pushed down to the shards; for credit_admin (it reads every authority''s records through credit.commitment_ban_record); operators ask commitment_allowed subject by subject';

-- --------------------------------------------------------- the state guard
CREATE OR REPLACE FUNCTION credit.commitment_guard() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    k      credit.commitment_kind;
    rec    credit.record;
    ok     record;
    what   text;
BEGIN
    IF NEW.due_on < NEW.signed_on THEN
        RAISE EXCEPTION USING
            MESSAGE = format(credit.tr('due date %s is before the signing date %s'), NEW.due_on, NEW.signed_on),
            ERRCODE = 'check_violation',
            HINT = credit.tr('Leave due_on empty to have it computed from the kind''s deadline in working days.');
    END IF;
    IF TG_OP = 'UPDATE' THEN
        IF (NEW.subject_id, NEW.commitment_id, NEW.kind, NEW.matter, NEW.authority, NEW.content, NEW.signed_on, NEW.record_id)
           IS DISTINCT FROM (OLD.subject_id, OLD.commitment_id, OLD.kind, OLD.matter, OLD.authority, OLD.content, OLD.signed_on, OLD.record_id) THEN
            RAISE EXCEPTION USING
                MESSAGE = format(credit.tr('commitment %s is signed and cannot be changed'), OLD.commitment_id),
                ERRCODE = 'object_not_in_prerequisite_state',
                DETAIL = credit.tr('Only its state (with ended_on and end_reason), due_on and public may change.'),
                HINT = credit.tr('Withdraw it (state withdrawn) and record a new commitment.');
        END IF;
        IF NEW.violation_record_id IS DISTINCT FROM OLD.violation_record_id THEN
            RAISE EXCEPTION USING
                MESSAGE = format(credit.tr('commitment %s: violation_record_id is set when the commitment is violated'), OLD.commitment_id),
                ERRCODE = 'insufficient_privilege',
                HINT = credit.tr('Use credit.commitment_violate().');
        END IF;
        IF NEW.state = OLD.state THEN
            IF (NEW.ended_on, NEW.end_reason) IS DISTINCT FROM (OLD.ended_on, OLD.end_reason)
               OR (OLD.state <> 'in_force' AND NEW.due_on IS DISTINCT FROM OLD.due_on) THEN
                RAISE EXCEPTION USING
                    MESSAGE = format(credit.tr('commitment %s is %s: ended_on, end_reason and due_on no longer change'), OLD.commitment_id, OLD.state),
                    ERRCODE = 'object_not_in_prerequisite_state',
                    DETAIL = credit.tr('ended_on and end_reason are set with the move out of in_force; due_on changes while in force.');
            END IF;
            RETURN NEW;
        END IF;
        IF OLD.state <> 'in_force' OR NEW.state NOT IN ('fulfilled', 'violated', 'withdrawn', 'lapsed') THEN
            RAISE EXCEPTION USING
                MESSAGE = format(credit.tr('commitment %s cannot change from state "%s" to "%s"'), OLD.commitment_id, OLD.state, NEW.state),
                ERRCODE = 'object_not_in_prerequisite_state',
                DETAIL = CASE WHEN OLD.state <> 'in_force' THEN format(credit.tr('"%s" is final.'), OLD.state)
                              ELSE credit.tr('From "in_force" a commitment may go to: fulfilled, violated, withdrawn, lapsed.') END;
        END IF;
        what := CASE NEW.state WHEN 'fulfilled' THEN 'fulfilment' WHEN 'violated' THEN 'violation'
                               WHEN 'withdrawn' THEN 'withdrawal' ELSE 'lapse' END;
        -- a lapse happens the day after the due date; the other moves by default today
        NEW.ended_on := coalesce(NEW.ended_on, CASE WHEN NEW.state = 'lapsed' THEN NEW.due_on + 1 END, current_date);
        PERFORM credit.require_sane_date(NEW.ended_on, what, 1);
        IF NEW.ended_on < NEW.signed_on THEN
            RAISE EXCEPTION USING
                MESSAGE = format(credit.tr('%s date %s is before the signing date %s'), what, NEW.ended_on, NEW.signed_on),
                ERRCODE = 'check_violation';
        END IF;
        IF NEW.state = 'fulfilled' AND NEW.ended_on > NEW.due_on THEN
            RAISE EXCEPTION USING
                MESSAGE = format(credit.tr('commitment %s was due on %s and cannot be fulfilled on %s'), OLD.commitment_id, NEW.due_on, NEW.ended_on),
                ERRCODE = 'object_not_in_prerequisite_state',
                HINT = credit.tr('It lapsed (credit.lapse_commitments), or record the violation with credit.commitment_violate().');
        ELSIF NEW.state = 'lapsed' AND (NEW.due_on IS NULL OR NEW.ended_on <= NEW.due_on) THEN
            RAISE EXCEPTION USING
                MESSAGE = format(credit.tr('commitment %s is not overdue on %s'), OLD.commitment_id, NEW.ended_on),
                ERRCODE = 'object_not_in_prerequisite_state',
                DETAIL = CASE WHEN NEW.due_on IS NULL THEN credit.tr('It has no due date.')
                              ELSE format(credit.tr('It is due on %s; it lapses from the day after.'), NEW.due_on) END;
        ELSIF NEW.state = 'violated' THEN
            IF coalesce(btrim(NEW.end_reason), '') = '' THEN
                RAISE EXCEPTION USING
                    MESSAGE = format(credit.tr('the violation of commitment %s needs its reason'), OLD.commitment_id),
                    ERRCODE = 'not_null_violation',
                    HINT = credit.tr('Say in end_reason what the subject failed to do; it goes into the record.');
            END IF;
            -- the violation is a record like any other: publicity, repair, measures, bans
            SELECT * INTO k FROM credit.commitment_kind WHERE kind = NEW.kind;
            INSERT INTO credit.record (subject_id, category, severity, authority, decided_on)
            VALUES (NEW.subject_id, k.violation_category, k.violation_severity, NEW.authority, NEW.ended_on)
            RETURNING record_id INTO NEW.violation_record_id;
        END IF;
        RETURN NEW;
    END IF;

    -- INSERT: a new commitment
    SELECT * INTO k FROM credit.commitment_kind WHERE kind = NEW.kind;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING
            MESSAGE = format(credit.tr('unknown commitment kind "%s"'), NEW.kind),
            ERRCODE = 'invalid_parameter_value',
            DETAIL = format(credit.tr('Known kinds: %s.'), (SELECT string_agg(kind, ', ' ORDER BY kind) FROM credit.commitment_kind)),
            HINT = credit.tr('Add your own kinds to credit.commitment_kind.');
    END IF;
    IF NOT EXISTS (SELECT 1 FROM credit.subject s WHERE s.subject_id = NEW.subject_id) THEN
        RAISE EXCEPTION USING
            MESSAGE = format(credit.tr('subject %s does not exist'), NEW.subject_id), ERRCODE = 'foreign_key_violation';
    END IF;
    IF coalesce(btrim(NEW.content), '') = '' THEN
        RAISE EXCEPTION USING
            MESSAGE = credit.tr('a commitment needs its content'),
            ERRCODE = 'check_violation',
            DETAIL = credit.tr('content is empty.'),
            HINT = credit.tr('Write what the subject commits to, as in the signed 信用承诺书.');
    END IF;
    PERFORM credit.commitment_matter_excluded(NEW.matter);     -- an unknown matter is an error
    IF k.requires_allowed AND NEW.matter IS NULL THEN
        RAISE EXCEPTION USING
            MESSAGE = format(credit.tr('a commitment of kind "%s" needs the matter it is made for'), NEW.kind),
            ERRCODE = 'not_null_violation',
            HINT = credit.tr('Give matter, a code of credit.commitment_matter.');
    END IF;
    IF k.for_record AND NEW.record_id IS NULL THEN
        RAISE EXCEPTION USING
            MESSAGE = format(credit.tr('a commitment of kind "%s" needs the record it is made for'), NEW.kind),
            ERRCODE = 'not_null_violation',
            HINT = credit.tr('Give record_id, the record to be repaired.');
    ELSIF NOT k.for_record AND NEW.record_id IS NOT NULL THEN
        RAISE EXCEPTION USING
            MESSAGE = format(credit.tr('a commitment of kind "%s" is not made for a record'), NEW.kind),
            ERRCODE = 'check_violation',
            HINT = credit.tr('Leave record_id empty; only kinds with for_record (repair) name a record.');
    END IF;
    PERFORM credit.require_sane_date(NEW.signed_on, 'signing', 1);
    IF NEW.due_on IS NULL AND k.deadline_working_days IS NOT NULL THEN
        NEW.due_on := credit.add_working_days(NEW.signed_on, k.deadline_working_days);
    END IF;
    NEW.public := coalesce(NEW.public, k.public_by_default);
    IF NEW.record_id IS NOT NULL THEN
        -- the record as the caller sees it (row-level security)
        SELECT * INTO rec FROM credit.record r WHERE r.record_id = NEW.record_id AND r.subject_id = NEW.subject_id;
        IF NOT FOUND THEN
            RAISE EXCEPTION USING
                MESSAGE = format(credit.tr('record %s of subject %s does not exist'), NEW.record_id, NEW.subject_id),
                ERRCODE = 'foreign_key_violation';
        END IF;
        IF NEW.signed_on < rec.decided_on THEN
            RAISE EXCEPTION USING
                MESSAGE = format(credit.tr('signing date %s is before the record''s decision date %s'), NEW.signed_on, rec.decided_on),
                ERRCODE = 'check_violation';
        END IF;
    END IF;

    IF NEW.state <> 'in_force' THEN
        -- an ended commitment inserted is history being imported (or restored
        -- by pg_restore): it carries its end, and changes nothing else
        IF NOT credit.caller_in('credit_admin') THEN
            RAISE EXCEPTION USING
                MESSAGE = format(credit.tr('a new commitment starts as "in_force", not "%s"'), NEW.state),
                ERRCODE = 'object_not_in_prerequisite_state',
                HINT = credit.tr('Administrators (credit_admin) may import ended commitments with ended_on, and violated ones with violation_record_id.');
        END IF;
        IF NEW.ended_on IS NULL OR (NEW.state = 'violated' AND NEW.violation_record_id IS NULL) THEN
            RAISE EXCEPTION USING
                MESSAGE = format(credit.tr('an imported commitment in state "%s" lacks ended_on or violation_record_id'), NEW.state),
                ERRCODE = 'not_null_violation';
        END IF;
        RETURN NEW;
    END IF;
    IF NEW.ended_on IS NOT NULL OR NEW.violation_record_id IS NOT NULL THEN
        RAISE EXCEPTION USING
            MESSAGE = credit.tr('a commitment in force has no ended_on and no violation_record_id'),
            ERRCODE = 'check_violation';
    END IF;
    IF NEW.record_id IS NOT NULL THEN
        -- by the dates, so a commitment signed before the record was
        -- repaired stays valid (and restores)
        IF NOT credit.record_in_force(rec, NEW.signed_on) THEN
            RAISE EXCEPTION USING
                MESSAGE = format(credit.tr('record %s is not in force on %s, there is nothing to repair'), NEW.record_id, NEW.signed_on),
                ERRCODE = 'object_not_in_prerequisite_state',
                DETAIL = format(credit.tr('The record is %s.'), rec.state);
        END IF;
    END IF;
    -- 告知承诺 and 容缺受理: not for black-listed subjects, unrepaired
    -- violations or excluded matters (superusers and the extension's owner,
    -- e.g. pg_restore, are not checked)
    IF k.requires_allowed AND NOT credit.runs_as_owner() THEN
        ok := credit.commitment_allowed(NEW.subject_id, NEW.matter, NEW.signed_on);
        IF NOT ok.allowed THEN
            RAISE EXCEPTION USING
                MESSAGE = format(credit.tr('subject %s may not sign a commitment of kind "%s" for matter "%s" on %s'),
                                 NEW.subject_id, NEW.kind, NEW.matter, NEW.signed_on),
                ERRCODE = 'object_not_in_prerequisite_state',
                DETAIL = format(credit.tr('Reasons: %s; records: %s.'), array_to_string(ok.reasons, ', '),
                                coalesce(nullif(array_to_string(ok.record_ids, ', '), ''), '-')),
                HINT = credit.tr('The matter takes the ordinary procedure, with every material (see credit.commitment_allowed()).');
        END IF;
    END IF;
    RETURN NEW;
END $$;
COMMENT ON FUNCTION credit.commitment_guard() IS
    'trigger: checks a new commitment (known kind and matter, content, record, dates; commitment_allowed() for kinds that require it), computes due_on in working days and public; allows only in_force -> fulfilled | violated | withdrawn | lapsed, with their dates, and creates the record of a violation';
CREATE TRIGGER commitment_guard BEFORE INSERT OR UPDATE ON credit.commitment
    FOR EACH ROW EXECUTE FUNCTION credit.commitment_guard();
CREATE TRIGGER commitment_evidence AFTER INSERT OR UPDATE OF record_id ON credit.commitment
    FOR EACH ROW WHEN (NEW.record_id IS NOT NULL) EXECUTE FUNCTION credit.evidence_changed();
CREATE TRIGGER commitment_no_delete BEFORE DELETE ON credit.commitment
    FOR EACH ROW EXECUTE FUNCTION credit.refuse_delete();
CREATE TRIGGER commitment_no_truncate BEFORE TRUNCATE ON credit.commitment
    FOR EACH STATEMENT EXECUTE FUNCTION credit.refuse_delete();
COMMENT ON TRIGGER commitment_guard ON credit.commitment IS 'checks new commitments and every change: the state machine, dates, due_on, the violation record (credit.commitment_guard)';
COMMENT ON TRIGGER commitment_evidence ON credit.commitment IS 'after a repair commitment is inserted: recounts record.evidence_count of its record (credit.evidence_changed)';
COMMENT ON TRIGGER commitment_no_delete ON credit.commitment IS 'refuses DELETE: commitments are kept (change the state instead)';
COMMENT ON TRIGGER commitment_no_truncate ON credit.commitment IS 'refuses TRUNCATE: commitments are kept';

-- operators write the commitments their authority accepted; credit_admin all
ALTER TABLE credit.commitment ENABLE ROW LEVEL SECURITY;
CREATE POLICY commitment_by_authority ON credit.commitment
    USING (credit.may_access(authority)) WITH CHECK (credit.may_access(authority));
COMMENT ON POLICY commitment_by_authority ON credit.commitment IS
    'a role reads and writes the commitments accepted by the authorities credit.operator_authority maps it to; credit_admin all commitments';

-- ------------------------------------------------------- moves, batch job
CREATE OR REPLACE FUNCTION credit.commitment_fulfil(commitment_id bigint, on_date date DEFAULT current_date) RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    PERFORM credit.require_sane_date(on_date, 'fulfilment', 1);
    UPDATE credit.commitment c SET state = 'fulfilled', ended_on = on_date
    WHERE c.commitment_id = commitment_fulfil.commitment_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING
            MESSAGE = format(credit.tr('commitment %s does not exist'), commitment_id), ERRCODE = 'no_data_found';
    END IF;
END $$;
REVOKE EXECUTE ON FUNCTION credit.commitment_fulfil(bigint, date) FROM PUBLIC;
COMMENT ON FUNCTION credit.commitment_fulfil(bigint, date) IS
    'the commitment was fulfilled on on_date (not after its due date); no_data_found for a commitment the caller cannot see; for credit_operator (its authority''s commitments) and credit_admin';

CREATE OR REPLACE FUNCTION credit.commitment_violate(commitment_id bigint, reason text, on_date date DEFAULT current_date)
RETURNS bigint
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    rid bigint;
BEGIN
    PERFORM credit.require_sane_date(on_date, 'violation', 1);
    UPDATE credit.commitment c SET state = 'violated', ended_on = on_date, end_reason = reason
    WHERE c.commitment_id = commitment_violate.commitment_id
    RETURNING c.violation_record_id INTO rid;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING
            MESSAGE = format(credit.tr('commitment %s does not exist'), commitment_id), ERRCODE = 'no_data_found';
    END IF;
    RETURN rid;
END $$;
REVOKE EXECUTE ON FUNCTION credit.commitment_violate(bigint, text, date) FROM PUBLIC;
COMMENT ON FUNCTION credit.commitment_violate(bigint, text, date) IS
    'the commitment was violated on on_date: records a record of the kind''s violation category and severity (publicity, repair, classification and bans treat it like any record) and returns its record_id; for credit_operator (its authority''s commitments) and credit_admin';

CREATE OR REPLACE FUNCTION credit.lapse_commitments(as_of date DEFAULT current_date) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    n bigint;
BEGIN
    -- irreversible: never ahead of time
    PERFORM credit.require_sane_date(as_of, 'as_of', 0);
    UPDATE credit.commitment c SET state = 'lapsed', ended_on = c.due_on + 1
    FROM credit.commitment_kind k
    WHERE k.kind = c.kind AND k.deadline_working_days IS NOT NULL
      AND c.state = 'in_force' AND c.due_on < as_of;
    GET DIAGNOSTICS n = ROW_COUNT;
    RETURN n;
END $$;
REVOKE EXECUTE ON FUNCTION credit.lapse_commitments(date) FROM PUBLIC;
COMMENT ON FUNCTION credit.lapse_commitments(date) IS
    'mark every commitment in force of a kind with a deadline (missing_materials) whose due date passed before as_of (today or earlier) as lapsed, on the day after its due date, whoever runs it (runs as the owner; granted to credit_admin); returns how many';

-- ----------------------------------------------------------------- views
CREATE OR REPLACE VIEW credit.commitment_due WITH (security_invoker = true) AS
SELECT c.commitment_id, c.subject_id, s.name AS subject_name, s.uscc, c.kind, k.name AS kind_name, c.matter,
       c.authority, c.signed_on, c.due_on, credit.working_days_between(c.due_on, current_date) AS working_days_overdue
FROM credit.commitment c
JOIN credit.subject s ON s.subject_id = c.subject_id
JOIN credit.commitment_kind k ON k.kind = c.kind
WHERE c.state = 'in_force' AND c.due_on <= current_date;
COMMENT ON VIEW credit.commitment_due IS
    'commitments in force that are due today or overdue (to fulfil, violate or lapse); security_invoker: an operator sees its authority''s commitments';
COMMENT ON COLUMN credit.commitment_due.commitment_id IS 'commitment key';
COMMENT ON COLUMN credit.commitment_due.subject_id IS 'subject key';
COMMENT ON COLUMN credit.commitment_due.subject_name IS 'name of the subject';
COMMENT ON COLUMN credit.commitment_due.uscc IS 'code of an organisation (persons: NULL; find them by subject_id)';
COMMENT ON COLUMN credit.commitment_due.kind IS 'kind of commitment';
COMMENT ON COLUMN credit.commitment_due.kind_name IS 'name of the kind';
COMMENT ON COLUMN credit.commitment_due.matter IS 'the matter';
COMMENT ON COLUMN credit.commitment_due.authority IS 'the accepting authority';
COMMENT ON COLUMN credit.commitment_due.signed_on IS 'date signed';
COMMENT ON COLUMN credit.commitment_due.due_on IS 'last day to fulfil it';
COMMENT ON COLUMN credit.commitment_due.working_days_overdue IS 'working days since the due date (0: due today)';

CREATE OR REPLACE VIEW credit.public_commitment WITH (security_barrier) AS
SELECT c.commitment_id, c.subject_id, s.name AS subject_name, s.uscc, credit.mask(s.rid) AS rid_masked, s.region,
       c.kind, k.name AS kind_name, c.matter, m.name AS matter_name, c.authority, c.content,
       c.signed_on, c.due_on, c.state, c.ended_on
FROM credit.commitment c
JOIN credit.subject s ON s.subject_id = c.subject_id
JOIN credit.commitment_kind k ON k.kind = c.kind
LEFT JOIN credit.commitment_matter m ON m.matter = c.matter
WHERE c.public;
COMMENT ON VIEW credit.public_commitment IS
    'the public credit commitments (信用承诺公示) with their state, resident ID numbers masked; security_barrier: a caller''s functions see only the rows it shows';
COMMENT ON COLUMN credit.public_commitment.commitment_id IS 'commitment key';
COMMENT ON COLUMN credit.public_commitment.subject_id IS 'subject key';
COMMENT ON COLUMN credit.public_commitment.subject_name IS 'name of the subject';
COMMENT ON COLUMN credit.public_commitment.uscc IS 'code of an organisation';
COMMENT ON COLUMN credit.public_commitment.rid_masked IS 'masked resident ID number of a person';
COMMENT ON COLUMN credit.public_commitment.region IS '6-digit administrative region of the subject';
COMMENT ON COLUMN credit.public_commitment.kind IS 'kind of commitment (type)';
COMMENT ON COLUMN credit.public_commitment.kind_name IS 'name of the kind, e.g. 容缺受理型';
COMMENT ON COLUMN credit.public_commitment.matter IS 'the matter';
COMMENT ON COLUMN credit.public_commitment.matter_name IS 'name of the matter';
COMMENT ON COLUMN credit.public_commitment.authority IS 'the accepting authority (承诺受理单位)';
COMMENT ON COLUMN credit.public_commitment.content IS 'what was committed to';
COMMENT ON COLUMN credit.public_commitment.signed_on IS 'date signed';
COMMENT ON COLUMN credit.public_commitment.due_on IS 'last day to fulfil it (NULL: no deadline)';
COMMENT ON COLUMN credit.public_commitment.state IS 'in_force, fulfilled, violated, withdrawn or lapsed';
COMMENT ON COLUMN credit.public_commitment.ended_on IS 'the day it stopped being in force';

-- every commitment table is audited row by row
SELECT credit.audit_enable(t) FROM unnest(ARRAY[
    'credit.commitment_kind', 'credit.commitment_matter', 'credit.commitment_excluded_matter',
    'credit.commitment_ban_period', 'credit.commitment'
]::regclass[]) t;
