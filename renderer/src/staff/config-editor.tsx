import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { LANGUAGES, type Language } from '../../../kiosk-config/i18n.js';
import type { KioskConfig } from '../../../kiosk-config/schema.js';
import { validateKioskConfig, type ConfigProblem } from '../../../kiosk-config/validate.js';
import type { ConfigSaveResult } from '../../../main/contract/index.js';
import { errorSentence, useCall } from './staff-api.js';

const LEVELS = { center: '政务服务中心', 'service-center': '便民服务中心', station: '便民服务站' } as const;
const LANG_LABELS: Record<Language, string> = { 'zh-CN': '简体中文', 'zh-TW': '繁體中文', en: 'English' };

const ProblemsContext = createContext<ConfigProblem[]>([]);

/** A labelled input with the sentences of the problems at its path (and below it). */
function Field(p: { label: string; path: string; children: ReactNode }) {
  const problems = useContext(ProblemsContext).filter((x) => x.path === p.path || x.path.startsWith(p.path + '.') || x.path.startsWith(p.path + '['));
  return (
    <label className={`staff-field ${problems.length ? 'invalid' : ''}`} data-path={p.path}>
      <span>{p.label}</span>
      {p.children}
      {problems.map((x) => (
        <small key={x.path + x.sentence} className="staff-field-problem">
          {x.sentence}
        </small>
      ))}
    </label>
  );
}

const list = (s: string) => s.split(/[,，\s]+/).map((x) => x.trim()).filter(Boolean);
const days = (s: string) => list(s).map(Number);

/**
 * What a manager changes day to day: hall identity and unified name, opening hours and holidays, queue categories,
 * announcements, idle time-outs, languages and elderly-mode default. The draft is checked with the same schema as
 * the host (validateKioskConfig) on every edit; each problem is shown as its sentence and next to its field.
 * Devices and network tokens are not edited here (technician's device editor; tokens never reach the page).
 */
