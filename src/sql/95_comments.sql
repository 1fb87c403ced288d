-- Comments on the objects the other files leave uncommented: constraints, indexes,
-- sequences, triggers and view columns.  Installed last and also run by the upgrade
-- script, so every statement must be idempotent (COMMENT ON is: it replaces the text).

-- ------------------------------------------- GB 32100 / GB/T 2260 reference views
COMMENT ON COLUMN credit.uscc_department.code IS 'department code: position 1 of a unified social credit code';
COMMENT ON COLUMN credit.uscc_department.name IS 'name of the registration department, e.g. 机构编制';
COMMENT ON COLUMN credit.uscc_category.department IS 'the department the category belongs to (uscc_department.code)';
COMMENT ON COLUMN credit.uscc_category.code IS 'category code: position 2 of a unified social credit code, meaningful within its department';
COMMENT ON COLUMN credit.uscc_category.name IS 'name of the organisation category, e.g. 事业单位';
COMMENT ON COLUMN credit.province.code IS 'two-digit province-level code (GB/T 2260)';
COMMENT ON COLUMN credit.province.name IS 'name of the province-level division';
COMMENT ON COLUMN credit.province.in_uscc IS 'the code is valid in positions 3-4 of a unified social credit code (10, 中央, only there)';
COMMENT ON COLUMN credit.province.in_rid IS 'the code is valid in positions 1-2 of a resident ID number (83, Taiwan residents'' residence permits, only there)';

-- ------------------------------------------------------------------- calendar
COMMENT ON CONSTRAINT calendar_pkey ON credit.calendar IS 'one row per day';
COMMENT ON INDEX credit.calendar_pkey IS 'enforces calendar_pkey; finds the arrangement of a day';
COMMENT ON CONSTRAINT calendar_kind_check ON credit.calendar IS 'a day is either a holiday (a weekday off) or a workday (a weekend day worked)';
COMMENT ON TRIGGER protect_builtin_insert ON credit.calendar IS 'refuses to insert rows marked builtin (they ship with the extension)';
COMMENT ON TRIGGER protect_builtin_update ON credit.calendar IS 'refuses to change builtin rows, or to mark a row builtin (they ship with the extension)';
COMMENT ON TRIGGER protect_builtin_delete ON credit.calendar IS 'refuses to delete builtin rows (they ship with the extension)';
COMMENT ON TRIGGER protect_builtin_truncate ON credit.calendar IS 'refuses TRUNCATE, which would remove the builtin rows without firing the row triggers';
COMMENT ON TRIGGER config_changed ON credit.calendar IS 'after every INSERT, UPDATE, DELETE or TRUNCATE statement: makes every session drop its cached copy of the calendar and the rules';

-- ------------------------------------------------------------ record_category
COMMENT ON CONSTRAINT record_category_pkey ON credit.record_category IS 'one row per category code';
COMMENT ON INDEX credit.record_category_pkey IS 'enforces record_category_pkey; finds a category by its code (foreign keys of publicity_rule and risk_cap, the category name in the views)';
COMMENT ON CONSTRAINT record_category_category_check ON credit.record_category IS 'a category code is lower-case ASCII: a letter, then letters, digits and underscores';
COMMENT ON TRIGGER protect_builtin_insert ON credit.record_category IS 'refuses to insert rows marked builtin (they ship with the extension)';
COMMENT ON TRIGGER protect_builtin_update ON credit.record_category IS 'refuses to change builtin rows, or to mark a row builtin (they ship with the extension)';
COMMENT ON TRIGGER protect_builtin_delete ON credit.record_category IS 'refuses to delete builtin rows (they ship with the extension)';
COMMENT ON TRIGGER protect_builtin_truncate ON credit.record_category IS 'refuses TRUNCATE, which would remove the builtin rows without firing the row triggers';
COMMENT ON TRIGGER config_changed ON credit.record_category IS 'after every INSERT, UPDATE, DELETE or TRUNCATE statement: makes every session drop its cached copy of the calendar and the rules';

