-- 003_open311.sql: what Open311 GeoReport v2 (src/api/api_open311.c) keeps
-- besides the cases themselves: the service definitions' extra questions, the
-- answers given with each request, and the idempotency record of updates
-- posted by other systems (mySociety's servicerequestupdates).

-- Questions of a service (category) beyond the standard fields: one row per
-- attribute of GET services/{code}. Editable; a service with at least one
-- row is listed with metadata=true.
CREATE TABLE open311_attributes (
  service_code         TEXT NOT NULL,               -- category code
  code                 TEXT NOT NULL,               -- attribute[code] on POST
  variable             INTEGER NOT NULL DEFAULT 1 CHECK (variable IN (0, 1)),
  datatype             TEXT NOT NULL CHECK (datatype IN ('string','number','datetime','text',
                                                         'singlevaluelist','multivaluelist')),
  required             INTEGER NOT NULL DEFAULT 0 CHECK (required IN (0, 1)),
  datatype_description TEXT NOT NULL DEFAULT '',
  ord                  INTEGER NOT NULL CHECK (ord > 0),  -- "order": 1 is shown first
  description          TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (service_code, code),
  UNIQUE (service_code, ord)
);

-- The options of singlevaluelist / multivaluelist attributes.
CREATE TABLE open311_attribute_values (
  service_code TEXT NOT NULL,
  attr_code    TEXT NOT NULL,
  key          TEXT NOT NULL,                        -- the value sent
  name         TEXT NOT NULL,                        -- its label
  ord          INTEGER NOT NULL,
  PRIMARY KEY (service_code, attr_code, key),
  FOREIGN KEY (service_code, attr_code) REFERENCES open311_attributes(service_code, code)
);

-- Answers given with a request (attribute[code]=value): one row per value, so
-- a multivaluelist answer has several rows.
CREATE TABLE open311_answers (
  case_id INTEGER NOT NULL REFERENCES cases(id),
  code    TEXT NOT NULL,
  ord     INTEGER NOT NULL,                          -- position among the request's values
  value   TEXT NOT NULL,
  PRIMARY KEY (case_id, ord)
) WITHOUT ROWID;

-- Updates received through POST servicerequestupdates, keyed by the sender's
-- update_id: a replay is refused. Each became the comment event (case_id, seq).
CREATE TABLE open311_updates (
  update_id   TEXT PRIMARY KEY,
  case_id     INTEGER NOT NULL REFERENCES cases(id),
  seq         INTEGER NOT NULL,                      -- the case event it produced
  status      TEXT NOT NULL,                         -- as sent (upper-case mySociety enum)
  description TEXT NOT NULL,
  updated_at  INTEGER NOT NULL,                      -- the sender's updated_datetime
  received_at INTEGER NOT NULL,
  user_id     INTEGER NOT NULL,                      -- whose api_key
  UNIQUE (case_id, seq)
);

-- GET requests filters on requested_datetime / updated_datetime.
CREATE INDEX cases_created ON cases(created_at);
CREATE INDEX cases_updated ON cases(updated_at);

-- Shipped questions (edit freely; these cover every datatype).
INSERT INTO open311_attributes VALUES
  ('10118', 'lamp_id', 1, 'string', 0, '灯杆上的编号，如 LJ-0231', 1, '灯杆编号'),
  ('10118', 'fault', 1, 'singlevaluelist', 1, '', 2, '故障情况'),
  ('20102', 'volume', 1, 'number', 0, '立方米，可填小数', 1, '垃圾大约有多少（立方米）'),
  ('20102', 'since', 1, 'datetime', 0, 'ISO 8601，如 2024-05-01T08:00:00+08:00', 2,
   '最早发现的时间'),
  ('20301', 'site', 1, 'string', 0, '', 1, '工地名称或施工单位'),
  ('20301', 'started', 1, 'datetime', 1, 'ISO 8601，如 2024-05-01T22:30:00+08:00', 2,
   '噪声开始的时间'),
  ('20301', 'kinds', 1, 'multivaluelist', 1, '', 3, '噪声来源（可多选）'),
  ('20301', 'details', 1, 'text', 0, '', 4, '补充说明'),
  ('30103', 'source', 1, 'singlevaluelist', 1, '', 1, '噪声来源'),
  ('30103', 'repeated', 1, 'singlevaluelist', 0, '', 2, '是否反复发生'),
  ('30203', 'safety', 0, 'text', 0, '', 1,
   '闻到燃气泄漏时请立即离开现场，到室外拨打 119 或燃气抢修电话，不要开关电器。'),
  ('30203', 'smell', 1, 'singlevaluelist', 1, '', 2, '是否闻到燃气味');

INSERT INTO open311_attribute_values VALUES
  ('10118', 'fault', 'dark', '不亮', 1),
  ('10118', 'fault', 'flicker', '闪烁', 2),
  ('10118', 'fault', 'day_on', '白天常亮', 3),
  ('10118', 'fault', 'damaged', '灯杆或灯具损坏', 4),
  ('20301', 'kinds', 'machinery', '施工机械', 1),
  ('20301', 'kinds', 'vehicles', '渣土车辆', 2),
  ('20301', 'kinds', 'demolition', '拆除破碎', 3),
  ('20301', 'kinds', 'night_work', '夜间施工', 4),
  ('30103', 'source', 'neighbour', '邻居', 1),
  ('30103', 'source', 'shop', '商铺', 2),
  ('30103', 'source', 'square_dance', '广场舞', 3),
  ('30103', 'source', 'other', '其他', 4),
  ('30103', 'repeated', 'yes', '是', 1),
  ('30103', 'repeated', 'no', '否', 2),
  ('30203', 'smell', 'yes', '是', 1),
  ('30203', 'smell', 'no', '否', 2);
