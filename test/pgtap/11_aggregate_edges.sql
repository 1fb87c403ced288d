-- pgTAP: the classification aggregates at their edges: overflowing sums and
-- counts, thresholds mixed within a group, the state types' text input, and
-- the support functions revoked from PUBLIC while the aggregates stay usable
BEGIN;
SELECT plan(52);
SET LOCAL search_path = public, credit;

-- ---------------------------------------------- scores, weights, sums
SELECT throws_ok($$SELECT credit.risk_score(50, 1e308)$$, '22003', NULL,
                 'risk_score(50, 1e308): weight * score overflows (was Infinity, class A)');
SELECT throws_ok($$SELECT credit.risk_class(50, 1e308, NULL)$$, '22003', NULL,
                 'risk_class(50, 1e308): the same overflow');
SELECT throws_ok($$SELECT credit.risk_score(1, w) FROM (VALUES (1e308::float8), (1e308)) v(w)$$, '22003', NULL,
                 'two weights of 1e308: the weight sum overflows (was NaN)');
SELECT throws_ok($$SELECT credit.risk_score(s, 1e306) FROM generate_series(1, 100) s$$, '22003', NULL,
                 'many large weights: the weighted sum overflows after a few rows');
SELECT throws_ok($$SELECT credit.risk_score(50, 1e308)$$, '22003',
                 'risk score sums out of range', 'the overflow message');
SELECT is(credit.risk_score(0, 1e308), 0::float8, 'a weight of 1e308 on score 0 is still fine');
SELECT is((SELECT credit.risk_score(s, w) FROM (VALUES (80.0::float8, 1.0::float8), (100, 3), (60, 1)) v(s, w)),
          88::float8, 'valid input: the weighted mean (80 + 300 + 60) / 5 as before');
SELECT throws_ok($$SELECT credit.risk_score('NaN', 1)$$, '22003', NULL, 'a NaN score is refused');
SELECT throws_ok($$SELECT credit.risk_score('Infinity', 1)$$, '22003', NULL, 'an infinite score is refused');
SELECT throws_ok($$SELECT credit.risk_score(-0.5, 1)$$, '22003', NULL, 'a negative score is refused');
SELECT throws_ok($$SELECT credit.risk_score(50, 'NaN')$$, '22023', NULL, 'a NaN weight is refused');
SELECT throws_ok($$SELECT credit.risk_score(50, 'Infinity')$$, '22023', NULL, 'an infinite weight is refused');
SELECT throws_ok($$SELECT credit.risk_class(50, 1, NULL, '{90,75,NaN}')$$, '22023', NULL, 'a NaN threshold is refused');
SELECT throws_ok($$SELECT credit.risk_class(50, 1, NULL, '{Infinity,75,60}')$$, '22023', NULL, 'an infinite threshold is refused');

-- ---------------------------------------------- thresholds within a group
SELECT throws_ok($$SELECT credit.risk_class(s, 1, NULL, t) FROM (VALUES (50.0::float8, '{90,75,60}'::float8[]), (60, NULL)) v(s, t)$$,
                 '22023', 'rows of one group give different risk class thresholds',
                 'thresholds, then NULL thresholds in one group: refused (NULL used to win silently)');
SELECT throws_ok($$SELECT credit.risk_class(s, 1, NULL, t) FROM (VALUES (50.0::float8, NULL::float8[]), (60, '{90,75,60}')) v(s, t)$$,
                 '22023', NULL, 'NULL thresholds, then thresholds in one group: refused');
SELECT throws_ok($$SELECT credit.risk_class(NULL, NULL, c, t) FROM (VALUES ('D'::credit.credit_class, NULL::float8[]), (NULL, '{95,80,70}')) v(c, t)$$,
                 '22023', NULL, 'also when the rows only carry caps');
SELECT is(credit.risk_class(s, 1, NULL, NULL), 'D', 'NULL thresholds throughout: the default model')
FROM (VALUES (50.0::float8), (55)) v(s);
SELECT is(credit.risk_class(s, 1, NULL, '{50,40,30}'), 'A', 'the same thresholds throughout: that model')
FROM (VALUES (50.0::float8), (55)) v(s);
SELECT is((SELECT array_agg(c ORDER BY g) FROM (
              SELECT g, credit.risk_class(s, 1, NULL, t) AS c
              FROM (VALUES (1, 50.0::float8, NULL::float8[]), (2, 50, '{50,40,30}'), (2, 60, '{50,40,30}')) v(g, s, t)
              GROUP BY g) x),
          ARRAY['D', 'A']::credit.credit_class[], 'different kinds in different groups are fine');
