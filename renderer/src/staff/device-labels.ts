/**
 * The technician's board in Chinese: device details and counters arrive from the host as short English facts
 * (`paper near end`, `connecting (attempt 3)`, `jobsPrinted`); these tables say them in Chinese. A detail that is
 * not known here is shown as it came (it still names the fact), never dropped.
 */
const DETAIL_PATTERNS: readonly (readonly [RegExp, string | ((...m: string[]) => string)])[] = [
  [/^not configured$/, '未配置'],
  [/^starting$/, '启动中'],
  [/^ready$/, '就绪'],
  [/^ready: waiting for a card$/, '就绪：等待放卡'],
  [/^ready: waiting for a code$/, '就绪：等待扫码'],
  [/^reading a card$/, '正在读卡'],
  [/^paper end$/, '缺纸'],
  [/^paper near end$/, '纸将用完'],
  [/^cover open$/, '盖板打开'],
  [/^cutter error$/, '切刀故障'],
  [/^unrecoverable error$/, '不可恢复的故障'],
  [/^offline$/, '离线'],
  [/^disconnected$/, '已断开'],
  [/^keyboard-wedge scanner: read by the kiosk page$/, '键盘式扫码器：由终端页面读取'],
  [/^write-only link: printer status cannot be read; prints are unverified$/, '只写链路：无法读取打印机状态，打印结果无法确认'],
  [/^connecting \(attempt (\d+)\)$/, (_, n) => `正在连接（第 ${n} 次）`],
  [/^(.*)retrying in (\d+) ms$/, (_, why, ms) => `${why ? `${deviceDetail(why.replace(/[;:,]\s*$/, ''))}；` : ''}${Math.round(Number(ms) / 100) / 10} 秒后重试`],
  [/^(.*); no answer from the device yet$/, (_, what) => `${deviceDetail(what)}；设备尚未应答`],
  [/^link open$/, '链路已打开'],
  [/^no status answer: (.*)$/, (_, why) => `无状态应答：${why}`],
  [/^CUPS queue (\S+) ready$/, (_, q) => `CUPS 队列 ${q} 就绪`],
  [/^CUPS queue (\S+) (.*)$/, (_, q, rest) => `CUPS 队列 ${q}${rest.includes('disabled') ? ' 已停用' : ''}${rest.includes('not accepting') ? ' 不接受任务' : ''}`],
  [/^(.*) \+ LED strips$/, (_, rest) => `${rest} + LED 条屏`],
];

export function deviceDetail(detail: string): string {
  for (const [re, out] of DETAIL_PATTERNS) {
    const m = re.exec(detail);
    if (m) return typeof out === 'string' ? out : out(...m);
  }
  return detail;
}

export const COUNTER_LABELS: Record<string, string> = {
  jobsPrinted: '已打印',
  jobsSentUnverified: '已发送未确认',
  jobsFailed: '打印失败',
  lines: '行数',
  paperMm: '用纸（毫米）',
  faults: '故障',
  reads: '读卡',
  failures: '失败',
  removals: '取卡',
  timeouts: '超时',
  retries: '重试',
  discardedFrames: '丢弃帧',
  discardedBytes: '丢弃字节',
  frames: '帧',
  scans: '扫码',
  jobs: '任务',
  copies: '份数',
  calls: '叫号',
  errors: '错误',
  discarded: '丢弃',
  tooLong: '过长',
  garbage: '乱码',
  badReports: '错误报告',
  incomplete: '不完整',
  bytesIn: '收到字节',
  bytesOut: '发出字节',
};

export function counterLabel(key: string): string {
  return COUNTER_LABELS[key] ?? key;
}

/** Field names of a printer status answer (DLE EOT), as the status card lists them. */
export const STATUS_FIELD_LABELS: Record<string, string> = {
  online: '在线',
  paperEnd: '缺纸',
  paperNearEnd: '纸将用完',
  coverOpen: '盖板打开',
  cutterError: '切刀故障',
  unrecoverable: '不可恢复故障',
  autoRecoverable: '可自动恢复故障',
  drawerOpen: '钱箱打开',
  feedButton: '进纸键按下',
  waitingForOnline: '等待联机',
  source: '来源',
  raw: '原始字节',
};

/** A test result's message: a JSON object (printer status) as label/value pairs, anything else as one sentence. */
export function statusFields(message: string): { label: string; value: string }[] | null {
  if (!message.trim().startsWith('{')) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(message);
  } catch (e) {
    // Not JSON after all: the caller shows the sentence as it came. Anything but a parse error is a defect.
    if (e instanceof SyntaxError) return null;
    throw e;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return null;
  return Object.entries(parsed as Record<string, unknown>).map(([k, v]) => ({
    label: STATUS_FIELD_LABELS[k] ?? k,
    value: typeof v === 'boolean' ? (v ? '是' : '否') : typeof v === 'object' ? JSON.stringify(v) : String(v),
  }));
}

/** Who did it, as staff say it: the role names and the host itself (config seeding, automatic purges). */
export function actorLabel(actor: string | null | undefined): string {
  switch (actor) {
    case 'manager':
      return '大厅管理员';
    case 'technician':
      return '运维技术员';
    case 'system':
      return '系统';
    case undefined:
    case null:
    case '':
      return '';
    default:
      return actor;
  }
}

export function outcomeLabel(outcome: string): string {
  return ({ ok: '成功', failed: '失败', denied: '拒绝', refused: '拒绝' } as Record<string, string>)[outcome] ?? outcome;
}