-- -------------------------------------------------------------------- ruleset
COMMENT ON CONSTRAINT ruleset_pkey ON credit.ruleset IS 'one row per ruleset code';
COMMENT ON INDEX credit.ruleset_pkey IS 'enforces ruleset_pkey; finds a ruleset by its code (records, the foreign key of publicity_rule)';
COMMENT ON CONSTRAINT ruleset_ruleset_check ON credit.ruleset IS 'a ruleset code is lower-case ASCII letters, digits, underscores and hyphens, starting with a letter or digit';
COMMENT ON CONSTRAINT ruleset_excluded_categories_check ON credit.ruleset IS 'the excluded categories are among 1-6 (the values of record.excluded_category)';
COMMENT ON CONSTRAINT ruleset_same_type_window_check ON credit.ruleset IS 'the same-type window, when set, is a positive period';
COMMENT ON CONSTRAINT ruleset_repair_limit_check ON credit.ruleset IS 'the repair limit, when set, is at least one repair';
COMMENT ON CONSTRAINT ruleset_repair_limit_window_check ON credit.ruleset IS 'the window of the repair limit, when set, is a positive period';
COMMENT ON CONSTRAINT ruleset_notice_working_days_check ON credit.ruleset IS 'the notice period is not negative (0: no notice)';
COMMENT ON CONSTRAINT ruleset_processing_working_days_check ON credit.ruleset IS 'the processing period is not negative';
COMMENT ON CONSTRAINT ruleset_check ON credit.ruleset IS 'a repair limit and its window are set together or not at all';
COMMENT ON CONSTRAINT ruleset_not_itself ON credit.ruleset IS 'a ruleset does not replace itself';
COMMENT ON TRIGGER protect_builtin_insert ON credit.ruleset IS 'refuses to insert rows marked builtin (they ship with the extension)';
COMMENT ON TRIGGER protect_builtin_update ON credit.ruleset IS 'refuses to change builtin rows, or to mark a row builtin (they ship with the extension; copy the ruleset instead)';
COMMENT ON TRIGGER protect_builtin_delete ON credit.ruleset IS 'refuses to delete builtin rows (they ship with the extension)';
COMMENT ON TRIGGER protect_builtin_truncate ON credit.ruleset IS 'refuses TRUNCATE, which would remove the builtin rows without firing the row triggers';
COMMENT ON TRIGGER config_changed ON credit.ruleset IS 'after every INSERT, UPDATE, DELETE or TRUNCATE statement: makes every session drop its cached copy of the calendar and the rules';

-- ------------------------------------------------------------- publicity_rule
COMMENT ON CONSTRAINT publicity_rule_pkey ON credit.publicity_rule IS 'one rule per ruleset, category and severity';
COMMENT ON INDEX credit.publicity_rule_pkey IS 'enforces publicity_rule_pkey; finds the rule of a record (record_rule_fkey) and the rules of a ruleset';
COMMENT ON CONSTRAINT publicity_rule_ruleset_fkey ON credit.publicity_rule IS 'the ruleset exists; a renamed ruleset takes its rules along, a deleted one deletes them';
COMMENT ON CONSTRAINT publicity_rule_category_fkey ON credit.publicity_rule IS 'the category exists in credit.record_category; renaming it renames it here';
COMMENT ON CONSTRAINT publicity_rule_severity_check ON credit.publicity_rule IS 'the severity is minor, general or serious';
COMMENT ON CONSTRAINT publicity_rule_anchor_check ON credit.publicity_rule IS 'periods are counted from the decision (decided_on) or from the disclosure (disclosed_on)';
COMMENT ON CONSTRAINT publicity_rule_min_period_check ON credit.publicity_rule IS 'the minimum period, when set, is not negative and counts whole days, months or years (no hours)';
COMMENT ON CONSTRAINT publicity_rule_max_period_check ON credit.publicity_rule IS 'the maximum period, when set, is positive and counts whole days, months or years (no hours)';
COMMENT ON CONSTRAINT publicity_rule_min_training_hours_check ON credit.publicity_rule IS 'the required training, when set, is not negative';
COMMENT ON CONSTRAINT publicity_rule_check ON credit.publicity_rule IS 'the minimum period is not longer than the maximum period';
COMMENT ON CONSTRAINT publicity_rule_check1 ON credit.publicity_rule IS 'a rule for records that are not published has no minimum period (its maximum period bounds how long such records stay in force)';
COMMENT ON CONSTRAINT record_category_list_kind ON credit.record_category IS 'a list category is a black list or a watch list';
COMMENT ON TRIGGER protect_builtin_insert ON credit.publicity_rule IS 'refuses to insert rows marked builtin (they ship with the extension)';
COMMENT ON TRIGGER protect_builtin_update ON credit.publicity_rule IS 'refuses to change builtin rows, or to mark a row builtin (they ship with the extension; copy the ruleset instead)';
COMMENT ON TRIGGER protect_builtin_delete ON credit.publicity_rule IS 'refuses to delete builtin rows (they ship with the extension)';
COMMENT ON TRIGGER protect_builtin_truncate ON credit.publicity_rule IS 'refuses TRUNCATE, which would remove the builtin rows without firing the row triggers';
COMMENT ON TRIGGER config_changed ON credit.publicity_rule IS 'after every INSERT, UPDATE, DELETE or TRUNCATE statement: makes every session drop its cached copy of the calendar and the rules';