-- combining partial states (what parallel aggregation and Citus do)
SELECT throws_ok($$SELECT credit.risk_acc_combine('(50,1,1,0,0,0,0,90,75,60)', '(50,1,1,0,0,0,0,default,default,default)')$$,
                 '22023', 'rows of one group give different risk class thresholds',
                 'combine: a state with thresholds and one with NULL thresholds');
SELECT throws_ok($$SELECT credit.risk_acc_combine('(50,1,1,0,0,0,0,default,default,default)', '(50,1,1,0,0,0,0,90,75,60)')$$,
                 '22023', NULL, 'combine: the other way round');
SELECT throws_ok($$SELECT credit.risk_acc_combine('(1e308,1e307,1,0,0,0,0,,,)', '(1e308,1e307,1,0,0,0,0,,,)')$$,
                 '22003', NULL, 'combine: the sums overflow');
SELECT throws_ok($$SELECT credit.risk_acc_combine('(0,0,9223372036854775807,0,0,0,0,,,)', '(0,0,1,0,0,0,0,,,)')$$,
                 '22003', NULL, 'combine: the row count passes 2^63 - 1');
SELECT is(credit.risk_acc_combine('(50,1,1,0,0,0,0,,,)', '(50,1,1,0,0,0,1,default,default,default)')::text,
          '(100,2,2,0,0,0,1,default,default,default)', 'combine: a risk_score state takes the other''s kind');
SELECT is(credit.risk_class_trans(NULL, 50, 1, NULL, NULL)::text, '(50,1,1,0,0,0,0,default,default,default)',
          'a NULL-thresholds state prints its kind');
SELECT is(credit.risk_class_trans(NULL, 50, 1, NULL, NULL)::text::credit.risk_acc::text, '(50,1,1,0,0,0,0,default,default,default)',
          '... and reads back');

-- ---------------------------------------------- the states' text input
SELECT throws_ok($$SELECT '(NaN,1,1,0,0,0,0,,,)'::credit.risk_acc$$, '22P02', NULL, 'risk_acc: NaN sum refused');
SELECT throws_ok($$SELECT '(50,Infinity,1,0,0,0,0,,,)'::credit.risk_acc$$, '22P02', NULL, 'risk_acc: infinite sum refused');
SELECT throws_ok($$SELECT '(50,1,junk,0,0,0,0,,,)'::credit.risk_acc$$, '22P02', NULL, 'risk_acc: junk count refused');
SELECT throws_ok($$SELECT '(50,1,1,0,0,0,0,,,) junk'::credit.risk_acc$$, '22P02', NULL, 'risk_acc: trailing junk refused');
SELECT throws_ok($$SELECT '(50,1,-1,0,0,0,0,,,)'::credit.risk_acc$$, '22P02', NULL, 'risk_acc: negative count refused');
SELECT throws_ok($$SELECT '(500,1,1,0,0,0,0,,,)'::credit.risk_acc$$, '22P02', NULL, 'risk_acc: a mean above 100 refused');
SELECT throws_ok($$SELECT '(50,1,0,0,0,0,0,,,)'::credit.risk_acc$$, '22P02', NULL, 'risk_acc: sums without a scored row refused');
SELECT throws_ok($$SELECT '(50,1,1,0,0,0,0,60,75,90)'::credit.risk_acc$$, '22P02', NULL, 'risk_acc: ascending thresholds refused');
SELECT throws_ok($$SELECT '{1,-2,3,4}'::credit.class_tally$$, '22P02', NULL, 'class_tally: negative count refused');
SELECT throws_ok($$SELECT '{1,2,3,4x}'::credit.class_tally$$, '22P02', NULL, 'class_tally: junk refused');
SELECT throws_ok($$SELECT '{9223372036854775808,0,0,0}'::credit.class_tally$$, '22P02', NULL, 'class_tally: a count past bigint refused');
SELECT throws_ok($$SELECT '{0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,-1}'::credit.migration_tally$$, '22P02', NULL, 'migration_tally: negative count refused');

