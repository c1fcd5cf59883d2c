import type { FleetAlertCode, FleetDeviceId, FleetErrorCode } from '../../../main/contract/fleet.js';

/** The fleet page's words, Chinese first. Every alert code and wire error code has a sentence (tested). */
export type FleetLang = 'zh-CN' | 'en';

export const DEVICE_NAMES: Record<FleetDeviceId, Record<FleetLang, string>> = {
  idCard: { 'zh-CN': '身份证阅读器', en: 'ID card reader' },
  scanner: { 'zh-CN': '扫码器', en: 'Scanner' },
  receiptPrinter: { 'zh-CN': '凭条打印机', en: 'Receipt printer' },
  callDisplay: { 'zh-CN': '叫号屏', en: 'Call display' },
  a4Printer: { 'zh-CN': 'A4 打印机', en: 'A4 printer' },
};

export const ALERT_NAMES: Record<FleetAlertCode, Record<FleetLang, string>> = {
  PAPER_NEAR_END: { 'zh-CN': '凭条纸将尽', en: 'Paper near end' },
  PAPER_OUT: { 'zh-CN': '凭条纸用完', en: 'Paper out' },
  COVER_OPEN: { 'zh-CN': '打印机盖未关', en: 'Cover open' },
  DEVICE_OFFLINE: { 'zh-CN': '设备离线', en: 'Device offline' },
  DEVICE_ERROR: { 'zh-CN': '设备故障', en: 'Device error' },
  QUEUE_HOST_UNREACHABLE: { 'zh-CN': '连不上排队主机', en: 'Queue host unreachable' },
  STORAGE_ERROR: { 'zh-CN': '存储故障', en: 'Storage error' },
  READ_FAILURES: { 'zh-CN': '连续读卡失败', en: 'Repeated read failures' },
  CONFIG_ROLLED_BACK: { 'zh-CN': '配置自检失败已回滚', en: 'Config rolled back' },
};

export const ERROR_SENTENCES: Record<FleetErrorCode | 'AUTH_BAD_PIN' | 'AUTH_LOCKED' | 'AUTH_REQUIRED' | 'AUTH_FORBIDDEN', Record<FleetLang, string>> = {
  FLEET_BAD_REQUEST: { 'zh-CN': '终端不认识这条指令。', en: 'The kiosk did not understand the command.' },
  FLEET_CONFIG_UNSIGNED: { 'zh-CN': '配置未签名，终端拒绝，未做任何更改。', en: 'Unsigned config refused; nothing changed.' },
  FLEET_CONFIG_BAD_SIGNATURE: { 'zh-CN': '签名不符，终端拒绝，未做任何更改。', en: 'Bad signature; nothing changed.' },
  FLEET_CONFIG_NO_KEY: { 'zh-CN': '终端或平台缺少签名公钥/私钥。', en: 'A fleet key is missing.' },
  FLEET_CONFIG_STALE: { 'zh-CN': '版本不比终端当前的新，已拒绝。', en: 'Version not newer than the running one.' },
  FLEET_CONFIG_INVALID: { 'zh-CN': '配置校验不通过，未做任何更改。', en: 'Config invalid; nothing changed.' },
  FLEET_CONFIG_WRONG_TARGET: { 'zh-CN': '配置属于其他大厅，已拒绝。', en: 'Config is for another hall.' },
  FLEET_CONFIG_SELF_CHECK_FAILED: { 'zh-CN': '应用后自检失败，终端已自动回滚。', en: 'Self-check failed; the kiosk rolled back.' },
  FLEET_CONFIG_APPLY_FAILED: { 'zh-CN': '配置无法应用。', en: 'The config could not be applied.' },
  FLEET_BUNDLE_FAILED: { 'zh-CN': '诊断包生成或传输失败。', en: 'The diagnostic bundle failed.' },
  FLEET_RESTART_REFUSED: { 'zh-CN': '重启时间不合理（须在 7 天内）。', en: 'Restart time refused (within 7 days).' },
  FLEET_TIMEOUT: { 'zh-CN': '终端未在规定时间内应答。', en: 'No answer in time.' },
  FLEET_NOT_CONNECTED: { 'zh-CN': '平台未连上消息服务器。', en: 'The console is not connected to the broker.' },
  FLEET_ROLLOUT_STOPPED: { 'zh-CN': '遇到第一个失败即停止推送。', en: 'Roll-out stopped at the first failure.' },
  AUTH_BAD_PIN: { 'zh-CN': '用户名或密码错误。', en: 'Wrong user name or PIN.' },
  AUTH_LOCKED: { 'zh-CN': '错误次数过多，请 5 分钟后再试。', en: 'Too many failures; try again in 5 minutes.' },
  AUTH_REQUIRED: { 'zh-CN': '请先登录。', en: 'Please sign in.' },
  AUTH_FORBIDDEN: { 'zh-CN': '当前角色无权执行此操作。', en: 'Your role may not do this.' },
};