-- -------------------------------------------------------------------- subject
COMMENT ON CONSTRAINT subject_pkey ON credit.subject IS 'one row per subject_id';
COMMENT ON INDEX credit.subject_pkey IS 'enforces subject_pkey; finds a subject by subject_id (records, indicator values and classifications refer to it)';
COMMENT ON SEQUENCE credit.subject_subject_id_seq IS 'generates subject_id';
COMMENT ON CONSTRAINT subject_uscc_key ON credit.subject IS 'no two subjects have the same unified social credit code';
COMMENT ON INDEX credit.subject_uscc_key IS 'enforces subject_uscc_key; finds the subject of a unified social credit code (credit.subject_id_of)';
COMMENT ON CONSTRAINT subject_rid_key ON credit.subject IS 'no two subjects have the same resident ID number';
COMMENT ON INDEX credit.subject_rid_key IS 'enforces subject_rid_key; finds the subject of a resident ID number (credit.subject_id_of)';
COMMENT ON CONSTRAINT uscc_subject_pkey ON credit.uscc_subject IS 'on a Citus cluster: one subject per unified social credit code, across the cluster';
COMMENT ON INDEX credit.uscc_subject_pkey IS 'enforces uscc_subject_pkey; finds the subject of a code (credit.subject_id_of on a cluster)';
COMMENT ON CONSTRAINT rid_subject_pkey ON credit.rid_subject IS 'on a Citus cluster: one subject per resident ID number, across the cluster';
COMMENT ON INDEX credit.rid_subject_pkey IS 'enforces rid_subject_pkey; finds the subject of a resident ID number (credit.subject_id_of on a cluster)';
COMMENT ON CONSTRAINT subject_one_identifier ON credit.subject IS 'a subject has exactly one identifier: a unified social credit code or a resident ID number';
COMMENT ON CONSTRAINT subject_name_not_empty ON credit.subject IS 'the name is not blank';
COMMENT ON CONSTRAINT subject_region_check ON credit.subject IS 'the region, when known, is a 6-digit administrative region code';
COMMENT ON CONSTRAINT subject_registered_by_not_empty ON credit.subject IS 'the registering authority, when set, is not blank';
COMMENT ON TRIGGER subject_defaults ON credit.subject IS
    'before INSERT, and before UPDATE of uscc, rid or region: checks that the subject has exactly one identifier, fills a missing region from it and, on INSERT, a missing registering authority from the operator''s (credit.subject_defaults)';

-- --------------------------------------------------------------------- record
COMMENT ON CONSTRAINT record_pkey ON credit.record IS 'one row per record; subject_id first, so the table distributes by subject and the tables that refer to a record carry its subject';
COMMENT ON INDEX credit.record_pkey IS 'enforces record_pkey; finds the records of a subject (the repair tables, objections and commitments refer to it)';
COMMENT ON CONSTRAINT record_id_key ON credit.record IS 'record_id alone identifies a record (one node; credit.distribute drops it on a Citus cluster, where ids come from one sequence)';
COMMENT ON INDEX credit.record_id_key IS 'enforces record_id_key; finds a record by record_id (repair_eligibility, the workflow triggers)';
COMMENT ON SEQUENCE credit.record_record_id_seq IS 'generates record_id';
COMMENT ON CONSTRAINT record_subject_id_fkey ON credit.record IS 'the subject exists';
COMMENT ON CONSTRAINT record_rule_fkey ON credit.record IS
    'a publicity rule exists for the record''s ruleset, category and severity (the publicity trigger fills the ruleset first); also makes pg_restore load the rules before the records';
COMMENT ON CONSTRAINT record_severity_check ON credit.record IS 'the severity is minor, general or serious';
COMMENT ON CONSTRAINT record_excluded_category_check ON credit.record IS 'an excluded category, when set, is one of 1-6';
COMMENT ON CONSTRAINT record_state_check ON credit.record IS 'the state is published, under_repair, repaired, expired or revoked';
COMMENT ON CONSTRAINT record_authority_not_empty ON credit.record IS 'the deciding authority is not blank';
COMMENT ON CONSTRAINT record_check ON credit.record IS 'a record is disclosed on or after its decision';
COMMENT ON CONSTRAINT record_check1 ON credit.record IS 'the conduct is corrected on or after the decision';
COMMENT ON INDEX credit.record_subject_repaired IS
    'partial: the repaired records of a subject by repair date, for the repair limits (earlier repairs of the subject); small, since most subjects have none';
COMMENT ON INDEX credit.record_active IS
    'partial: published and under-repair records by the end of their maximum period, for credit.expire_records';
COMMENT ON TRIGGER record_publicity ON credit.record IS
    'before INSERT, and before UPDATE of the columns the rules depend on: fills a missing disclosed_on and ruleset, and publicity_starts, publicity_min_end and publicity_max_end from the publicity rules (credit.publicity_trigger)';
COMMENT ON TRIGGER record_insert_guard ON credit.record IS
    'before INSERT of a record that is not a plain published one (another state, objections, evidence, a repair or revocation date): refuses it except from the repair workflow (credit.record_state_guard)';
COMMENT ON TRIGGER record_state_guard ON credit.record IS
    'before UPDATE of the state, the workflow''s columns or the subject: allows only the legal state changes, keeps the repair states and the objection and evidence columns to the repair workflow and records revoked_on (credit.record_state_guard)';
COMMENT ON TRIGGER record_authority_changed ON credit.record IS
    'copies a changed authority to the record''s evidence, applications and objections (credit.record_authority_changed)';
COMMENT ON TRIGGER record_no_delete ON credit.record IS 'refuses to delete records: they are kept as an archive (revoke or expire them instead)';
COMMENT ON TRIGGER record_no_truncate ON credit.record IS 'refuses TRUNCATE: records are kept as an archive';

