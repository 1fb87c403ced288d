-- Credit reports (信用报告, SPEC §9): everything public on record for one
-- subject in one jsonb document with a digest a bank can check, and its
-- printable Chinese rendering.

-- A record is public on a day when it was shown then: published (its window
-- started) and in force (not repaired, revoked or over by then).  The test
-- of credit.public_record_at, for one row.
CREATE OR REPLACE FUNCTION credit.record_public_on(r credit.record, on_day date) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT coalesce(r.publicity_starts <= on_day, false) AND credit.record_in_force(r, on_day)
$$;
COMMENT ON FUNCTION credit.record_public_on(credit.record, date) IS
    'true when the record was publicly shown on the day: its publicity window had started and it was in force (not repaired, revoked or past its maximum period by then)';

-- the digest of a report: SHA-256 of its canonical text (jsonb's own text
-- form, which orders keys) without the digest itself
CREATE OR REPLACE FUNCTION credit.report_digest(report jsonb) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
    SELECT encode(sha256(convert_to((report - 'digest')::text, 'UTF8')), 'hex')
$$;
COMMENT ON FUNCTION credit.report_digest(jsonb) IS
    'SHA-256 (hex) of the report''s canonical JSON text (jsonb''s text form, keys ordered) without its digest key';

CREATE OR REPLACE FUNCTION credit.verify_report(report jsonb) RETURNS boolean
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
    SELECT jsonb_typeof(report) = 'object' AND report ? 'digest' AND report ? 'report_no'
           AND report->>'digest' = credit.report_digest(report)
$$;
COMMENT ON FUNCTION credit.verify_report(jsonb) IS
    'true when the report''s digest matches its content (nothing was edited after credit.credit_report made it); it does not consult the database';

CREATE OR REPLACE FUNCTION credit.credit_report(subject_id bigint, as_of date DEFAULT current_date) RETURNS jsonb
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    sid   bigint := $1;
    d     date := $2;
    s     credit.subject;
    skind text;
    body  jsonb;
    generated timestamptz := statement_timestamp();
    j_records jsonb;
    j_lists jsonb;
    j_honours jsonb;
    j_commitments jsonb;
    j_classification jsonb;
    j_repairs jsonb;
    j_measures jsonb;
