// i18n.js - every string the application shows, in 简体中文 (default), 繁體中文 and English.
// t('key', {name: value}) looks the key up in the current language, then in zh-Hans;
// {name} in a string is replaced by params.name. Names that come from the server
// (categories, units, places, people) are shown as the server gives them.

export const LANGS = [
  { code: 'zh-Hans', label: '简体中文', html: 'zh-CN' },
  { code: 'zh-Hant', label: '繁體中文', html: 'zh-TW' },
  { code: 'en', label: 'English', html: 'en' },
];

const zhHans = {
  app: { title: '吹哨', subtitle: '六甲街道 · 党建引领基层治理', skip: '跳到主要内容' },
  nav: { inbox: '待办', report: '上报', map: '网格地图', dashboard: '统计分析', signout: '退出', language: '语言', menu: '导航', admin: '系统管理' },
  login: {
    heading: '登录', username: '用户名', password: '密码', submit: '登录', busy: '正在登录…',
    hint: '演示账号：zhihui（指挥中心）、lingdao（领导）、cgzf（部门）、wangge01（网格员）、jumin1（群众），密码 liujia2020',
  },
  role: { resident: '群众', grid: '网格员', dispatcher: '指挥中心', handler: '部门/联盟单位', leader: '领导', admin: '管理员' },
  common: {
    loading: '加载中…', none: '暂无', error: '出错了', retry: '重试', save: '保存', cancel: '取消', submit: '提交',
    close: '关闭', open: '打开', all: '全部', from: '起', to: '止', apply: '应用', yes: '是', no: '否', id: '编号',
    required: '必填', more: '更多', back: '返回', count: '{n} 件', unknownError: '请求失败（{status}）',
    network: '无法连接服务器，请检查网络后重试；已填写的内容仍保留。', minutes: '{n} 分钟',
  },
  inbox: {
    heading: '我的待办', openCase: '案件编号', empty: '这里没有案件', whistlesHeading: '吹哨报到',
    sec: {
      reported: '新上报·待受理', verified: '已核实·待立案', registered: '待派遣', returned: '退单·待改派', handled: '已反馈·待核查',
      extension_requested: '延期申请', overdue: '已超期', at_risk: '即将超期', whistles_waiting: '等待报到的吹哨',
      dispatched: '待签收', working: '处置中', whistles_mine: '需要本单位报到', verifying: '待核实', mine: '我上报的',
      closed_visit: '待回访评价', all: '全部案件', grid_cases: '本网格案件', supervise: '督办关注（超期/预警）',
    },
    whistleRow: '{type} · 案件 #{case} · {n} 个单位未报到 · 报到时限 {due}',
    whistleMine: '{type} · 案件 #{case} · 报到时限 {due}',
    report: '立即报到', reported: '已报到',
  },
  case: {
    heading: '案件 #{id}', details: '案件信息', timeline: '办理过程', deadlines: '时限', whistles: '吹哨报到', actions: '可办理操作',
    noActions: '当前没有可办理的操作', location: '位置', category: '类别', channel: '渠道', nature: '性质', priority: '紧急程度',
    address: '地址', grid: '网格', reporter: '上报人', lead: '主办单位', co: '协办单位', created: '上报时间', updated: '更新时间',
    due: '当前时限', closeDue: '结案时限', description: '描述', visit: '回访结果', overdue: '已超期', atRisk: '预警', paused: '已暂停',
    onTime: '按时', late: '超时', stage: '环节', started: '开始', done: '完成', status: '状态', running: '进行中',
    attachments: '附件', photoOpen: '查看原图', outside: '不在任何网格内', noPosition: '没有位置信息', notFound: '案件不存在或您无权查看',
    actor: '{role}', system: '系统', unitReported: '已报到 {at}', unitWaiting: '未报到', score: '评分 {score}',
    done_ok: '已完成：{action}', countsLabel: '办理统计', counts: '督办 {supervise} · 退单 {return} · 返工 {rework} · 延期 {extension}',
  },
  stage: { register: '立案', dispatch: '派遣', sign: '签收', handle: '处置', close: '结案' },
  field: {
    note: '说明', unit: '单位', units: '协办/被召集单位', master: '主案件编号', verifier: '核实网格员', whistle: '哨令',
    span: '延期时长', resolved: '问题是否解决', satisfaction: '满意度', score: '评分（0–100）', confirmed: '问题属实',
    type: '哨种', limit_minutes: '报到时限（分钟）', category: '类别', description: '问题描述', title: '标题（可选）',
    address: '地址（可选）', lat: '纬度', lon: '经度', coord_sys: '坐标系', photo: '照片', group: '大类', search: '搜索类别',
    priority: '紧急程度', nature: '性质', reporter_phone: '联系电话（可选）', reporter_name: '来电人/反映人姓名', channel: '来源渠道', source_ref: '来源编号（如 12345 工单号）', username: '用户名', password: '密码',
  },
  hint: {
    span: '例如 2wd（2 个工作日）、4wh（4 个工作小时）、24h', note_required: '必须填写说明',
    verifier: '不选则由网格长/监督员核实', units: '可多选', photo: '可拍照或从相册选择；照片缩小到长边 1600 像素后上传，随案件保存',
    position: '使用设备定位（WGS-84），或在地图上点选，或手工输入坐标',
  },
  sat: { satisfied: '满意', basically_satisfied: '基本满意', unsatisfied: '不满意' },
  prio: { normal: '一般', urgent: '紧急' },
  nature: { consult: '咨询', help: '求助', complaint: '投诉', report: '举报', suggestion: '建议', praise: '表扬', other: '其他' },
  channel: {
    hotline_12345: '12345热线', phone: '电话', web: '网站', app: '手机应用', open311: 'Open311', wechat: '微信', grid_patrol: '网格巡查',
    river_patrol: '河道巡查', street_office: '街道窗口', deliberation_hall: '议事厅', leader: '领导交办', petition: '信访', media: '媒体',
    video: '视频监控',
  },
  wtype: { minsheng: '民生哨', huanjing: '环境哨', shichang: '市场哨' },
  crs: { wgs84: 'WGS-84（GPS）', gcj02: 'GCJ-02（高德/腾讯）', bd09: 'BD-09（百度）' },
  state: {
    reported: '已上报', verifying: '核实中', verified: '已核实', registered: '已立案', rejected: '不予立案', voided: '已作废',
    dispatched: '已派遣', returned: '已退单', accepted: '已签收', in_progress: '处置中', extension_requested: '延期申请中',
    deferred: '缓办', hung: '挂账', handled: '已反馈', rework: '返工', closed: '已结案', visited: '已回访', self_handled: '自行处置',
    merged: '已合并',
  },
  action: {
    report: '上报', approve_extension: '批准延期', close: '结案', comment: '备注', defer: '缓办', deny_extension: '驳回延期',
    dispatch: '派遣', feedback: '处置反馈', hang: '挂账', merge: '合并', progress: '处置进展', reassign: '改派', register: '立案',
    reject: '不予立案', reopen: '重新办理', request_extension: '申请延期', resume: '恢复办理', return: '退单', rework: '返工',
    self_handle: '自行处置', send_verify: '派发核实', sign: '签收', supervise: '督办', verify: '核实', visit: '回访评价',
    void: '作废', whistle: '吹哨', whistle_rate: '报到评价', whistle_report: '报到',
  },
  report: {
    heading: '上报问题', submit: '提交上报', busy: '正在提交…', locate: '使用当前位置', locating: '正在定位…',
    gridIs: '所在网格：{name}（{code}）', gridNone: '该位置不在任何网格内，指挥中心会人工处理', done: '已上报，案件编号 #{id}',
    geoDenied: '无法获取位置：{msg}', pickOnMap: '或在地图上点击选择位置', selfHandled: '已当场自行处置（网格员）',
    photoTooBig: '无法读取这张照片，请换一张', chooseCategory: '请选择类别',
    photoUploading: '正在上传照片…', photoUploaded: '照片已上传', photoFailed: '照片上传失败：{msg}',
  },
  map: {
    heading: '网格地图', state: '状态', category: '类别', period: '上报时间', layers: '图层', grids: '网格', communities: '社区',
    markers: '案件', heat: '密度', tileUrl: '底图瓦片地址（可选，留空则不加载外部底图）', casesShown: '标记显示最新的 {n} 件案件，密度图含 {all} 件',
    legend: '图例', openCase: '打开案件',
  },
  dash: {
    heading: '统计分析', period: '统计期', rates: '核心指标', whistles: '吹哨报到', trend: '按月趋势', rankUnit: '单位排名',
    rankGrid: '网格排名', received: '受理', registered: '立案', closed: '结案', dueToClose: '应结案', visits: '回访',
    count: '哨次', units: '召集单位', ontime: '按时报到', rated: '已评价', ratingAvg: '平均评分', score: '得分', grade: '等级',
    rank: '名次', name: '名称', download: '下载报告卡', format: '格式', stageHours: '各环节平均工作时长（小时）',
    na: '—', scope: '范围', subdistrict: '全街道', scopeCommunities: '社区', scopeUnits: '单位', petitions: '信访件', coverage: '网格团队覆盖率', byChannel: '按渠道',
  },
  rate: {
    response: '响应率', resolution: '解决率', satisfaction: '满意率', closure: '结案率', ontime_closure: '按期结案率',
    rework: '返工率', extension: '延期率', accurate_dispatch: '准确派遣率', whistle_ontime: '按时报到率',
  },
  admin: {
    heading: '系统管理', notAllowed: '只有管理员可以使用系统管理页面', users: '用户', units: '单位', teams: '网格团队', import: '边界导入',
    username: '用户名', name: '姓名/名称', role: '角色', unit: '所属单位', grid: '所属网格', phone: '电话', password: '初始密码',
    usernameHint: '2–32 位小写字母、数字或 _ . -，以字母或数字开头', passwordHint: '8–256 个字符；不填则只能用 API 密钥',
    unitHint: '部门/联盟单位用户必选', gridHint: '网格员所在网格的编码，如 53011100800201', chooseUnit: '请选择单位',
    addUser: '添加用户', addUnit: '添加单位', busy: '正在保存…', userAdded: '已添加用户 {name}', unitAdded: '已添加单位 {name}',
    code: '编码', kind: '类型', uscc: '统一社会信用代码', usccHint: '联盟单位填写，校验位会被核对',
    kinds: { department: '职能部门', alliance: '红色联盟单位', community: '社区', property: '物业', other: '其他' },
    gridCode: '网格编码', gridCodeHint: '如 53011100800201', showTeam: '查看团队', chooseUser: '请选择用户', member: '成员',
    teamRole: '团队角色', addMember: '加入团队', teamOf: '{name}（{code}）的团队', teamEmpty: '该网格还没有团队成员',
    teamUnknown: '无法读取该网格的团队名单', notGrid: '这个编码不是网格', noSuchPlace: '没有这个编码的地点',
    team: {
      leader: '网格长', supervisor: '网格监督员', enforcement: '城管执法', community: '社区工作人员', sanitation: '环卫保洁',
      police: '社区民警', building_head: '楼栋长', volunteer: '志愿者', property: '物业',
    },
    importHint: '导入会替换整个地点树。先试运行检查，没有问题后再确认导入。', file: 'GeoJSON 文件', epsg: 'EPSG 坐标系（可选）',
    epsgHint: '经纬度留空；以米为单位的坐标填投影代码，如 4543', dryRun: '试运行检查', importNow: '确认导入', checking: '正在检查…',
    importing: '正在导入…', chooseFile: '请选择文件', importClean: '检查通过：{places} 个地点，没有问题。尚未保存。',
    importProblems: '{places} 个地点，发现 {problems} 个问题；没有保存任何内容。', imported: '已导入 {places} 个地点。',
    issueKind: '问题', issueDetail: '说明', issueAt: '位置（经度, 纬度）',
  },
  err: {
    unauthorized: '用户名或密码错误', forbidden: '您的角色不能执行此操作', conflict: '案件状态已变化，请刷新后重试',
    sessionExpired: '登录已过期，请重新登录', check: '请检查此项：{msg}',
  },
};