-- ------------------------------------------------------- record_public_fields
COMMENT ON COLUMN credit.record_public_fields.record_id IS 'record key';
COMMENT ON COLUMN credit.record_public_fields.subject_name IS 'name of the subject';
COMMENT ON COLUMN credit.record_public_fields.uscc IS 'unified social credit code of an organisation';
COMMENT ON COLUMN credit.record_public_fields.rid_masked IS 'masked resident ID number of a person';
COMMENT ON COLUMN credit.record_public_fields.category IS 'record category code';
COMMENT ON COLUMN credit.record_public_fields.category_name IS 'record category name';
COMMENT ON COLUMN credit.record_public_fields.severity IS 'minor, general or serious';
COMMENT ON COLUMN credit.record_public_fields.authority IS 'deciding authority';
COMMENT ON COLUMN credit.record_public_fields.decided_on IS 'date of the decision';
COMMENT ON COLUMN credit.record_public_fields.disclosed_on IS 'date of disclosure';
COMMENT ON COLUMN credit.record_public_fields.shown_until IS 'first day the record is no longer shown (record.publicity_max_end; NULL: no automatic end)';
COMMENT ON COLUMN credit.record_public_fields.under_repair IS 'the record is in state under_repair';
COMMENT ON COLUMN credit.record_public_fields.under_verification IS 'an objection to the record is open (异议核查中)';
COMMENT ON COLUMN credit.record_public_fields.state IS 'published, under_repair, repaired, expired or revoked';
COMMENT ON COLUMN credit.record_public_fields.publicity_starts IS 'first day shown';
COMMENT ON COLUMN credit.record_public_fields.subject_id IS 'subject key';
COMMENT ON COLUMN credit.record_public_fields.region IS '6-digit administrative region of the subject';
COMMENT ON COLUMN credit.record_public_fields.repair_decided_on IS 'date of the decision that repaired the record (a repaired record was shown until then)';
COMMENT ON COLUMN credit.record_public_fields.revoked_on IS 'date the record was revoked (a revoked record was shown until then)';

-- ------------------------------------------------------------ repair_evidence
COMMENT ON CONSTRAINT repair_evidence_pkey ON credit.repair_evidence IS 'one row per evidence_id; subject_id first, so the table distributes by subject';
COMMENT ON INDEX credit.repair_evidence_pkey IS 'enforces repair_evidence_pkey; finds the evidence of a subject';
COMMENT ON SEQUENCE credit.repair_evidence_evidence_id_seq IS 'generates evidence_id';
COMMENT ON CONSTRAINT repair_evidence_record_fkey ON credit.repair_evidence IS 'the record exists and is the subject''s';
COMMENT ON TRIGGER repair_evidence_subject ON credit.repair_evidence IS
    'before INSERT, and UPDATE of record_id: fills subject_id from the record (credit.fill_record_subject)';
COMMENT ON CONSTRAINT repair_evidence_kind_check ON credit.repair_evidence IS 'the kind is commitment, interview, training or credit_report';
COMMENT ON CONSTRAINT repair_evidence_training_hours_check ON credit.repair_evidence IS 'training hours, when given, are positive';
COMMENT ON CONSTRAINT repair_evidence_check ON credit.repair_evidence IS 'training evidence has its class hours, other evidence has none';
COMMENT ON INDEX credit.repair_evidence_record IS 'finds the evidence of a record (record.evidence_count, repair eligibility)';
COMMENT ON TRIGGER evidence_changed ON credit.repair_evidence IS
    'after INSERT, and after UPDATE of record_id: recounts record.evidence_count of the records concerned (credit.evidence_changed)';
COMMENT ON TRIGGER repair_evidence_no_delete ON credit.repair_evidence IS 'refuses to delete evidence: it is kept as an archive';
COMMENT ON TRIGGER repair_evidence_no_truncate ON credit.repair_evidence IS 'refuses TRUNCATE: evidence is kept as an archive';

-- --------------------------------------------------------- repair_application
COMMENT ON CONSTRAINT repair_application_pkey ON credit.repair_application IS 'one row per application_id; subject_id first, so the table distributes by subject';
COMMENT ON INDEX credit.repair_application_pkey IS 'enforces repair_application_pkey; finds the applications of a subject (objections refer to it)';
COMMENT ON SEQUENCE credit.repair_application_application_id_seq IS 'generates application_id';
COMMENT ON CONSTRAINT repair_application_record_fkey ON credit.repair_application IS 'the record exists and is the subject''s';
COMMENT ON TRIGGER repair_application_subject ON credit.repair_application IS
    'before INSERT, and UPDATE of record_id: fills subject_id from the record (credit.fill_record_subject)';