const T = {
  title: { 'zh-CN': '自助终端运维平台', en: 'Kiosk fleet console' },
  user: { 'zh-CN': '用户名', en: 'User' },
  pin: { 'zh-CN': '密码（6-12 位数字）', en: 'PIN (6-12 digits)' },
  signIn: { 'zh-CN': '登录', en: 'Sign in' },
  signOut: { 'zh-CN': '退出', en: 'Sign out' },
  online: { 'zh-CN': '在线', en: 'Online' },
  offline: { 'zh-CN': '离线', en: 'Offline' },
  openAlerts: { 'zh-CN': '未处理告警', en: 'Open alerts' },
  kiosks: { 'zh-CN': '终端', en: 'Kiosks' },
  allRegions: { 'zh-CN': '全部地区', en: 'All regions' },
  allHalls: { 'zh-CN': '全部大厅', en: 'All halls' },
  statusAll: { 'zh-CN': '全部状态', en: 'All' },
  statusOffline: { 'zh-CN': '仅离线', en: 'Offline only' },
  statusFaults: { 'zh-CN': '有故障', en: 'With faults' },
  statusAlerts: { 'zh-CN': '有告警', en: 'With alerts' },
  search: { 'zh-CN': '搜索大厅/终端', en: 'Search hall/kiosk' },
  alerts: { 'zh-CN': '告警', en: 'Alerts' },
  openFor: { 'zh-CN': '已持续', en: 'Open for' },
  closedAfter: { 'zh-CN': '已恢复，持续', en: 'Cleared after' },
  noAlerts: { 'zh-CN': '暂无告警', en: 'No alerts' },
  today: { 'zh-CN': '今日数据', en: 'Today' },
  tickets: { 'zh-CN': '取号', en: 'Tickets' },
  prints: { 'zh-CN': '凭条', en: 'Receipts' },
  a4: { 'zh-CN': 'A4 页', en: 'A4 pages' },
  ratings: { 'zh-CN': '好差评（非常满意…非常不满意）', en: 'Ratings (5…1)' },
  lastSeen: { 'zh-CN': '最后上报', en: 'Last seen' },
  version: { 'zh-CN': '软件版本', en: 'Version' },
  configVersion: { 'zh-CN': '配置版本', en: 'Config version' },
  fleetVersion: { 'zh-CN': '平台下发版本', en: 'Fleet version' },
  actions: { 'zh-CN': '操作', en: 'Actions' },
  selected: { 'zh-CN': '已选终端', en: 'Selected kiosks' },
  target: { 'zh-CN': '推送对象', en: 'Target' },
  targetSelected: { 'zh-CN': '所选终端', en: 'Selected kiosks' },
  targetHall: { 'zh-CN': '整个大厅', en: 'Whole hall' },
  firstWave: { 'zh-CN': '首批台数', en: 'First wave' },
  configJson: { 'zh-CN': '配置（JSON，仅填写要改的部分）', en: 'Config (JSON, sections to change)' },
  push: { 'zh-CN': '分批推送配置', en: 'Staged config push' },
  bundle: { 'zh-CN': '取诊断包', en: 'Diagnostic bundle' },
  restart: { 'zh-CN': '定时重启', en: 'Schedule restart' },
  ping: { 'zh-CN': '连通测试', en: 'Ping' },
  download: { 'zh-CN': '下载', en: 'Download' },
  export: { 'zh-CN': '导出 CSV', en: 'Export CSV' },
  exportHalls: { 'zh-CN': '各大厅每日数据（含好差评）', en: 'Halls per day (with ratings)' },
  exportAlerts: { 'zh-CN': '告警记录', en: 'Alert history' },
  from: { 'zh-CN': '从', en: 'From' },
  to: { 'zh-CN': '到', en: 'To' },
  rollouts: { 'zh-CN': '推送记录', en: 'Roll-outs' },
  wave: { 'zh-CN': '批次', en: 'Wave' },
  notSentOffline: { 'zh-CN': '离线未推送', en: 'Offline, not sent' },
  connecting: { 'zh-CN': '正在连接…', en: 'Connecting…' },
  badJson: { 'zh-CN': '配置不是合法的 JSON。', en: 'The config is not valid JSON.' },
  selectFirst: { 'zh-CN': '请先选择终端或大厅。', en: 'Select kiosks or a hall first.' },
  faults: { 'zh-CN': '故障', en: 'Faults' },
  devicesOk: { 'zh-CN': '设备正常', en: 'Devices OK' },
  state_pending: { 'zh-CN': '等待', en: 'Pending' },
  state_sent: { 'zh-CN': '已发送', en: 'Sent' },
  state_ok: { 'zh-CN': '成功', en: 'OK' },
  state_failed: { 'zh-CN': '失败', en: 'Failed' },
  state_skipped: { 'zh-CN': '未发送', en: 'Skipped' },
  rollout_running: { 'zh-CN': '进行中', en: 'Running' },
  rollout_done: { 'zh-CN': '全部完成', en: 'Done' },
  rollout_stopped: { 'zh-CN': '已停止', en: 'Stopped' },
} as const;

export type FleetTextKey = keyof typeof T;

export function t(key: FleetTextKey, lang: FleetLang): string {
  return T[key][lang];
}

export function errorSentence(code: string, message: string, lang: FleetLang): string {
  const known = (ERROR_SENTENCES as Record<string, Record<FleetLang, string>>)[code];
  return known ? `${known[lang]}（${message}）` : `${code}: ${message}`;
}