const zhHant = {
  app: { title: '吹哨', subtitle: '六甲街道 · 黨建引領基層治理', skip: '跳到主要內容' },
  nav: { inbox: '待辦', report: '上報', map: '網格地圖', dashboard: '統計分析', signout: '登出', language: '語言', menu: '導覽', admin: '系統管理' },
  login: {
    heading: '登入', username: '使用者名稱', password: '密碼', submit: '登入', busy: '正在登入…',
    hint: '示範帳號：zhihui（指揮中心）、lingdao（領導）、cgzf（部門）、wangge01（網格員）、jumin1（群眾），密碼 liujia2020',
  },
  role: { resident: '群眾', grid: '網格員', dispatcher: '指揮中心', handler: '部門/聯盟單位', leader: '領導', admin: '管理員' },
  common: {
    loading: '載入中…', none: '暫無', error: '發生錯誤', retry: '重試', save: '儲存', cancel: '取消', submit: '提交',
    close: '關閉', open: '開啟', all: '全部', from: '起', to: '止', apply: '套用', yes: '是', no: '否', id: '編號',
    required: '必填', more: '更多', back: '返回', count: '{n} 件', unknownError: '請求失敗（{status}）',
    network: '無法連線伺服器，請檢查網路後重試；已填寫的內容仍保留。', minutes: '{n} 分鐘',
  },
  inbox: {
    heading: '我的待辦', openCase: '案件編號', empty: '這裡沒有案件', whistlesHeading: '吹哨報到',
    sec: {
      reported: '新上報·待受理', verified: '已核實·待立案', registered: '待派遣', returned: '退單·待改派', handled: '已回饋·待核查',
      extension_requested: '延期申請', overdue: '已逾期', at_risk: '即將逾期', whistles_waiting: '等待報到的吹哨',
      dispatched: '待簽收', working: '處置中', whistles_mine: '需要本單位報到', verifying: '待核實', mine: '我上報的',
      closed_visit: '待回訪評價', all: '全部案件', grid_cases: '本網格案件', supervise: '督辦關注（逾期/預警）',
    },
    whistleRow: '{type} · 案件 #{case} · {n} 個單位未報到 · 報到時限 {due}',
    whistleMine: '{type} · 案件 #{case} · 報到時限 {due}',
    report: '立即報到', reported: '已報到',
  },
  case: {
    heading: '案件 #{id}', details: '案件資訊', timeline: '辦理過程', deadlines: '時限', whistles: '吹哨報到', actions: '可辦理操作',
    noActions: '目前沒有可辦理的操作', location: '位置', category: '類別', channel: '管道', nature: '性質', priority: '緊急程度',
    address: '地址', grid: '網格', reporter: '上報人', lead: '主辦單位', co: '協辦單位', created: '上報時間', updated: '更新時間',
    due: '目前時限', closeDue: '結案時限', description: '描述', visit: '回訪結果', overdue: '已逾期', atRisk: '預警', paused: '已暫停',
    onTime: '準時', late: '逾時', stage: '環節', started: '開始', done: '完成', status: '狀態', running: '進行中',
    attachments: '附件', photoOpen: '檢視原圖', outside: '不在任何網格內', noPosition: '沒有位置資訊', notFound: '案件不存在或您無權檢視',
    actor: '{role}', system: '系統', unitReported: '已報到 {at}', unitWaiting: '未報到', score: '評分 {score}',
    done_ok: '已完成：{action}', countsLabel: '办理统计', counts: '督辦 {supervise} · 退單 {return} · 返工 {rework} · 延期 {extension}',
  },
  stage: { register: '立案', dispatch: '派遣', sign: '簽收', handle: '處置', close: '結案' },
  field: {
    note: '說明', unit: '單位', units: '協辦/被召集單位', master: '主案件編號', verifier: '核實網格員', whistle: '哨令',
    span: '延期時長', resolved: '問題是否解決', satisfaction: '滿意度', score: '評分（0–100）', confirmed: '問題屬實',
    type: '哨種', limit_minutes: '報到時限（分鐘）', category: '類別', description: '問題描述', title: '標題（選填）',
    address: '地址（選填）', lat: '緯度', lon: '經度', coord_sys: '座標系', photo: '照片', group: '大類', search: '搜尋類別',
    priority: '緊急程度', nature: '性質', reporter_phone: '聯絡電話（選填）', reporter_name: '來電人/反映人姓名', channel: '來源管道', source_ref: '來源編號（如 12345 工單號）', username: '使用者名稱', password: '密碼',
  },
  hint: {
    span: '例如 2wd（2 個工作日）、4wh（4 個工作小時）、24h', note_required: '必須填寫說明',
    verifier: '不選則由網格長/監督員核實', units: '可複選', photo: '可拍照或從相簿選擇；照片縮小到長邊 1600 像素後上傳，隨案件保存',
    position: '使用裝置定位（WGS-84），或在地圖上點選，或手動輸入座標',
  },
  sat: { satisfied: '滿意', basically_satisfied: '基本滿意', unsatisfied: '不滿意' },
  prio: { normal: '一般', urgent: '緊急' },
  nature: { consult: '諮詢', help: '求助', complaint: '投訴', report: '檢舉', suggestion: '建議', praise: '表揚', other: '其他' },
  channel: {
    hotline_12345: '12345熱線', phone: '電話', web: '網站', app: '手機應用', open311: 'Open311', wechat: '微信', grid_patrol: '網格巡查',
    river_patrol: '河道巡查', street_office: '街道窗口', deliberation_hall: '議事廳', leader: '領導交辦', petition: '信訪', media: '媒體',
    video: '影像監控',
  },
  wtype: { minsheng: '民生哨', huanjing: '環境哨', shichang: '市場哨' },
  crs: { wgs84: 'WGS-84（GPS）', gcj02: 'GCJ-02（高德/騰訊）', bd09: 'BD-09（百度）' },
  state: {
    reported: '已上報', verifying: '核實中', verified: '已核實', registered: '已立案', rejected: '不予立案', voided: '已作廢',
    dispatched: '已派遣', returned: '已退單', accepted: '已簽收', in_progress: '處置中', extension_requested: '延期申請中',
    deferred: '緩辦', hung: '掛帳', handled: '已回饋', rework: '返工', closed: '已結案', visited: '已回訪', self_handled: '自行處置',
    merged: '已合併',
  },
  action: {
    report: '上報', approve_extension: '批准延期', close: '結案', comment: '備註', defer: '緩辦', deny_extension: '駁回延期',
    dispatch: '派遣', feedback: '處置回饋', hang: '掛帳', merge: '合併', progress: '處置進展', reassign: '改派', register: '立案',
    reject: '不予立案', reopen: '重新辦理', request_extension: '申請延期', resume: '恢復辦理', return: '退單', rework: '返工',
    self_handle: '自行處置', send_verify: '派發核實', sign: '簽收', supervise: '督辦', verify: '核實', visit: '回訪評價',
    void: '作廢', whistle: '吹哨', whistle_rate: '報到評價', whistle_report: '報到',
  },
  report: {
    heading: '上報問題', submit: '提交上報', busy: '正在提交…', locate: '使用目前位置', locating: '正在定位…',
    gridIs: '所在網格：{name}（{code}）', gridNone: '該位置不在任何網格內，指揮中心會人工處理', done: '已上報，案件編號 #{id}',
    geoDenied: '無法取得位置：{msg}', pickOnMap: '或在地圖上點選位置', selfHandled: '已當場自行處置（網格員）',
    photoTooBig: '無法讀取這張照片，請換一張', chooseCategory: '請選擇類別',
    photoUploading: '正在上傳照片…', photoUploaded: '照片已上傳', photoFailed: '照片上傳失敗：{msg}',
  },
  map: {
    heading: '網格地圖', state: '狀態', category: '類別', period: '上報時間', layers: '圖層', grids: '網格', communities: '社區',
    markers: '案件', heat: '密度', tileUrl: '底圖圖磚網址（選填，留空則不載入外部底圖）', casesShown: '標記顯示最新的 {n} 件案件，密度圖含 {all} 件',
    legend: '圖例', openCase: '開啟案件',
  },
  dash: {
    heading: '統計分析', period: '統計期', rates: '核心指標', whistles: '吹哨報到', trend: '按月趨勢', rankUnit: '單位排名',
    rankGrid: '網格排名', received: '受理', registered: '立案', closed: '結案', dueToClose: '應結案', visits: '回訪',
    count: '哨次', units: '召集單位', ontime: '準時報到', rated: '已評價', ratingAvg: '平均評分', score: '得分', grade: '等級',
    rank: '名次', name: '名稱', download: '下載報告卡', format: '格式', stageHours: '各環節平均工作時數（小時）',
    na: '—', scope: '範圍', subdistrict: '全街道', scopeCommunities: '社區', scopeUnits: '單位', petitions: '信訪件', coverage: '網格團隊覆蓋率', byChannel: '按管道',
  },
  rate: {
    response: '回應率', resolution: '解決率', satisfaction: '滿意率', closure: '結案率', ontime_closure: '按期結案率',
    rework: '返工率', extension: '延期率', accurate_dispatch: '準確派遣率', whistle_ontime: '準時報到率',
  },
  admin: {
    heading: '系統管理', notAllowed: '只有管理員可以使用系統管理頁面', users: '使用者', units: '單位', teams: '網格團隊', import: '邊界匯入',
    username: '使用者名稱', name: '姓名/名稱', role: '角色', unit: '所屬單位', grid: '所屬網格', phone: '電話', password: '初始密碼',
    usernameHint: '2–32 位小寫字母、數字或 _ . -，以字母或數字開頭', passwordHint: '8–256 個字元；不填則只能用 API 金鑰',
    unitHint: '部門/聯盟單位使用者必選', gridHint: '網格員所在網格的編碼，如 53011100800201', chooseUnit: '請選擇單位',
    addUser: '新增使用者', addUnit: '新增單位', busy: '正在儲存…', userAdded: '已新增使用者 {name}', unitAdded: '已新增單位 {name}',
    code: '編碼', kind: '類型', uscc: '統一社會信用代碼', usccHint: '聯盟單位填寫，校驗位會被核對',
    kinds: { department: '職能部門', alliance: '紅色聯盟單位', community: '社區', property: '物業', other: '其他' },
    gridCode: '網格編碼', gridCodeHint: '如 53011100800201', showTeam: '查看團隊', chooseUser: '請選擇使用者', member: '成員',
    teamRole: '團隊角色', addMember: '加入團隊', teamOf: '{name}（{code}）的團隊', teamEmpty: '該網格還沒有團隊成員',
    teamUnknown: '無法讀取該網格的團隊名單', notGrid: '這個編碼不是網格', noSuchPlace: '沒有這個編碼的地點',
    team: {
      leader: '網格長', supervisor: '網格監督員', enforcement: '城管執法', community: '社區工作人員', sanitation: '環衛保潔',
      police: '社區民警', building_head: '樓棟長', volunteer: '志工', property: '物業',
    },
    importHint: '匯入會取代整個地點樹。先試執行檢查，沒有問題後再確認匯入。', file: 'GeoJSON 檔案', epsg: 'EPSG 座標系（選填）',
    epsgHint: '經緯度留空；以公尺為單位的座標填投影代碼，如 4543', dryRun: '試執行檢查', importNow: '確認匯入', checking: '正在檢查…',
    importing: '正在匯入…', chooseFile: '請選擇檔案', importClean: '檢查通過：{places} 個地點，沒有問題。尚未儲存。',
    importProblems: '{places} 個地點，發現 {problems} 個問題；沒有儲存任何內容。', imported: '已匯入 {places} 個地點。',
    issueKind: '問題', issueDetail: '說明', issueAt: '位置（經度, 緯度）',
  },
  err: {
    unauthorized: '使用者名稱或密碼錯誤', forbidden: '您的角色不能執行此操作', conflict: '案件狀態已變化，請重新整理後重試',
    sessionExpired: '登入已逾期，請重新登入', check: '請檢查此項：{msg}',
  },
};

