--
-- Subjects, records, the publicity trigger and the public view
--
CREATE EXTENSION IF NOT EXISTS credit;
\set SHOW_CONTEXT never
SET datestyle = ISO;

INSERT INTO credit.subject (uscc, name, industry) VALUES ('91350100M000100Y43', '福州某某有限公司', '批发业');
INSERT INTO credit.subject (rid, name) VALUES ('11010519491231002X', '张三');
SELECT subject_id, uscc, rid, name, region FROM credit.subject ORDER BY 1;
INSERT INTO credit.subject (name) VALUES ('nobody');
INSERT INTO credit.subject (uscc, rid, name) VALUES ('91110000100010433L', '11010519491231002X', 'both');

-- the trigger fills the publicity columns, disclosed_on and ruleset
INSERT INTO credit.record (subject_id, category, severity, authority, decided_on, disclosed_on, ruleset)
VALUES (1, 'administrative_penalty', 'general', '福州市市场监督管理局', '2026-01-31', NULL, NULL),
       (1, 'administrative_penalty', 'serious', '福州市市场监督管理局', '2025-06-30', '2025-07-03', 'national-2019'),
       (1, 'administrative_penalty', 'minor',   '福州市市场监督管理局', '2026-03-01', NULL, NULL),
       (2, 'judgment_defaulter',     'serious', '北京市朝阳区人民法院', '2024-05-20', NULL, NULL),
       (1, 'administrative_penalty', 'general', '丹东市市场监督管理局', '2025-03-10', '2025-03-17', 'dandong'),
       (1, 'serious_dishonesty_list','serious', '福州市发展和改革委员会', '2022-11-01', NULL, NULL);
SELECT record_id, severity, ruleset, decided_on, disclosed_on, state,
       publicity_starts, publicity_min_end, publicity_max_end
FROM credit.record ORDER BY record_id;

-- impossible rows are refused with a clear error
INSERT INTO credit.record (subject_id, category, severity, authority, decided_on, disclosed_on)
VALUES (1, 'administrative_penalty', 'general', 'x', '2026-02-01', '2026-01-31');
INSERT INTO credit.record (subject_id, category, severity, authority, decided_on, corrected_on)
VALUES (1, 'administrative_penalty', 'general', 'x', '2026-02-01', '2026-01-31');
INSERT INTO credit.record (subject_id, category, severity, authority, decided_on, ruleset)
VALUES (1, 'administrative_penalty', 'general', 'x', '2026-02-01', 'atlantis');
INSERT INTO credit.record (subject_id, category, severity, authority, decided_on)
VALUES (1, 'littering', 'general', 'x', '2026-02-01');
INSERT INTO credit.record (subject_id, category, severity, authority, decided_on)
VALUES (1, 'administrative_penalty', 'severe', 'x', '2026-02-01');
INSERT INTO credit.record (subject_id, category, severity, authority, decided_on, excluded_category)
VALUES (1, 'administrative_penalty', 'general', 'x', '2026-02-01', 7);
INSERT INTO credit.record (subject_id, category, severity, authority, decided_on)
VALUES (1, 'administrative_penalty', 'general', 'x', NULL);

-- shown from publicity_starts (inclusive) to publicity_max_end (exclusive)
SELECT d AS as_of, array_agg(record_id ORDER BY record_id) AS shown
FROM (VALUES (DATE '2025-07-02'), ('2025-07-03'), ('2026-01-30'), ('2026-01-31'), ('2027-01-31'), ('2028-07-03')) v(d),
     credit.public_record_at(d) GROUP BY d ORDER BY d;

-- computed columns cannot be overwritten; changes recompute them
UPDATE credit.record SET publicity_max_end = '2099-01-01' WHERE record_id = 1;
UPDATE credit.record SET severity = 'serious' WHERE record_id = 1;
SELECT record_id, severity, publicity_min_end, publicity_max_end FROM credit.record WHERE record_id = 1;

-- state machine
UPDATE credit.record SET state = 'under_repair' WHERE record_id = 2;
UPDATE credit.record SET state = 'repaired' WHERE record_id = 2;
UPDATE credit.record SET state = 'published' WHERE record_id = 2;
UPDATE credit.record SET state = 'repaired' WHERE record_id = 1;
UPDATE credit.record SET state = 'bogus' WHERE record_id = 1;

-- records are never deleted
DELETE FROM credit.record WHERE record_id = 3;
TRUNCATE credit.record;
TRUNCATE credit.record CASCADE;

-- the public view compares with the date: no job needed for expiry
-- (credit.public_record is credit.public_record_at(current_date))
SELECT record_id, subject_name, uscc, rid_masked, severity, shown_until, under_repair
FROM credit.public_record_at('2026-11-21') ORDER BY record_id;
SELECT count(*) = (SELECT count(*) FROM credit.public_record_at(current_date)) AS view_is_today
FROM credit.public_record;
-- expire_records marks them for reporting
SELECT credit.expire_records('2026-11-21') AS expired_now;
SELECT record_id, state FROM credit.record ORDER BY record_id;
SELECT credit.expire_records('2026-11-21') AS again;

-- the generic trigger on a user's own table, with renamed columns
CREATE TABLE penalty (
    id serial PRIMARY KEY,
    kind text NOT NULL,
    level varchar(10) NOT NULL,
    penalty_date date NOT NULL,
    shown_from date, apply_from date, shown_until date
);
CREATE TRIGGER penalty_publicity BEFORE INSERT OR UPDATE ON penalty FOR EACH ROW
    EXECUTE FUNCTION credit.publicity_trigger('category=kind', 'severity=level', 'decided_on=penalty_date',
        'publicity_starts=shown_from', 'publicity_min_end=apply_from', 'publicity_max_end=shown_until');
INSERT INTO penalty (kind, level, penalty_date) VALUES ('administrative_penalty', 'serious', '2025-12-31');
SET credit.default_ruleset = 'dandong';
INSERT INTO penalty (kind, level, penalty_date) VALUES ('administrative_penalty', 'serious', '2025-12-31');
RESET credit.default_ruleset;
SELECT * FROM penalty ORDER BY id;
-- misconfigured triggers say what is wrong
CREATE TABLE bad1 (category text, severity text, decided date);
CREATE TRIGGER t BEFORE INSERT ON bad1 FOR EACH ROW EXECUTE FUNCTION credit.publicity_trigger();
INSERT INTO bad1 VALUES ('administrative_penalty', 'general', '2026-01-01');
DROP TRIGGER t ON bad1;
CREATE TRIGGER t BEFORE INSERT ON bad1 FOR EACH ROW EXECUTE FUNCTION credit.publicity_trigger('decided=decided');
INSERT INTO bad1 VALUES ('administrative_penalty', 'general', '2026-01-01');
DROP TABLE bad1, penalty;
