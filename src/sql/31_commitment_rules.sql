-- Violations of credit commitments (信用承诺, SPEC §8) are records of their
-- own category, with the publicity and repair rules of the other 失信信息 in
-- each shipped ruleset.  A file of its own: the upgrade script adds the same
-- rows (-- @file).
INSERT INTO credit.record_category (category, name, builtin, list_kind) VALUES
    ('commitment_violation', '违背信用承诺', true, NULL);
INSERT INTO credit.publicity_rule (ruleset, category, severity, published, anchor, min_period, max_period,
        repairable, requires_correction, requires_commitment, requires_interview, min_training_hours,
        requires_credit_report, note, builtin) VALUES
    ('national', 'commitment_violation', 'minor',   false, 'decided_on', NULL, NULL, false, false, false, false, NULL, false, '违背信用承诺（轻微）：不公示', true),
    ('national', 'commitment_violation', 'general', true,  'decided_on', '3 months', '1 year', true, true, true, false, NULL, false, '违背信用承诺（一般失信）：最短3个月，最长1年', true),
    ('national', 'commitment_violation', 'serious', true,  'decided_on', '1 year', '3 years', true, true, true, false, NULL, false, '违背信用承诺（严重失信）：最短1年，最长3年', true),
    ('national-2019', 'commitment_violation', 'minor',   false, 'decided_on', NULL, NULL, false, false, false, false, NULL, false, '违背信用承诺：不公示', true),
    ('national-2019', 'commitment_violation', 'general', true,  'decided_on', '3 months', '1 year', true, true, false, false, NULL, false, '违背信用承诺（一般）：最短3个月，最长1年', true),
    ('national-2019', 'commitment_violation', 'serious', true,  'decided_on', '6 months', '3 years', true, true, false, false, 3, true, '违背信用承诺（严重）：最短6个月，最长3年；修复需参加信用修复培训（不少于3学时）并提交信用报告', true),
    ('dandong', 'commitment_violation', 'minor',   false, 'disclosed_on', NULL, NULL, false, false, false, false, NULL, false, '违背信用承诺：不公示', true),
    ('dandong', 'commitment_violation', 'general', true,  'disclosed_on', '6 months', '1 year', true, true, true, true, 0, false, '违背信用承诺：公示满6个月方可申请修复；需承诺、约谈、培训', true),
    ('dandong', 'commitment_violation', 'serious', true,  'disclosed_on', '6 months', '3 years', true, true, true, true, 0, false, '违背信用承诺：公示满6个月方可申请修复；需承诺、约谈、培训', true);