BEGIN
    PERFORM credit.require_public_date(d);
    SELECT * INTO s FROM credit.subject x WHERE x.subject_id = sid;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING
            MESSAGE = format(credit.tr('subject %s does not exist'), sid),
            ERRCODE = 'no_data_found';
    END IF;
    skind := CASE WHEN s.uscc IS NULL THEN 'person' ELSE 'organisation' END;
    -- each part its own statement, on the subject's rows (on a Citus cluster
    -- each is a query routed to the subject's shards; the record's columns,
    -- not credit.record_public_on's whole row, which on a shard has the
    -- shard's row type)
    -- public records in force, lists among them
    j_records := coalesce((
        SELECT jsonb_agg(jsonb_build_object(
                   'record_id', r.record_id, 'category', r.category, 'category_name', c.name,
                   'severity', r.severity, 'authority', r.authority, 'decided_on', r.decided_on,
                   'disclosed_on', r.disclosed_on, 'shown_from', r.publicity_starts,
                   'shown_until', r.publicity_max_end,
                   'under_repair', EXISTS (SELECT 1 FROM credit.repair_application a
                                           WHERE a.subject_id = r.subject_id AND a.record_id = r.record_id AND a.accepted_on <= d
                                             AND (a.decided_on IS NULL OR d < a.decided_on)),
                   'under_verification', EXISTS (SELECT 1 FROM credit.objection o
                                                 WHERE o.subject_id = r.subject_id AND o.record_id = r.record_id AND o.application_id IS NULL
                                                   AND o.raised_on <= d AND (o.resolved_on IS NULL OR d < o.resolved_on)))
               ORDER BY r.decided_on, r.record_id)
        FROM credit.record r JOIN credit.record_category c ON c.category = r.category
        WHERE r.subject_id = sid AND coalesce(r.publicity_starts <= d, false)
                  AND credit.in_force(r.decided_on, r.publicity_max_end, r.state, r.repair_decided_on, r.revoked_on, d)), '[]');
    j_lists := coalesce((
        SELECT jsonb_agg(jsonb_build_object(
                   'list', c.list_kind, 'category', r.category, 'name', c.name, 'record_id', r.record_id,
                   'authority', r.authority, 'since', r.decided_on, 'until', r.publicity_max_end)
               ORDER BY r.decided_on, r.record_id)
        FROM credit.record r JOIN credit.record_category c ON c.category = r.category AND c.list_kind IS NOT NULL
        WHERE r.subject_id = sid AND coalesce(r.publicity_starts <= d, false)
                  AND credit.in_force(r.decided_on, r.publicity_max_end, r.state, r.repair_decided_on, r.revoked_on, d)), '[]');
    -- honours in effect (not while on a public black list: 红黑名单互斥)
    j_honours := coalesce((
        SELECT jsonb_agg(jsonb_build_object(
                   'honour_id', h.honour_id, 'kind', h.kind, 'name', k.name, 'authority', h.authority,
                   'granted_on', h.granted_on, 'valid_until', h.valid_until,
                   'in_effect', NOT EXISTS (SELECT 1 FROM credit.record r
                                            JOIN credit.record_category c ON c.category = r.category AND c.list_kind = 'black'
                                            WHERE r.subject_id = sid AND coalesce(r.publicity_starts <= d, false)
                  AND credit.in_force(r.decided_on, r.publicity_max_end, r.state, r.repair_decided_on, r.revoked_on, d)))
               ORDER BY h.granted_on, h.honour_id)
        FROM credit.honour h JOIN credit.honour_kind k ON k.kind = h.kind
        WHERE h.subject_id = sid AND h.granted_on <= d
          AND (h.valid_until IS NULL OR d < h.valid_until) AND (h.revoked_on IS NULL OR d < h.revoked_on)), '[]');
    -- public commitments signed by then, with their state on that day
    j_commitments := coalesce((
        SELECT jsonb_agg(jsonb_strip_nulls(jsonb_build_object(
                   'commitment_id', c.commitment_id, 'kind', c.kind, 'kind_name', k.name, 'matter', c.matter,
                   'authority', c.authority, 'content', c.content, 'signed_on', c.signed_on, 'due_on', c.due_on,
                   'state', st.state,
                   'state_name', CASE st.state WHEN 'in_force' THEN '有效' WHEN 'fulfilled' THEN '已履行'
                                               WHEN 'violated' THEN '已违背' WHEN 'withdrawn' THEN '已撤回'
                                               ELSE '逾期失效' END))
               ORDER BY c.signed_on, c.commitment_id)
        FROM credit.commitment c JOIN credit.commitment_kind k ON k.kind = c.kind
        CROSS JOIN LATERAL (SELECT CASE WHEN c.ended_on <= d THEN c.state ELSE 'in_force' END AS state) st
        WHERE c.subject_id = sid AND c.public AND c.signed_on <= d), '[]');
    j_classification := coalesce((
        SELECT jsonb_agg(jsonb_build_object('period', to_char(x.period, 'YYYY-MM'), 'class', x.class::text,
                                            'model', x.model)
               ORDER BY x.period DESC)
        FROM credit.classification x
        WHERE x.subject_id = sid AND x.period <= d AND x.period > d - interval '12 months'), '[]');
    -- 令第36号: a repaired record is not shown; only that one was repaired, and when
    j_repairs := coalesce((
        SELECT jsonb_agg(jsonb_build_object('repaired_on', r.repair_decided_on) ORDER BY r.repair_decided_on)
        FROM credit.record r
        WHERE r.subject_id = sid AND r.state = 'repaired' AND r.repair_decided_on <= d), '[]');
    -- the credit check on public information
    j_measures := coalesce((
        SELECT jsonb_agg(jsonb_strip_nulls(to_jsonb(m) || jsonb_build_object('via_name', v.name))
                         ORDER BY m.kind DESC, m.measure, m.because_record_id, m.because_honour_id, m.via_subject_id, m.via_role)
        FROM credit.measures_for(sid, NULL, d, skind, false, '{}') m
        LEFT JOIN credit.subject v ON v.subject_id = m.via_subject_id), '[]');
    body := jsonb_build_object(
        'as_of', d,
        'subject', (SELECT jsonb_strip_nulls(jsonb_build_object(
                        'subject_id', s.subject_id, 'kind', skind, 'name', s.name,
                        'uscc', s.uscc::text, 'rid_masked', credit.mask(s.rid),
                        'uscc_legacy', CASE WHEN credit.uscc_is_legacy(s.uscc) THEN true END,
                        'region', s.region, 'industry', s.industry,
                        'province', (SELECT p.name FROM credit.province p WHERE p.code = left(s.region, 2)),
                        'registration_department', i.department_name, 'organisation_category', i.category_name,
                        'organisation_code', i.org_code))
                    FROM (SELECT (credit.uscc_info(s.uscc)).*) i),
        'records', j_records,
        'lists', j_lists,
        'honours', j_honours,
        'commitments', j_commitments,
        'classification', j_classification,
        'repairs', j_repairs,
        'measures', j_measures,
        'generated_at', generated,
        'audit_digest', credit.audit_digest());
    body := body || jsonb_build_object('report_no',
        'XYBG-' || to_char(generated AT TIME ZONE 'UTC', 'YYYYMMDDHH24MISS') || '-'
                || upper(left(encode(sha256(convert_to(body::text, 'UTF8')), 'hex'), 10)));
    RETURN body || jsonb_build_object('digest', credit.report_digest(body));