COMMENT ON CONSTRAINT repair_application_applicant_not_empty ON credit.repair_application IS 'the applicant is not blank';
COMMENT ON CONSTRAINT repair_application_state_check ON credit.repair_application IS 'the state is submitted, accepted, noticed, approved, rejected or processed';
COMMENT ON INDEX credit.repair_application_record IS 'finds the applications of a record';
COMMENT ON INDEX credit.repair_application_one_open IS 'unique, partial: a record has at most one open application (submitted, accepted, noticed or approved)';
COMMENT ON TRIGGER repair_application_guard ON credit.repair_application IS
    'before INSERT or UPDATE: enforces the application state machine and the eligibility checks, sets the notice and processing dates in working days, and moves the record under repair, back or to repaired (credit.repair_application_guard)';
COMMENT ON TRIGGER repair_application_no_delete ON credit.repair_application IS 'refuses to delete applications: they are kept as an archive (change the state instead)';
COMMENT ON TRIGGER repair_application_no_truncate ON credit.repair_application IS 'refuses TRUNCATE: applications are kept as an archive';

-- ------------------------------------------------------------------ objection
COMMENT ON CONSTRAINT objection_pkey ON credit.objection IS 'one row per objection_id; subject_id first, so the table distributes by subject';
COMMENT ON INDEX credit.objection_pkey IS 'enforces objection_pkey; finds the objections of a subject';
COMMENT ON SEQUENCE credit.objection_objection_id_seq IS 'generates objection_id';
COMMENT ON CONSTRAINT objection_record_fkey ON credit.objection IS 'the record exists and is the subject''s';
COMMENT ON CONSTRAINT objection_application_fkey ON credit.objection IS 'the repair application objected to, when there is one, exists and is the subject''s';
COMMENT ON TRIGGER objection_subject ON credit.objection IS
    'before INSERT, and UPDATE of record_id: fills subject_id from the record (credit.fill_record_subject)';
COMMENT ON CONSTRAINT objection_raised_by_not_empty ON credit.objection IS 'who objects is not blank';
COMMENT ON CONSTRAINT objection_reason_not_empty ON credit.objection IS 'the grounds are not blank';
COMMENT ON CONSTRAINT objection_state_check ON credit.objection IS 'the state is open, upheld or dismissed';
COMMENT ON CONSTRAINT objection_check ON credit.objection IS 'an objection has a resolution date exactly when it is no longer open';
COMMENT ON CONSTRAINT objection_check1 ON credit.objection IS 'an objection is resolved on or after the day it was raised';
COMMENT ON INDEX credit.objection_record IS 'finds the objections of a record (open objections, record.objection_count and under_verification)';
COMMENT ON TRIGGER objection_guard ON credit.objection IS
    'before INSERT or UPDATE: checks the dates (not in the future, not before the record''s decision) and refuses to move an objection to another record or to change a resolved one (credit.objection_guard)';
COMMENT ON TRIGGER objection_changed ON credit.objection IS
    'after INSERT, and after UPDATE of state or resolved_on: recounts record.objection_count and under_verification, and sends a noticed repair application of the record back to review when a new objection is open (credit.objection_changed)';
COMMENT ON TRIGGER objection_no_delete ON credit.objection IS 'refuses to delete objections: they are kept as an archive (change the state instead)';
COMMENT ON TRIGGER objection_no_truncate ON credit.objection IS 'refuses TRUNCATE: objections are kept as an archive';

-- ----------------------------------------------------------------- risk_model
COMMENT ON CONSTRAINT risk_model_pkey ON credit.risk_model IS 'one row per model code';
COMMENT ON INDEX credit.risk_model_pkey IS 'enforces risk_model_pkey; finds a model by its code (indicators, caps and classifications refer to it)';
COMMENT ON CONSTRAINT risk_model_model_check ON credit.risk_model IS 'a model code is lower-case ASCII letters, digits, underscores and hyphens, starting with a letter or digit';
COMMENT ON CONSTRAINT risk_model_thresholds_check ON credit.risk_model IS 'three minimum scores, for A, B and C, none NULL, each no higher than the one before, between 0 and 100';
COMMENT ON INDEX credit.risk_model_one_default IS 'unique, partial: at most one model is the default (is_default)';
COMMENT ON TRIGGER protect_builtin_insert ON credit.risk_model IS 'refuses to insert rows marked builtin (they ship with the extension)';
COMMENT ON TRIGGER protect_builtin_update ON credit.risk_model IS 'refuses to change builtin rows, or to mark a row builtin (they ship with the extension)';
COMMENT ON TRIGGER protect_builtin_delete ON credit.risk_model IS 'refuses to delete builtin rows (they ship with the extension)';

-- ------------------------------------------------------------- risk_indicator
COMMENT ON CONSTRAINT risk_indicator_pkey ON credit.risk_indicator IS 'one row per model and indicator';
COMMENT ON INDEX credit.risk_indicator_pkey IS 'enforces risk_indicator_pkey; finds the weight of an indicator of a model (credit.classify_period), and the indicators of a model';
COMMENT ON CONSTRAINT risk_indicator_model_fkey ON credit.risk_indicator IS 'the model exists; a renamed model takes its indicators along, a deleted one deletes them';
COMMENT ON CONSTRAINT risk_indicator_indicator_check ON credit.risk_indicator IS 'an indicator code is lower-case ASCII: a letter, then letters, digits and underscores';
COMMENT ON CONSTRAINT risk_indicator_weight_check ON credit.risk_indicator IS 'a weight is finite and not negative';
COMMENT ON TRIGGER protect_builtin_insert ON credit.risk_indicator IS 'refuses to insert rows marked builtin (they ship with the extension)';
COMMENT ON TRIGGER protect_builtin_update ON credit.risk_indicator IS 'refuses to change builtin rows, or to mark a row builtin (they ship with the extension)';
COMMENT ON TRIGGER protect_builtin_delete ON credit.risk_indicator IS 'refuses to delete builtin rows (they ship with the extension)';

