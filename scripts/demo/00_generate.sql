-- Generated data for the demo: a registry import of 50 000 organisations and
-- 20 000 natural persons, as a clerk receives it: mostly clean, some typed
-- on a Chinese IME (full-width), with spaces or hyphens, some plainly wrong.
\echo '== credit demo: generating a registry import (50 000 organisations, 20 000 persons)'
CREATE EXTENSION credit;
CREATE SCHEMA demo;
SELECT setseed(0.2026) \g /dev/null

-- GB 11714 organisation-code check (positions 9-17 of a USCC), for realistic codes
CREATE FUNCTION demo.org_check(body text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE c WHEN 10 THEN 'X' WHEN 11 THEN '0' ELSE c::text END
    FROM (SELECT 11 - sum(CASE WHEN ch ~ '[0-9]' THEN ascii(ch) - 48 ELSE ascii(ch) - 55 END * w) % 11 AS c
          FROM unnest(string_to_array(body, NULL), ARRAY[3,7,9,10,5,8,4,2]) AS u(ch, w)) s
$$;

CREATE TABLE demo.region (code text PRIMARY KEY, city text);
INSERT INTO demo.region VALUES
 ('110105','北京市朝阳区'),('110108','北京市海淀区'),('310115','上海市浦东新区'),('310104','上海市徐汇区'),
 ('440305','深圳市南山区'),('440106','广州市天河区'),('330106','杭州市西湖区'),('320505','苏州市虎丘区'),
 ('350203','厦门市思明区'),('350100','福州市'),('510107','成都市武侯区'),('500105','重庆市江北区'),
 ('420106','武汉市武昌区'),('430104','长沙市岳麓区'),('370202','青岛市市南区'),('410105','郑州市金水区'),
 ('610113','西安市雁塔区'),('210106','沈阳市铁西区'),('210603','丹东市振兴区'),('120116','天津市滨海新区'),
 ('340104','合肥市蜀山区'),('360111','南昌市青山湖区'),('450103','南宁市青秀区'),('530102','昆明市五华区'),
 ('650102','乌鲁木齐市天山区'),('130104','石家庄市桥西区'),('230103','哈尔滨市南岗区'),('460106','海口市龙华区');

CREATE TABLE demo.import_org (line_no int PRIMARY KEY, raw_code text, name text);
WITH r AS (SELECT array_agg(code ORDER BY code) AS codes, array_agg(city ORDER BY code) AS cities FROM demo.region),
gen AS (
  SELECT g AS line_no, 1 + floor(random() * 28)::int AS ri, random() AS kind_r, random() AS dept_r,
         array_to_string(ARRAY(SELECT substr('0123456789ABCDEFGHJKLMNPQRTUWXY', 1 + floor(random() * 31)::int, 1)
                               FROM generate_series(1, 6) WHERE g > 0), '') AS tail
  FROM generate_series(1, 50000) g),
body AS (
  SELECT line_no, kind_r, r.cities[ri] AS city,
         CASE WHEN dept_r < 0.70 THEN '91' WHEN dept_r < 0.88 THEN '92' WHEN dept_r < 0.91 THEN '93'
              WHEN dept_r < 0.94 THEN '52' WHEN dept_r < 0.96 THEN '12' WHEN dept_r < 0.98 THEN '51'
              ELSE 'N2' END || r.codes[ri] AS head,
         'MA' || tail AS org8
  FROM gen, r),
code AS (
  SELECT line_no, kind_r, city, head,
         head || org8 || demo.org_check(org8) AS b17
  FROM body)
INSERT INTO demo.import_org
SELECT line_no,
       CASE
         WHEN kind_r < 0.86 THEN c                                              -- clean
         WHEN kind_r < 0.90 THEN translate(c, '0123456789ABCDEFGHJKLMNPQRTUWXY',
                                 '０１２３４５６７８９ＡＢＣＤＥＦＧＨＪＫＬＭＮＰＱＲＴＵＷＸＹ')  -- full-width IME
         WHEN kind_r < 0.93 THEN lower(substr(c, 1, 6) || ' ' || substr(c, 7, 6) || '-' || substr(c, 13))
         WHEN kind_r < 0.95 THEN overlay(c PLACING CASE WHEN substr(c, 10, 1) = '7' THEN '1' ELSE '7' END FROM 10 FOR 1)  -- typo
         WHEN kind_r < 0.965 THEN substr(c, 1, 17)                               -- truncated
         WHEN kind_r < 0.975 THEN replace(c, '0', 'O')                           -- letter O for zero
         WHEN kind_r < 0.98 THEN E'\u200B' || c                                  -- pasted from a web page
         WHEN kind_r < 0.99 THEN ''                                              -- left blank
         ELSE NULL
       END,
       city || (ARRAY['华信','恒达','鑫源','瑞丰','宏图','安泰','嘉禾','永盛','博远','中和'])[1 + floor(random() * 10)::int]
            || (ARRAY['科技','贸易','建设','食品','物流','医药','餐饮','服装','环保','农业'])[1 + floor(random() * 10)::int]
            || (CASE WHEN substr(head, 1, 2) = '92' THEN '经营部' WHEN substr(head, 1, 2) = '93' THEN '专业合作社'
                     WHEN substr(head, 1, 1) = '5' THEN '协会' ELSE '有限公司' END)
FROM (SELECT *, b17 || credit.uscc_check_char(b17) AS c FROM code) s;

CREATE TABLE demo.import_person (line_no int PRIMARY KEY, raw_id text, name text);
WITH r AS (SELECT array_agg(code ORDER BY code) AS codes FROM demo.region)
INSERT INTO demo.import_person
SELECT g,
       CASE WHEN random() < 0.97 THEN b || credit.rid_check_char(b)
            ELSE b || CASE credit.rid_check_char(b) WHEN '1' THEN '2' ELSE '1' END END,
       (ARRAY['王','李','张','刘','陈','杨','赵','黄','周','吴'])[1 + floor(random() * 10)::int]
         || (ARRAY['伟','芳','娜','敏','静','强','磊','洋','艳','军'])[1 + floor(random() * 10)::int]
FROM (SELECT g, r.codes[1 + floor(random() * 28)::int]
               || to_char(DATE '1950-01-01' + floor(random() * 25000)::int, 'YYYYMMDD')
               || lpad(floor(random() * 1000)::int::text, 3, '0') AS b
      FROM generate_series(1, 20000) g, r) s;