-- ---------------------------------------------- tallies never wrap or go negative
SELECT throws_ok($$SELECT credit.class_counts_trans('{9223372036854775807,0,0,0}', 'A')$$, '22003', NULL,
                 'class_counts: a count at 2^63 - 1 does not wrap');
SELECT throws_ok($$SELECT credit.class_tally_combine('{9223372036854775807,0,0,0}', '{1,0,0,0}')$$, '22003', NULL,
                 'class_counts combine: no wrap');
SELECT throws_ok($$SELECT credit.class_counts_inv('{0,0,0,0}', 'B')$$, '22023', NULL,
                 'class_counts inverse: a count does not go below zero');
SELECT throws_ok($$SELECT credit.class_migration_trans('{0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,9223372036854775807}', 'D', 'D')$$, '22003', NULL,
                 'class_migration: a count at 2^63 - 1 does not wrap');
SELECT throws_ok($$SELECT credit.migration_tally_combine('{0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,9223372036854775807}', '{0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,1}')$$, '22003', NULL,
                 'class_migration combine: no wrap');
SELECT throws_ok($$SELECT credit.class_migration_inv('{0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0}', 'A', 'B')$$, '22023', NULL,
                 'class_migration inverse: a count does not go below zero');

-- ---------------------------------------------- privileges
CREATE ROLE credit_tap_nobody NOLOGIN;
GRANT USAGE ON SCHEMA credit TO credit_tap_nobody;
CREATE TEMP TABLE support_fn AS
SELECT p.oid::regprocedure AS fn FROM pg_proc p
WHERE p.pronamespace = 'credit'::regnamespace
  AND p.proname IN ('risk_score_trans', 'risk_class_trans', 'risk_acc_combine', 'risk_score_final', 'risk_class_final',
                    'class_counts_trans', 'class_counts_inv', 'class_tally_combine', 'class_counts_final',
                    'class_migration_trans', 'class_migration_inv', 'migration_tally_combine', 'class_migration_final');
SELECT is((SELECT count(*)::int FROM support_fn), 14, 'the 14 support functions of the aggregates');
SELECT is((SELECT array_agg(fn::text ORDER BY fn::text) FROM support_fn WHERE has_function_privilege('credit_tap_nobody', fn, 'EXECUTE')),
          NULL, 'an unprivileged role may execute none of them');
SELECT ok((SELECT bool_and(has_function_privilege('credit_tap_nobody', f, 'EXECUTE')) FROM unnest(ARRAY[
              'credit.risk_acc_in(cstring)', 'credit.risk_acc_out(credit.risk_acc)',
              'credit.class_tally_in(cstring)', 'credit.class_tally_out(credit.class_tally)',
              'credit.migration_tally_in(cstring)', 'credit.migration_tally_out(credit.migration_tally)']::regprocedure[]) f),
          'the state types'' input and output functions stay executable');
SET LOCAL ROLE credit_tap_nobody;
SELECT throws_ok($$SELECT credit.class_counts_inv('{1,0,0,0}', 'A')$$, '42501', NULL,
                 'an unprivileged role cannot call an inverse transition');
SELECT throws_ok($$SELECT credit.risk_acc_combine('(50,1,1,0,0,0,0,,,)', '(50,1,1,0,0,0,0,,,)')$$, '42501', NULL,
                 'nor a combine function');
SELECT is((SELECT ROW(credit.risk_score(s, w), credit.risk_class(s, w, NULL), credit.risk_class(s, w, NULL, '{95,80,70}'),
                      credit.class_counts(c), credit.class_migration(c, c))::text
           FROM (VALUES (80.0::float8, 1.0::float8, 'A'::credit.credit_class), (100, 3, 'B'), (60, 1, 'B')) v(s, w, c)),
          '(88,B,B,"{1,2,0,0}","{{1,0,0,0},{0,2,0,0},{0,0,0,0},{0,0,0,0}}")',
          'the aggregates work for the unprivileged role (the owner''s right to the support functions is checked)');
SELECT is((SELECT array_agg(x::text ORDER BY n) FROM (
              SELECT n, credit.class_counts(c) OVER (ORDER BY n ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) AS x
              FROM (VALUES (1, 'A'::credit.credit_class), (2, 'B'), (3, 'B')) v(n, c)) q),
          ARRAY['{1,0,0,0}', '{1,1,0,0}', '{0,2,0,0}'],
          'and over a moving window (inverse transition)');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