-- ------------------------------------------------------------------- risk_cap
COMMENT ON CONSTRAINT risk_cap_pkey ON credit.risk_cap IS 'one cap per model and category';
COMMENT ON INDEX credit.risk_cap_pkey IS 'enforces risk_cap_pkey; finds the cap of a model for a category (credit.classify_period)';
COMMENT ON CONSTRAINT risk_cap_model_fkey ON credit.risk_cap IS 'the model exists; a renamed model takes its caps along, a deleted one deletes them';
COMMENT ON CONSTRAINT risk_cap_category_fkey ON credit.risk_cap IS 'the category exists in credit.record_category; renaming it renames it here';
COMMENT ON TRIGGER protect_builtin_insert ON credit.risk_cap IS 'refuses to insert rows marked builtin (they ship with the extension)';
COMMENT ON TRIGGER protect_builtin_update ON credit.risk_cap IS 'refuses to change builtin rows, or to mark a row builtin (they ship with the extension)';
COMMENT ON TRIGGER protect_builtin_delete ON credit.risk_cap IS 'refuses to delete builtin rows (they ship with the extension)';

-- ------------------------------------------------------------ indicator_value
COMMENT ON CONSTRAINT indicator_value_pkey ON credit.indicator_value IS 'one score per month, subject and indicator';
COMMENT ON INDEX credit.indicator_value_pkey IS 'enforces indicator_value_pkey; finds the scores of a month (credit.classify_period), and of a subject in a month';
COMMENT ON CONSTRAINT indicator_value_period_check ON credit.indicator_value IS 'the period is the first day of a month';
COMMENT ON CONSTRAINT indicator_value_score_check ON credit.indicator_value IS 'a score is between 0 and 100';
COMMENT ON CONSTRAINT indicator_value_subject_id_fkey ON credit.indicator_value IS 'the subject exists';

-- ------------------------------------------------------------- classification
COMMENT ON CONSTRAINT classification_pkey ON credit.classification IS 'one classification per month and subject';
COMMENT ON INDEX credit.classification_pkey IS 'enforces classification_pkey; finds the classifications of a month (reports, inspection draws, re-running a month)';
COMMENT ON CONSTRAINT classification_period_check ON credit.classification IS 'the period is the first day of a month';
COMMENT ON TRIGGER classification_key_guard ON credit.subject IS
    'refuses deleting or renumbering a subject that has classifications (credit.classification has no foreign key: classify_period takes its subjects from this table)';
COMMENT ON TRIGGER classification_key_guard ON credit.risk_model IS
    'renaming a model renames it in credit.classification; deleting a model that classified subjects is refused (what a foreign key ON UPDATE CASCADE would do)';
COMMENT ON INDEX credit.classification_subject IS 'finds the classifications of a subject month by month (its history, the previous month in the migration matrix)';

-- ------------------------------------------------------------------ inspector
COMMENT ON CONSTRAINT inspector_pkey ON credit.inspector IS 'one row per inspector_id';
COMMENT ON INDEX credit.inspector_pkey IS 'enforces inspector_pkey; finds an inspector by inspector_id';
COMMENT ON SEQUENCE credit.inspector_inspector_id_seq IS 'generates inspector_id';

-- ------------------------------------------------------------------ audit_log
COMMENT ON CONSTRAINT audit_log_pkey ON credit.audit_log IS 'one row per log_id';
COMMENT ON INDEX credit.audit_log_pkey IS 'enforces audit_log_pkey; finds a log row by log_id (credit.audit_verify, the rows of the block map)';
COMMENT ON SEQUENCE credit.audit_log_log_id_seq IS 'generates log_id (the order of the log)';
COMMENT ON CONSTRAINT audit_log_operation_check ON credit.audit_log IS 'the operation is INSERT, UPDATE, DELETE or TRUNCATE';
COMMENT ON INDEX credit.audit_log_table IS 'finds the log rows of a table in log order';
COMMENT ON TRIGGER audit_log_append_only ON credit.audit_log IS 'refuses every UPDATE, DELETE and TRUNCATE statement, even one that touches no row: the log is append-only';
COMMENT ON TRIGGER audit_log_restore_mark ON credit.audit_log IS
    'before an INSERT or COPY statement that is not the extension''s own (a restore): puts the session in restore mode, where the audit trigger logs nothing (credit.audit_restore_mark)';