const en = {
  app: { title: 'Chuishao', subtitle: 'Liujia Subdistrict · grassroots governance', skip: 'Skip to main content' },
  nav: { inbox: 'Inbox', report: 'Report', map: 'Grid map', dashboard: 'Dashboard', signout: 'Sign out', language: 'Language', menu: 'Navigation', admin: 'Administration' },
  login: {
    heading: 'Sign in', username: 'Username', password: 'Password', submit: 'Sign in', busy: 'Signing in…',
    hint: 'Demo users: zhihui (command centre), lingdao (leader), cgzf (department), wangge01 (grid worker), jumin1 (resident); password liujia2020',
  },
  role: { resident: 'Resident', grid: 'Grid worker', dispatcher: 'Command centre', handler: 'Department / alliance unit', leader: 'Leader', admin: 'Administrator' },
  common: {
    loading: 'Loading…', none: 'None', error: 'Something went wrong', retry: 'Retry', save: 'Save', cancel: 'Cancel', submit: 'Submit',
    close: 'Close', open: 'Open', all: 'All', from: 'From', to: 'To', apply: 'Apply', yes: 'Yes', no: 'No', id: 'No.',
    required: 'required', more: 'More', back: 'Back', count: '{n} cases', unknownError: 'Request failed ({status})',
    network: 'Cannot reach the server; check the connection and try again. What you typed is kept.', minutes: '{n} min',
  },
  inbox: {
    heading: 'My inbox', openCase: 'Case no.', empty: 'No cases here', whistlesHeading: 'Whistles',
    sec: {
      reported: 'New reports', verified: 'Verified, to register', registered: 'To dispatch', returned: 'Returned, to reassign', handled: 'Fed back, to check',
      extension_requested: 'Extension requests', overdue: 'Overdue', at_risk: 'At risk', whistles_waiting: 'Whistles waiting for report-in',
      dispatched: 'To sign for', working: 'Being handled', whistles_mine: 'Whistles my unit must answer', verifying: 'To verify', mine: 'My reports',
      closed_visit: 'Closed, to rate', all: 'All cases', grid_cases: 'Cases of my grid', supervise: 'To supervise (overdue / at risk)',
    },
    whistleRow: '{type} · case #{case} · {n} unit(s) not reported in · due {due}',
    whistleMine: '{type} · case #{case} · report in by {due}',
    report: 'Report in', reported: 'Reported in',
  },
  case: {
    heading: 'Case #{id}', details: 'Details', timeline: 'Timeline', deadlines: 'Deadlines', whistles: 'Whistles', actions: 'Actions',
    noActions: 'Nothing for you to do now', location: 'Location', category: 'Category', channel: 'Channel', nature: 'Nature', priority: 'Priority',
    address: 'Address', grid: 'Grid', reporter: 'Reporter', lead: 'Lead unit', co: 'Co-handling units', created: 'Reported', updated: 'Updated',
    due: 'Current deadline', closeDue: 'Close by', description: 'Description', visit: 'Return visit', overdue: 'Overdue', atRisk: 'At risk', paused: 'Paused',
    onTime: 'on time', late: 'late', stage: 'Stage', started: 'Started', done: 'Done', status: 'Status', running: 'running',
    attachments: 'Attachments', photoOpen: 'Open full size', outside: 'in no grid', noPosition: 'no position', notFound: 'No such case, or you may not see it',
    actor: '{role}', system: 'system', unitReported: 'reported in {at}', unitWaiting: 'not reported in', score: 'score {score}',
    done_ok: 'Done: {action}', countsLabel: 'Handling counts', counts: 'supervised {supervise} · returned {return} · reworked {rework} · extended {extension}',
  },
  stage: { register: 'Register', dispatch: 'Dispatch', sign: 'Sign for', handle: 'Handle', close: 'Close' },
  field: {
    note: 'Note', unit: 'Unit', units: 'Co-handling / summoned units', master: 'Master case no.', verifier: 'Verifying grid worker', whistle: 'Whistle',
    span: 'Extension', resolved: 'Problem solved?', satisfaction: 'Satisfaction', score: 'Score (0–100)', confirmed: 'Problem confirmed',
    type: 'Whistle type', limit_minutes: 'Report-in limit (minutes)', category: 'Category', description: 'Description', title: 'Title (optional)',
    address: 'Address (optional)', lat: 'Latitude', lon: 'Longitude', coord_sys: 'Coordinate system', photo: 'Photo', group: 'Group', search: 'Search categories',
    priority: 'Priority', nature: 'Nature', reporter_phone: 'Phone (optional)', reporter_name: 'Caller\'s name', channel: 'Channel', source_ref: 'Source reference (e.g. 12345 ticket)', username: 'Username', password: 'Password',
  },
  hint: {
    span: 'e.g. 2wd (2 working days), 4wh (4 working hours), 24h', note_required: 'A note is required',
    verifier: 'Leave empty: the grid leader or supervisor verifies', units: 'Choose one or more', photo: 'Take or choose a photo; it is scaled down to 1600 px on the long side, uploaded and kept with the case',
    position: 'Use the device position (WGS-84), click the map, or type coordinates',
  },
  sat: { satisfied: 'Satisfied', basically_satisfied: 'Basically satisfied', unsatisfied: 'Unsatisfied' },
  prio: { normal: 'Normal', urgent: 'Urgent' },
  nature: { consult: 'Enquiry', help: 'Help', complaint: 'Complaint', report: 'Tip-off', suggestion: 'Suggestion', praise: 'Praise', other: 'Other' },
  channel: {
    hotline_12345: '12345 hotline', phone: 'Phone', web: 'Web', app: 'App', open311: 'Open311', wechat: 'WeChat', grid_patrol: 'Grid patrol',
    river_patrol: 'River patrol', street_office: 'Service counter', deliberation_hall: 'Deliberation hall', leader: 'Leader', petition: 'Petition', media: 'Media',
    video: 'Video',
  },
  wtype: { minsheng: 'Livelihood whistle', huanjing: 'Environment whistle', shichang: 'Market whistle' },
  crs: { wgs84: 'WGS-84 (GPS)', gcj02: 'GCJ-02 (AMap, Tencent)', bd09: 'BD-09 (Baidu)' },
  state: {
    reported: 'Reported', verifying: 'Verifying', verified: 'Verified', registered: 'Registered', rejected: 'Rejected', voided: 'Voided',
    dispatched: 'Dispatched', returned: 'Returned', accepted: 'Signed for', in_progress: 'In progress', extension_requested: 'Extension requested',
    deferred: 'Deferred', hung: 'On hold', handled: 'Fed back', rework: 'Rework', closed: 'Closed', visited: 'Visited', self_handled: 'Self-handled',
    merged: 'Merged',
  },
  action: {
    report: 'Report', approve_extension: 'Approve extension', close: 'Close', comment: 'Comment', defer: 'Defer', deny_extension: 'Deny extension',
    dispatch: 'Dispatch', feedback: 'Feed back', hang: 'Put on hold', merge: 'Merge', progress: 'Progress note', reassign: 'Reassign', register: 'Register',
    reject: 'Reject', reopen: 'Reopen', request_extension: 'Request extension', resume: 'Resume', return: 'Return', rework: 'Send back for rework',
    self_handle: 'Handled on the spot', send_verify: 'Send to verify', sign: 'Sign for', supervise: 'Supervise', verify: 'Verify', visit: 'Return visit',
    void: 'Void', whistle: 'Blow whistle', whistle_rate: 'Rate report-in', whistle_report: 'Report in',
  },
  report: {
    heading: 'Report a problem', submit: 'Send report', busy: 'Sending…', locate: 'Use my position', locating: 'Locating…',
    gridIs: 'Grid: {name} ({code})', gridNone: 'This position is in no grid; the command centre will look at it', done: 'Reported as case #{id}',
    geoDenied: 'No position: {msg}', pickOnMap: 'or click the map', selfHandled: 'Fixed on the spot (grid worker)',
    photoTooBig: 'This photo cannot be read; choose another', chooseCategory: 'Choose a category',
    photoUploading: 'Uploading the photo…', photoUploaded: 'Photo uploaded', photoFailed: 'The photo could not be uploaded: {msg}',
  },
  map: {
    heading: 'Grid map', state: 'State', category: 'Category', period: 'Reported', layers: 'Layers', grids: 'Grids', communities: 'Communities',
    markers: 'Cases', heat: 'Density', tileUrl: 'Tile URL (optional; empty: no external map tiles)', casesShown: 'Markers: the newest {n} cases; density: {all} cases',
    legend: 'Legend', openCase: 'Open case',
  },
  dash: {
    heading: 'Dashboard', period: 'Period', rates: 'Key rates', whistles: 'Whistles', trend: 'By month', rankUnit: 'Unit ranking',
    rankGrid: 'Grid ranking', received: 'Received', registered: 'Registered', closed: 'Closed', dueToClose: 'Due to close', visits: 'Visits',
    count: 'Whistles', units: 'Units summoned', ontime: 'On-time report-in', rated: 'Rated', ratingAvg: 'Mean rating', score: 'Score', grade: 'Grade',
    rank: 'Rank', name: 'Name', download: 'Download report card', format: 'Format', stageHours: 'Mean working hours per stage',
    na: '—', scope: 'Scope', subdistrict: 'Whole subdistrict', scopeCommunities: 'Communities', scopeUnits: 'Units', petitions: 'Petitions', coverage: 'Grid team coverage', byChannel: 'By channel',
  },
  rate: {
    response: 'Response', resolution: 'Resolution', satisfaction: 'Satisfaction', closure: 'Closure', ontime_closure: 'On-time closure',
    rework: 'Rework', extension: 'Extension', accurate_dispatch: 'Accurate dispatch', whistle_ontime: 'On-time report-in',
  },
  admin: {
    heading: 'Administration', notAllowed: 'Only administrators may use the administration page', users: 'Users', units: 'Units', teams: 'Grid teams', import: 'Boundary import',
    username: 'User name', name: 'Name', role: 'Role', unit: 'Unit', grid: 'Grid', phone: 'Phone', password: 'Initial password',
    usernameHint: '2–32 of a-z, 0-9, _ . -, starting with a letter or digit', passwordHint: '8–256 characters; without one the user can only use API keys',
    unitHint: 'Required for department/alliance users', gridHint: 'The grid code of a grid worker, e.g. 53011100800201', chooseUnit: 'Choose a unit',
    addUser: 'Add user', addUnit: 'Add unit', busy: 'Saving…', userAdded: 'User {name} added', unitAdded: 'Unit {name} added',
    code: 'Code', kind: 'Kind', uscc: 'Unified social credit code', usccHint: 'For alliance units; the check character is verified',
    kinds: { department: 'Department', alliance: 'Red alliance unit', community: 'Community', property: 'Property management', other: 'Other' },
    gridCode: 'Grid code', gridCodeHint: 'e.g. 53011100800201', showTeam: 'Show team', chooseUser: 'Choose a user', member: 'Member',
    teamRole: 'Team role', addMember: 'Add to team', teamOf: 'Team of {name} ({code})', teamEmpty: 'This grid has no team members yet',
    teamUnknown: 'The team of this grid could not be read', notGrid: 'This code is not a grid', noSuchPlace: 'No place has this code',
    team: {
      leader: 'Grid leader', supervisor: 'Grid supervisor', enforcement: 'Law enforcement', community: 'Community worker', sanitation: 'Sanitation',
      police: 'Community police', building_head: 'Building head', volunteer: 'Volunteer', property: 'Property management',
    },
    importHint: 'An import replaces the whole place tree. Check it with a dry run first, then confirm.', file: 'GeoJSON file', epsg: 'EPSG code (optional)',
    epsgHint: 'Empty for longitude/latitude; a projected code such as 4543 for metres', dryRun: 'Dry run', importNow: 'Import now', checking: 'Checking…',
    importing: 'Importing…', chooseFile: 'Choose a file', importClean: 'Check passed: {places} places, no problems. Nothing stored yet.',
    importProblems: '{places} places, {problems} problems found; nothing was stored.', imported: '{places} places imported.',
    issueKind: 'Problem', issueDetail: 'Detail', issueAt: 'Position (lon, lat)',
  },
  err: {
    unauthorized: 'Wrong username or password', forbidden: 'Your role may not do this', conflict: 'The case has changed; reload and try again',
    sessionExpired: 'Your session has expired; sign in again', check: 'Please check: {msg}',
  },
};