END $$;
REVOKE EXECUTE ON FUNCTION credit.credit_report(bigint, date) FROM PUBLIC;
COMMENT ON FUNCTION credit.credit_report(bigint, date) IS
    'the credit report (信用报告) of a subject as of a day: subject (IDs masked, what the code says), records and lists public then, honours, commitments, the last 12 months'' classes, repairs (only that a record was repaired and when), the measures of the credit check on public information, generated_at, report_no, audit_digest and digest (credit.verify_report checks it); only public information, whoever asks (runs as the owner); dates after today for operators and administrators only';

CREATE OR REPLACE FUNCTION credit.credit_report_text(report jsonb) RETURNS text
LANGUAGE sql IMMUTABLE STRICT SET search_path = pg_catalog, pg_temp AS $$
    WITH s AS (SELECT report->'subject' AS j),
    sev(code, label) AS (VALUES ('minor', '轻微'), ('general', '一般'), ('serious', '严重'))
    SELECT concat_ws(E'\n',
        '信用报告',
        '报告编号：' || (report->>'report_no'),
        '生成时间：' || (report->>'generated_at') || '    信息截至：' || (report->>'as_of'),
        '',
        '一、主体信息',
        '  名称：' || (j->>'name'),
        CASE WHEN j ? 'uscc' THEN '  统一社会信用代码：' || (j->>'uscc')
                                  || CASE WHEN (j->>'uscc_legacy')::boolean THEN '（试点期间赋码：校验位不符合GB 32100-2015）' ELSE '' END
             ELSE '  身份证号码：' || (j->>'rid_masked') END,
        '  登记管理部门：' || (j->>'registration_department'),
        '  机构类别：' || (j->>'organisation_category'),
        '  所在地区：' || coalesce(j->>'province', '') || '（' || (j->>'region') || '）',
        '',
        '二、失信信息（' || jsonb_array_length(report->'records') || ' 条）',
        (SELECT string_agg(format('  %s. %s（%s）  认定单位：%s  决定日期：%s  公示期：%s 至 %s%s%s',
                                  n, r->>'category_name', coalesce(v.label, r->>'severity'), r->>'authority',
                                  r->>'decided_on', r->>'shown_from', coalesce(r->>'shown_until', '（无固定期限）'),
                                  CASE WHEN (r->>'under_verification')::boolean THEN '  〔异议核查中〕' ELSE '' END,
                                  CASE WHEN (r->>'under_repair')::boolean THEN '  〔信用修复中〕' ELSE '' END),
                           E'\n' ORDER BY n)
         FROM jsonb_array_elements(report->'records') WITH ORDINALITY e(r, n)
         LEFT JOIN sev v ON v.code = r->>'severity'),
        '',
        '三、名单信息（' || jsonb_array_length(report->'lists') || ' 条）',
        (SELECT string_agg(format('  %s. %s%s  列入日期：%s  列入单位：%s', n, r->>'name',
                                  CASE r->>'list' WHEN 'black' THEN '（黑名单）' ELSE '（重点关注）' END,
                                  r->>'since', r->>'authority'), E'\n' ORDER BY n)
         FROM jsonb_array_elements(report->'lists') WITH ORDINALITY e(r, n)),
        '',
        '四、守信激励（' || jsonb_array_length(report->'honours') || ' 项）',
        (SELECT string_agg(format('  %s. %s  授予单位：%s  授予日期：%s  有效期至：%s%s', n, r->>'name', r->>'authority',
                                  r->>'granted_on', coalesce(r->>'valid_until', '长期'),
                                  CASE WHEN (r->>'in_effect')::boolean THEN '' ELSE '  〔列入黑名单期间暂停〕' END),
                           E'\n' ORDER BY n)
         FROM jsonb_array_elements(report->'honours') WITH ORDINALITY e(r, n)),
        '',
        '五、信用承诺（' || jsonb_array_length(report->'commitments') || ' 项）',
        (SELECT string_agg(format('  %s. %s  事项：%s  受理单位：%s  承诺日期：%s  状态：%s', n,
                                  coalesce(r->>'kind_name', r->>'kind'), r->>'matter', r->>'authority',
                                  r->>'signed_on', coalesce(r->>'state_name', r->>'state')), E'\n' ORDER BY n)
         FROM jsonb_array_elements(report->'commitments') WITH ORDINALITY e(r, n)),
        '',
        '六、信用分类（近12个月）',
        (SELECT '  ' || string_agg((r->>'period') || '：' || (r->>'class') || '类', '；' ORDER BY n)
         FROM jsonb_array_elements(report->'classification') WITH ORDINALITY e(r, n)),
        '',
        '七、信用修复（' || jsonb_array_length(report->'repairs') || ' 条）',
        (SELECT string_agg(format('  %s. %s 完成信用修复（修复后不再展示原失信信息）', n, r->>'repaired_on'), E'\n' ORDER BY n)
         FROM jsonb_array_elements(report->'repairs') WITH ORDINALITY e(r, n)),
        '',
        '八、联合奖惩措施（' || jsonb_array_length(report->'measures') || ' 项）',
        (SELECT string_agg(format('  %s. [%s] %s%s%s  依据：%s  期限：%s 至 %s', n,
                                  CASE r->>'kind' WHEN 'punishment' THEN '惩戒' ELSE '激励' END, r->>'name',
                                  CASE WHEN r ? 'via_name' THEN format('（因担任%s%s）', r->>'via_name',
                                      CASE r->>'via_role' WHEN 'legal_representative' THEN '法定代表人'
                                                          WHEN 'principal' THEN '主要负责人'
                                                          WHEN 'actual_controller' THEN '实际控制人'
                                                          ELSE '直接责任人员' END) ELSE '' END,
                                  CASE WHEN (r->>'suspended')::boolean THEN '〔异议核查期间暂不执行〕' ELSE '' END,
                                  r->>'legal_basis', r->>'in_effect_from', coalesce(r->>'in_effect_until', '解除时')),
                           E'\n' ORDER BY n)
         FROM jsonb_array_elements(report->'measures') WITH ORDINALITY e(r, n)),
        '',
        '审计摘要：' || coalesce(report->>'audit_digest', '（尚未封存）'),
        '报告摘要（SHA-256）：' || (report->>'digest'),
        CASE WHEN credit.verify_report(report) THEN '本报告摘要核验通过。' ELSE '警告：本报告内容与摘要不符！' END)
    FROM s
$$;
COMMENT ON FUNCTION credit.credit_report_text(jsonb) IS
    'a printable Chinese rendering of a credit report made by credit.credit_report (says whether its digest still holds)';

CREATE OR REPLACE FUNCTION credit.credit_report_text(subject_id bigint, as_of date DEFAULT current_date) RETURNS text
LANGUAGE sql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
    SELECT credit.credit_report_text(credit.credit_report($1, $2))
$$;
REVOKE EXECUTE ON FUNCTION credit.credit_report_text(bigint, date) FROM PUBLIC;
COMMENT ON FUNCTION credit.credit_report_text(bigint, date) IS
    'the credit report of a subject as of a day, rendered as printable Chinese text';