-- ---------------------------------------------------------------- audit_block
COMMENT ON CONSTRAINT audit_block_pkey ON credit.audit_block IS 'one row per block number';
COMMENT ON INDEX credit.audit_block_pkey IS 'enforces audit_block_pkey; finds a block by number (the latest for sealing and credit.audit_digest, the chain in order for credit.audit_verify)';
COMMENT ON CONSTRAINT audit_block_row_count_check ON credit.audit_block IS 'a block seals at least one log row';
COMMENT ON CONSTRAINT audit_block_hash_version_check ON credit.audit_block IS 'block hashes are of version 1 (sealed by 0.2.0) or 2';
COMMENT ON CONSTRAINT audit_block_range_check ON credit.audit_block IS 'a block''s range of log_ids does not run backwards';
COMMENT ON TRIGGER audit_block_append_only ON credit.audit_block IS 'refuses every UPDATE, DELETE and TRUNCATE statement, even one that touches no row: sealed blocks are append-only';
COMMENT ON TRIGGER audit_block_restore_mark ON credit.audit_block IS
    'before an INSERT or COPY statement that is not the extension''s own (a restore): puts the session in restore mode, where the audit trigger logs nothing (credit.audit_restore_mark)';

-- --------------------------------------------------------- operator_authority
COMMENT ON CONSTRAINT operator_authority_pkey ON credit.operator_authority IS 'a role is mapped to an authority once';
COMMENT ON INDEX credit.operator_authority_pkey IS 'enforces operator_authority_pkey; finds the authorities of a role';