export function ConfigEditor() {
  const call = useCall();
  const [draft, setDraft] = useState<KioskConfig | null>(null);
  const [version, setVersion] = useState<number | null>(null);
  const [comment, setComment] = useState('');
  const [result, setResult] = useState<ConfigSaveResult | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(
    () =>
    call('config.current', {}).then(
      (r) => {
        setDraft(r.config);
        setVersion(r.version);
      },
      (e: unknown) => setError(errorSentence(e)),
    ),
    [call],
  );
  useEffect(() => {
    void load();
  }, [load]);

  const problems: ConfigProblem[] = useMemo(() => {
    if (!draft) return [];
    const r = validateKioskConfig(draft);
    return r.ok ? [] : r.problems;
  }, [draft]);

  if (error) return <p className="staff-error" role="alert">{error}</p>;
  if (!draft) return <p aria-busy="true">加载中…</p>;

  const edit = (fn: (d: KioskConfig) => void) => {
    const copy = structuredClone(draft);
    fn(copy);
    setDraft(copy);
    setResult(null);
  };
  const save = async () => {
    try {
      const r = await call('config.save', { config: draft, comment });
      setResult(r);
      if (r.saved) {
        setComment('');
        await load();
      }
    } catch (e) {
      setError(errorSentence(e));
    }
  };

  const q = draft.queue;
  return (
    <ProblemsContext.Provider value={problems}>
    <div className="staff-config">
      <p className="staff-note">当前运行版本：{version ?? '—'}。保存后立即生效，无需重启；每次保存都是一个新版本，可在“版本”中比较和回滚。</p>

      <fieldset>
        <legend>大厅</legend>
        <Field label="配置名称" path="name">
          <input value={draft.name} onChange={(e) => edit((d) => void (d.name = e.target.value))} />
        </Field>
        <Field label="大厅名称（简体，须以层级规范名称结尾）" path="hall.name.zh-CN">
          <input aria-label="大厅名称" value={draft.hall.name['zh-CN']} onChange={(e) => edit((d) => void (d.hall.name['zh-CN'] = e.target.value))} />
        </Field>
        <Field label="大厅名称（繁體）" path="hall.name.zh-TW">
          <input value={draft.hall.name['zh-TW'] ?? ''} onChange={(e) => edit((d) => void (d.hall.name['zh-TW'] = e.target.value || undefined))} />
        </Field>
        <Field label="大厅名称（English）" path="hall.name.en">
          <input value={draft.hall.name.en ?? ''} onChange={(e) => edit((d) => void (d.hall.name.en = e.target.value || undefined))} />
        </Field>
        <Field label="层级" path="hall.level">
          <select value={draft.hall.level} onChange={(e) => edit((d) => void (d.hall.level = e.target.value as KioskConfig['hall']['level']))}>
            {Object.entries(LEVELS).map(([k, v]) => (
              <option key={k} value={k}>
                {v}
              </option>
            ))}
          </select>
        </Field>
        <Field label="地址" path="hall.address.zh-CN">
          <input value={draft.hall.address['zh-CN']} onChange={(e) => edit((d) => void (d.hall.address['zh-CN'] = e.target.value))} />
        </Field>
        <Field label="电话" path="hall.phone">
          <input value={draft.hall.phone} onChange={(e) => edit((d) => void (d.hall.phone = e.target.value))} />
        </Field>
        <Field label="有人值守" path="hall.staffed">
          <input type="checkbox" checked={draft.hall.staffed} onChange={(e) => edit((d) => void (d.hall.staffed = e.target.checked))} />
        </Field>
      </fieldset>

      <fieldset>
        <legend>开放时间与节假日</legend>
        {draft.openingHours.weekly.map((w, i) => (
          <div className="staff-row" key={i}>
            <Field label="星期（1-7）" path={`openingHours.weekly[${i}].days`}>
              <input value={w.days.join(',')} onChange={(e) => edit((d) => void (d.openingHours.weekly[i]!.days = days(e.target.value)))} />
            </Field>
            <Field label="开门" path={`openingHours.weekly[${i}].open`}>
              <input value={w.open} onChange={(e) => edit((d) => void (d.openingHours.weekly[i]!.open = e.target.value))} />
            </Field>
            <Field label="关门" path={`openingHours.weekly[${i}].close`}>
              <input value={w.close} onChange={(e) => edit((d) => void (d.openingHours.weekly[i]!.close = e.target.value))} />
            </Field>
            <button type="button" onClick={() => edit((d) => void d.openingHours.weekly.splice(i, 1))}>
              删除时段
            </button>
          </div>
        ))}
        <button type="button" onClick={() => edit((d) => void d.openingHours.weekly.push({ days: [6], open: '09:00', close: '12:00' }))}>
          添加时段
        </button>
        <Field label="节假日（每行一个 YYYY-MM-DD，大厅与取号均关闭）" path="openingHours.holidays">
          <textarea
            value={draft.openingHours.holidays.join('\n')}
            onChange={(e) =>
              edit((d) => {
                d.openingHours.holidays = list(e.target.value);
                d.queue.holidays = list(e.target.value);
              })
            }
          />
        </Field>
        <Field label="调休上班日" path="openingHours.extraWorkdays">
          <textarea
            value={draft.openingHours.extraWorkdays.join('\n')}
            onChange={(e) =>
              edit((d) => {
                d.openingHours.extraWorkdays = list(e.target.value);
                d.queue.extraWorkdays = list(e.target.value);
              })
            }
          />
        </Field>
      </fieldset>

      <fieldset>
        <legend>取号类别</legend>
        {q.categories.map((c, i) => (
          <div className="staff-category" key={i} data-category={c.id}>
            <div className="staff-row">
              <Field label="编号" path={`queue.categories[${i}].id`}>
                <input value={c.id} onChange={(e) => edit((d) => void (d.queue.categories[i]!.id = e.target.value))} />
              </Field>
              <Field label="字头" path={`queue.categories[${i}].prefix`}>
                <input aria-label={`类别${i + 1}字头`} value={c.prefix} size={2} onChange={(e) => edit((d) => void (d.queue.categories[i]!.prefix = e.target.value))} />
              </Field>
              <Field label="名称" path={`queue.categories[${i}].name.zh-CN`}>
                <input aria-label={`类别${i + 1}名称`} value={c.name['zh-CN']} onChange={(e) => edit((d) => void (d.queue.categories[i]!.name['zh-CN'] = e.target.value))} />
              </Field>
              <Field label="名稱（繁）" path={`queue.categories[${i}].name.zh-TW`}>
                <input value={c.name['zh-TW']} onChange={(e) => edit((d) => void (d.queue.categories[i]!.name['zh-TW'] = e.target.value))} />
              </Field>
              <Field label="Name" path={`queue.categories[${i}].name.en`}>
                <input value={c.name.en} onChange={(e) => edit((d) => void (d.queue.categories[i]!.name.en = e.target.value))} />
              </Field>
            </div>
            <div className="staff-row">
              <Field label="窗口（逗号分隔）" path={`queue.categories[${i}].windows`}>
                <input aria-label={`类别${i + 1}窗口`} value={c.windows.join(',')} onChange={(e) => edit((d) => void (d.queue.categories[i]!.windows = list(e.target.value)))} />
              </Field>
              <Field label="每日限额" path={`queue.categories[${i}].dailyQuota`}>
                <input aria-label={`类别${i + 1}每日限额`} type="number" value={c.dailyQuota} onChange={(e) => edit((d) => void (d.queue.categories[i]!.dailyQuota = Number(e.target.value)))} />
              </Field>
              <Field label="须身份证" path={`queue.categories[${i}].idRequired`}>
                <input type="checkbox" checked={c.idRequired} onChange={(e) => edit((d) => void (d.queue.categories[i]!.idRequired = e.target.checked))} />
              </Field>
              <Field label="优先比例（0 = 严格顺序）" path={`queue.categories[${i}].priorityRatio`}>
                <input type="number" value={c.priorityRatio} onChange={(e) => edit((d) => void (d.queue.categories[i]!.priorityRatio = Number(e.target.value)))} />
              </Field>
              <button type="button" onClick={() => edit((d) => void d.queue.categories.splice(i, 1))}>
                删除类别
              </button>
            </div>
            {c.hours.map((h, j) => (
              <div className="staff-row" key={j}>
                <Field label="取号星期" path={`queue.categories[${i}].hours[${j}].days`}>
                  <input value={h.days.join(',')} onChange={(e) => edit((d) => void (d.queue.categories[i]!.hours[j]!.days = days(e.target.value)))} />
                </Field>
                <Field label="开始" path={`queue.categories[${i}].hours[${j}].open`}>
                  <input value={h.open} onChange={(e) => edit((d) => void (d.queue.categories[i]!.hours[j]!.open = e.target.value))} />
                </Field>
                <Field label="结束" path={`queue.categories[${i}].hours[${j}].close`}>
                  <input value={h.close} onChange={(e) => edit((d) => void (d.queue.categories[i]!.hours[j]!.close = e.target.value))} />
                </Field>
                <Field label="最后取号" path={`queue.categories[${i}].hours[${j}].lastTicket`}>
                  <input value={h.lastTicket ?? ''} onChange={(e) => edit((d) => void (d.queue.categories[i]!.hours[j]!.lastTicket = e.target.value || undefined))} />
                </Field>
              </div>
            ))}
          </div>
        ))}
        <button
          type="button"
          onClick={() =>
            edit((d) =>
              void d.queue.categories.push({
                id: `category-${d.queue.categories.length + 1}`,
                prefix: '',
                name: { 'zh-CN': '', 'zh-TW': '', en: '' },
                windows: [],
                hours: [{ days: [1, 2, 3, 4, 5], open: '09:00', close: '17:00' }],
                dailyQuota: 300,
                idRequired: false,
                priorityRatio: 2,
                maxTicketsPerPersonPerDay: 2,
                defaultServiceMinutes: 8,
              }),
            )
          }
        >
          添加类别
        </button>
      </fieldset>

      <fieldset>
        <legend>公告</legend>
        {draft.announcements.map((a, i) => (
          <div className="staff-row staff-announcement" key={i}>
            <Field label="公告（简体）" path={`announcements[${i}].text.zh-CN`}>
              <textarea rows={2} value={a.text['zh-CN']} onChange={(e) => edit((d) => void (d.announcements[i]!.text['zh-CN'] = e.target.value))} />
            </Field>
            <Field label="公告（繁體，留空则由简体自动转换）" path={`announcements[${i}].text.zh-TW`}>
              <textarea rows={2} value={a.text['zh-TW'] ?? ''} onChange={(e) => edit((d) => void (d.announcements[i]!.text['zh-TW'] = e.target.value || undefined))} />
            </Field>
            <Field label="English（留空则英文界面不显示此公告的中文）" path={`announcements[${i}].text.en`}>
              <textarea rows={2} value={a.text.en ?? ''} onChange={(e) => edit((d) => void (d.announcements[i]!.text.en = e.target.value || undefined))} />
            </Field>
            <Field label="起" path={`announcements[${i}].from`}>
              <input value={a.from ?? ''} onChange={(e) => edit((d) => void (d.announcements[i]!.from = e.target.value || undefined))} />
            </Field>
            <Field label="止" path={`announcements[${i}].to`}>
              <input value={a.to ?? ''} onChange={(e) => edit((d) => void (d.announcements[i]!.to = e.target.value || undefined))} />
            </Field>
            <button type="button" onClick={() => edit((d) => void d.announcements.splice(i, 1))}>
              删除
            </button>
          </div>
        ))}
        <button type="button" onClick={() => edit((d) => void d.announcements.push({ id: `notice-${Date.now().toString(36)}`, text: { 'zh-CN': '' } }))}>
          添加公告
        </button>
      </fieldset>

      <fieldset>
        <legend>终端</legend>
        <Field label="无操作超时（秒，30-600）" path="kiosk.idle.timeoutSeconds">
          <input type="number" value={draft.kiosk.idle.timeoutSeconds} onChange={(e) => edit((d) => void (d.kiosk.idle.timeoutSeconds = Number(e.target.value)))} />
        </Field>
        <Field label="长者模式超时（秒，60-900）" path="kiosk.idle.elderlyTimeoutSeconds">
          <input type="number" value={draft.kiosk.idle.elderlyTimeoutSeconds} onChange={(e) => edit((d) => void (d.kiosk.idle.elderlyTimeoutSeconds = Number(e.target.value)))} />
        </Field>
        <Field label="超时提醒（秒，20-60）" path="kiosk.idle.warningSeconds">
          <input type="number" value={draft.kiosk.idle.warningSeconds} onChange={(e) => edit((d) => void (d.kiosk.idle.warningSeconds = Number(e.target.value)))} />
        </Field>
        <Field label="语言" path="kiosk.languages">
          <span>
            {LANGUAGES.map((l) => (
              <label key={l} className="staff-inline">
                <input
                  type="checkbox"
                  checked={draft.kiosk.languages.includes(l)}
                  onChange={(e) =>
                    edit((d) => {
                      d.kiosk.languages = e.target.checked ? LANGUAGES.filter((x) => x === l || d.kiosk.languages.includes(x)) : d.kiosk.languages.filter((x) => x !== l);
                    })
                  }
                />
                {LANG_LABELS[l]}
              </label>
            ))}
          </span>
        </Field>
        <Field label="默认语言" path="kiosk.defaultLanguage">
          <select value={draft.kiosk.defaultLanguage} onChange={(e) => edit((d) => void (d.kiosk.defaultLanguage = e.target.value as Language))}>
            {LANGUAGES.map((l) => (
              <option key={l} value={l}>
                {LANG_LABELS[l]}
              </option>
            ))}
          </select>
        </Field>
        <Field label="默认长者模式" path="kiosk.elderlyModeDefault">
          <input type="checkbox" checked={draft.kiosk.elderlyModeDefault} onChange={(e) => edit((d) => void (d.kiosk.elderlyModeDefault = e.target.checked))} />
        </Field>
      </fieldset>

      {problems.length > 0 && (
        <section className="staff-problems" aria-label="配置问题">
          <h3>{problems.length} 处问题，修正后才能保存：</h3>
          <ul>
            {problems.map((p) => (
              <li key={p.path + p.sentence}>{p.sentence}</li>
            ))}
          </ul>
        </section>
      )}
      {/* Sticky at the bottom of the console: saving never needs a scroll to the end of a long page. */}
      <div className="staff-actions staff-savebar">
        <input aria-label="修改说明" placeholder="修改说明（可选）" value={comment} maxLength={200} onChange={(e) => setComment(e.target.value)} />
        <button type="button" className="primary" disabled={problems.length > 0} onClick={() => void save()}>
          保存并生效
        </button>
        <button type="button" onClick={() => void load()}>
          放弃修改
        </button>
      </div>
      {result && result.saved && (
        <p className="staff-ok" role="status">
          已保存为版本 {result.version.id} 并已生效。
          {result.kept.length > 0 && ` 未修改：${result.kept.join('、')}（由技术员维护）。`}
          {result.restartNeededFor.length > 0 && ` 重启后生效：${result.restartNeededFor.join('、')}。`}
        </p>
      )}
      {result && !result.saved && (
        <ul className="staff-problems" role="alert">
          {result.problems.map((p) => (
            <li key={p.path + p.sentence}>{p.sentence}</li>
          ))}
        </ul>
      )}
    </div>
    </ProblemsContext.Provider>
  );
}
