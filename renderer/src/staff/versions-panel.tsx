import { useState } from 'react';
import type { ConfigDiffEntry, ConfigSaveResult } from '../../../main/contract/index.js';
import { actorLabel } from './device-labels.js';
import { download, errorSentence, fmtTime, readFileText, useCall, useLoad } from './staff-api.js';

const show = (v: unknown) => (v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v));

/** Version history: compare any two, roll back to any earlier one, export a version and import a JSON file. */
export function VersionsPanel() {
  const call = useCall();
  const { value, error, reload } = useLoad('config.versions', {});
  const [from, setFrom] = useState<number | null>(null);
  const [to, setTo] = useState<number | null>(null);
  const [diff, setDiff] = useState<ConfigDiffEntry[] | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [importResult, setImportResult] = useState<ConfigSaveResult | null>(null);

  const compare = async () => {
    if (from === null || to === null) return;
    try {
      setDiff(await call('config.diff', { from, to }));
    } catch (e) {
      setMessage(errorSentence(e));
    }
  };
  const rollback = async (id: number) => {
    try {
      const r = await call('config.rollback', { id, comment: '' });
      setMessage(r.saved ? `已回滚：版本 ${id} 另存为版本 ${r.version.id} 并已生效。` : '回滚失败');
      reload();
    } catch (e) {
      setMessage(errorSentence(e));
    }
  };
  const exportVersion = async (id: number) => {
    try {
      const r = await call('config.version', { id });
      download({ filename: `kiosk-config-v${id}.json`, mime: 'application/json', text: JSON.stringify(r.config, null, 2) });
    } catch (e) {
      setMessage(errorSentence(e));
    }
  };
  const importFile = async (file: File | undefined) => {
    if (!file) return;
    setImportResult(null);
    let json: unknown;
    try {
      json = JSON.parse(await readFileText(file));
    } catch (e) {
      setMessage(`文件不是有效的 JSON：${(e as Error).message}`);
      return;
    }
    try {
      const r = await call('config.save', { config: json, comment: `imported from ${file.name}`.slice(0, 200) });
      setImportResult(r);
      if (r.saved) reload();
    } catch (e) {
      setMessage(errorSentence(e));
    }
  };

  if (error) return <p className="staff-error" role="alert">{error}</p>;
  if (!value) return <p aria-busy="true">加载中…</p>;
  return (
    <div className="staff-versions">
      <table className="staff-table">
        <thead>
          <tr>
            <th>版本</th>
            <th>时间</th>
            <th>作者</th>
            <th>说明</th>
            <th>比较</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {value.versions.map((v) => (
            <tr key={v.id} data-version={v.id} className={v.id === value.current ? 'current' : ''}>
              <td>
                {v.id}
                {v.id === value.current && ' （运行中）'}
              </td>
              <td>{fmtTime(v.createdAt)}</td>
              <td>{actorLabel(v.author)}</td>
              <td>{v.comment}</td>
              <td>
                <label className="staff-inline">
                  <input type="radio" name="from" aria-label={`从版本${v.id}`} checked={from === v.id} onChange={() => setFrom(v.id)} />从
                </label>
                <label className="staff-inline">
                  <input type="radio" name="to" aria-label={`到版本${v.id}`} checked={to === v.id} onChange={() => setTo(v.id)} />到
                </label>
              </td>
              <td>
                {v.id !== value.current && (
                  <button type="button" onClick={() => void rollback(v.id)}>
                    回滚到此版本
                  </button>
                )}
                <button type="button" onClick={() => void exportVersion(v.id)}>
                  导出 JSON
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="staff-actions">
        <button type="button" disabled={from === null || to === null} onClick={() => void compare()}>
          比较所选版本
        </button>
        <label className="staff-file">
          导入配置 JSON
          <input type="file" accept="application/json,.json" onChange={(e) => void importFile(e.target.files?.[0])} />
        </label>
      </div>
      {message && <p role="status">{message}</p>}
      {importResult && importResult.saved && <p className="staff-ok" role="status">已导入为版本 {importResult.version.id} 并已生效。</p>}
      {importResult && !importResult.saved && (
        <ul className="staff-problems" role="alert">
          {importResult.problems.map((p) => (
            <li key={p.path + p.sentence}>{p.sentence}</li>
          ))}
        </ul>
      )}
      {diff && (
        <table className="staff-table staff-diff" aria-label="版本差异">
          <thead>
            <tr>
              <th>字段</th>
              <th>变化</th>
              <th>之前</th>
              <th>之后</th>
            </tr>
          </thead>
          <tbody>
            {diff.length === 0 && (
              <tr>
                <td colSpan={4}>两个版本相同。</td>
              </tr>
            )}
            {diff.map((d) => (
              <tr key={d.path} className={d.kind}>
                <td>{d.path}</td>
                <td>{{ added: '新增', removed: '删除', changed: '修改' }[d.kind]}</td>
                <td>{show(d.before)}</td>
                <td>{show(d.after)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