-- lists, joint rewards and sanctions (82_sanctions.sql)
COMMENT ON CONSTRAINT honour_kind_pkey ON credit.honour_kind IS 'one row per honour kind code';
COMMENT ON CONSTRAINT honour_kind_code ON credit.honour_kind IS 'a kind code is lower-case letters, digits and underscores';
COMMENT ON CONSTRAINT honour_kind_name_not_empty ON credit.honour_kind IS 'an honour kind has a name';
COMMENT ON CONSTRAINT honour_kind_validity_positive ON credit.honour_kind IS 'a validity is a positive period';
COMMENT ON CONSTRAINT honour_pkey ON credit.honour IS 'subject first (distribution-ready), then the honour';
COMMENT ON CONSTRAINT honour_subject_id_fkey ON credit.honour IS 'an honour belongs to a known subject';
COMMENT ON CONSTRAINT honour_kind_fkey ON credit.honour IS 'an honour is of a known kind';
COMMENT ON CONSTRAINT honour_authority_not_empty ON credit.honour IS 'an honour names its granting authority';
COMMENT ON CONSTRAINT honour_valid_after_grant ON credit.honour IS 'an honour ends after it was granted';
COMMENT ON CONSTRAINT honour_revoked_after_grant ON credit.honour IS 'an honour is revoked on or after the grant';
COMMENT ON CONSTRAINT honour_revocation_reason ON credit.honour IS 'a revocation has a reason, and a reason only goes with a revocation';
COMMENT ON CONSTRAINT measure_pkey ON credit.measure IS 'one row per measure code';
COMMENT ON CONSTRAINT measure_code ON credit.measure IS 'a measure code is lower-case letters, digits and underscores';
COMMENT ON CONSTRAINT measure_name_not_empty ON credit.measure IS 'a measure has a name';
COMMENT ON CONSTRAINT measure_kind ON credit.measure IS 'a measure is a punishment or an incentive';
COMMENT ON CONSTRAINT measure_nature ON credit.measure IS 'administrative, market, industry or social';
COMMENT ON CONSTRAINT measure_content_not_empty ON credit.measure IS 'a measure says what it does';
COMMENT ON CONSTRAINT measure_legal_basis_not_empty ON credit.measure IS 'a measure has a published legal basis';
COMMENT ON CONSTRAINT measure_subject_kinds ON credit.measure IS 'a measure applies to organisations, persons or both';
COMMENT ON CONSTRAINT measure_extends_to ON credit.measure IS 'only the four roles of credit.subject_relation';
COMMENT ON CONSTRAINT measure_matters ON credit.measure IS 'a list of matters is not empty (NULL means every matter)';
COMMENT ON CONSTRAINT measure_trigger_key ON credit.measure_trigger IS 'a measure is triggered at most once by each category or honour kind';
COMMENT ON CONSTRAINT measure_trigger_measure_fkey ON credit.measure_trigger IS 'the measure exists (links go with it when it is deleted)';
COMMENT ON CONSTRAINT measure_trigger_category_fkey ON credit.measure_trigger IS 'the record category exists';
COMMENT ON CONSTRAINT measure_trigger_honour_kind_fkey ON credit.measure_trigger IS 'the honour kind exists';
COMMENT ON CONSTRAINT measure_trigger_one_source ON credit.measure_trigger IS 'a link starts from a record category or from an honour kind, not both';
COMMENT ON CONSTRAINT measure_trigger_severity ON credit.measure_trigger IS 'minor, general or serious';
COMMENT ON CONSTRAINT measure_trigger_severity_of_record ON credit.measure_trigger IS 'a minimum severity only for links from a record category';
COMMENT ON CONSTRAINT measure_trigger_duration_positive ON credit.measure_trigger IS 'a duration is a positive period';
COMMENT ON CONSTRAINT subject_relation_pkey ON credit.subject_relation IS 'organisation first (distribution-ready), person, role, start';
COMMENT ON CONSTRAINT subject_relation_subject_id_fkey ON credit.subject_relation IS 'the organisation is a known subject';
COMMENT ON CONSTRAINT subject_relation_person_subject_id_fkey ON credit.subject_relation IS 'the person is a known subject';
COMMENT ON CONSTRAINT subject_relation_role ON credit.subject_relation IS 'legal_representative, principal, actual_controller or responsible_person';
COMMENT ON CONSTRAINT subject_relation_period ON credit.subject_relation IS 'a role ends after it starts';
COMMENT ON CONSTRAINT subject_relation_authority_not_empty ON credit.subject_relation IS 'a relation names the authority that recorded it';
COMMENT ON CONSTRAINT measure_feedback_pkey ON credit.measure_feedback IS 'subject first (distribution-ready), then the feedback';
COMMENT ON CONSTRAINT measure_feedback_subject_id_fkey ON credit.measure_feedback IS 'feedback concerns a known subject';
COMMENT ON CONSTRAINT measure_feedback_measure_fkey ON credit.measure_feedback IS 'feedback concerns a known measure';
COMMENT ON CONSTRAINT measure_feedback_authority_not_empty ON credit.measure_feedback IS 'feedback names its authority';
COMMENT ON CONSTRAINT measure_feedback_result ON credit.measure_feedback IS 'applied, not_applied or lifted';
COMMENT ON INDEX credit.honour_kind_pkey IS 'honour kinds by code';
COMMENT ON INDEX credit.honour_pkey IS 'honours by subject (the credit check)';
COMMENT ON INDEX credit.honour_id IS 'an honour by its id';
COMMENT ON INDEX credit.measure_pkey IS 'measures by code';
COMMENT ON INDEX credit.measure_trigger_key IS 'links by measure, category and honour kind';
COMMENT ON INDEX credit.subject_relation_pkey IS 'relations by organisation';
COMMENT ON INDEX credit.subject_relation_person IS 'relations by person (the credit check of a person)';
COMMENT ON INDEX credit.measure_feedback_pkey IS 'feedback by subject';
COMMENT ON INDEX credit.measure_feedback_month IS 'feedback by date (measure_stats per month)';
COMMENT ON SEQUENCE credit.honour_honour_id_seq IS 'honour ids';
COMMENT ON SEQUENCE credit.measure_feedback_feedback_id_seq IS 'feedback ids';
COMMENT ON TRIGGER honour_guard ON credit.honour IS 'checks dates, fills valid_until, refuses honours to black-listed subjects (credit.honour_guard)';
COMMENT ON TRIGGER subject_relation_guard ON credit.subject_relation IS 'an organisation and a person, no overlapping periods (credit.subject_relation_guard)';
COMMENT ON TRIGGER measure_feedback_guard ON credit.measure_feedback IS 'the feedback date makes sense (credit.measure_feedback_guard)';
COMMENT ON TRIGGER protect_builtin_insert ON credit.honour_kind IS 'refuses to insert the rows shipped with the extension (credit.protect_builtin)';
COMMENT ON TRIGGER protect_builtin_update ON credit.honour_kind IS 'refuses to update the rows shipped with the extension (credit.protect_builtin)';
COMMENT ON TRIGGER protect_builtin_delete ON credit.honour_kind IS 'refuses to delete the rows shipped with the extension (credit.protect_builtin)';
COMMENT ON TRIGGER protect_builtin_truncate ON credit.honour_kind IS 'refuses to truncate the rows shipped with the extension (credit.protect_builtin)';
COMMENT ON TRIGGER protect_builtin_insert ON credit.measure IS 'refuses to insert the rows shipped with the extension (credit.protect_builtin)';
COMMENT ON TRIGGER protect_builtin_update ON credit.measure IS 'refuses to update the rows shipped with the extension (credit.protect_builtin)';
COMMENT ON TRIGGER protect_builtin_delete ON credit.measure IS 'refuses to delete the rows shipped with the extension (credit.protect_builtin)';
COMMENT ON TRIGGER protect_builtin_truncate ON credit.measure IS 'refuses to truncate the rows shipped with the extension (credit.protect_builtin)';
COMMENT ON TRIGGER protect_builtin_insert ON credit.measure_trigger IS 'refuses to insert the rows shipped with the extension (credit.protect_builtin)';
COMMENT ON TRIGGER protect_builtin_update ON credit.measure_trigger IS 'refuses to update the rows shipped with the extension (credit.protect_builtin)';
COMMENT ON TRIGGER protect_builtin_delete ON credit.measure_trigger IS 'refuses to delete the rows shipped with the extension (credit.protect_builtin)';
COMMENT ON TRIGGER protect_builtin_truncate ON credit.measure_trigger IS 'refuses to truncate the rows shipped with the extension (credit.protect_builtin)';