const TABLES = { 'zh-Hans': zhHans, 'zh-Hant': zhHant, en };
const KEY = 'chuishao.lang';
let current = 'zh-Hans';
try {
  const saved = localStorage.getItem(KEY);
  if (saved && TABLES[saved]) current = saved;
} catch { /* storage may be off */ }

export function lang() { return current; }

export function setLang(code) {
  if (!TABLES[code]) return;
  current = code;
  try { localStorage.setItem(KEY, code); } catch { /* ignore */ }
  document.documentElement.lang = LANGS.find((l) => l.code === code).html;
}

function lookup(table, key) {
  let v = table;
  for (const part of key.split('.')) {
    if (v == null || typeof v !== 'object') return undefined;
    v = v[part];
  }
  return typeof v === 'string' ? v : undefined;
}

// The string for key in the current language (zh-Hans if missing there; the key
// itself if missing everywhere), with {name} replaced from params.
export function t(key, params) {
  let s = lookup(TABLES[current], key) ?? lookup(zhHans, key) ?? key;
  if (params) s = s.replace(/\{(\w+)\}/g, (m, k) => (params[k] ?? m));
  return s;
}

// t() of key if the key exists, else fallback (for server codes we may not know).
export function tOr(key, fallback) {
  return lookup(TABLES[current], key) ?? lookup(zhHans, key) ?? fallback;
}

// The table of a language, for tests of completeness.
export function table(code) { return TABLES[code]; }
