import { useState } from 'react';
import type { CatalogImportResult } from '../../../main/contract/index.js';
import { download, errorSentence, readFileText, useCall } from './staff-api.js';

/** Service catalog exchange: export JSON/CSV; import with a report that lists every bad row. */
export function CatalogPanel() {
  const call = useCall();
  const [result, setResult] = useState<CatalogImportResult | null>(null);
  const [message, setMessage] = useState<string | null>(null);

  const exportAs = async (format: 'json' | 'csv') => {
    try {
      download(await call('catalog.export', { format }));
    } catch (e) {
      setMessage(errorSentence(e));
    }
  };
  const importFile = async (file: File | undefined) => {
    if (!file) return;
    setResult(null);
    setMessage(null);
    const format = /\.csv$/i.test(file.name) ? 'csv' : 'json';
    try {
      setResult(await call('catalog.import', { format, text: await readFileText(file) }));
    } catch (e) {
      setMessage(errorSentence(e));
    }
  };

  return (
    <div className="staff-catalog">
      <div className="staff-actions">
        <button type="button" onClick={() => void exportAs('json')}>
          导出 JSON
        </button>
        <button type="button" onClick={() => void exportAs('csv')}>
          导出 CSV
        </button>
        <label className="staff-file">
          导入目录（JSON 或 CSV）
          <input type="file" aria-label="导入目录" accept=".json,.csv,application/json,text/csv" onChange={(e) => void importFile(e.target.files?.[0])} />
        </label>
      </div>
      <p className="staff-note">导入时逐行校验；只要有一行有误，整个文件都不导入，运行中的目录保持不变。</p>
      {message && <p className="staff-error" role="alert">{message}</p>}
      {result?.ok && (
        <p className="staff-ok" role="status">
          已导入 {result.items} 个事项（目录更新于 {result.updatedAt}）。
        </p>
      )}
      {result && !result.ok && (
        <section className="staff-report" aria-label="校验报告">
          <h3>校验报告：{result.errors.length} 行有误，未导入。</h3>
          <table className="staff-table">
            <thead>
              <tr>
                <th>位置</th>
                <th>事项</th>
                <th>问题</th>
              </tr>
            </thead>
            <tbody>
              {result.errors.map((e, i) => (
                <tr key={i} data-line={e.line ?? ''}>
                  <td>{e.line !== undefined ? `第 ${e.line} 行` : e.index !== null ? `第 ${e.index + 1} 项` : '文件'}</td>
                  <td>{e.id ?? ''}</td>
                  <td>{e.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </div>
  );
}
