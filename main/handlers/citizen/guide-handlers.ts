import {
  LIFE_EVENTS,
  THEMES,
  departmentGroups,
  findItem,
  itemsByDepartment,
  itemsByLifeEvent,
  itemsByTheme,
  materialChecklistLines,
  type LifeEventId,
  type ServiceItem,
  type ThemeId,
} from '../../../kiosk-config/catalog/index.js';
import type { GuideGroup, GuideSummary } from '../../contract/index.js';
import type { Handlers } from '../../core/dispatcher.js';
import { HostError } from '../../errors.js';
import { checklistReceiptJob } from '../ticket-receipt.js';
import type { CitizenHandlerContext } from './context.js';

/** 办事指南: groups, lists, search, one item, and its 一次性告知 checklist on the receipt printer. */
export function guideHandlers(c: CitizenHandlerContext): Pick<Handlers, 'guide.groups' | 'guide.list' | 'guide.search' | 'guide.item' | 'guide.printChecklist'> {
  const { deps } = c;
  return {
    'guide.groups': ({ by }): GuideGroup[] => {
      const catalog = deps.catalog;
      switch (by) {
        case 'theme':
          return (Object.keys(THEMES) as ThemeId[])
            .map((key) => ({ key, label: THEMES[key], count: itemsByTheme(catalog, key).length }))
            .filter((g) => g.count > 0);
        case 'lifeEvent':
          return (Object.keys(LIFE_EVENTS) as LifeEventId[])
            .map((key) => ({ key, label: LIFE_EVENTS[key], count: itemsByLifeEvent(catalog, key).length }))
            .filter((g) => g.count > 0);
        case 'department':
          return departmentGroups(catalog, 'zh-CN').map((g) => ({
            key: g.key,
            label: catalog.items.find((i) => i.department.code === g.key)!.department.name,
            count: g.count,
          }));
        default: {
          const never: never = by;
          throw new HostError('BAD_REQUEST', `unknown grouping ${String(never)}`);
        }
      }
    },

    'guide.list': ({ by, key }) => {
      const catalog = deps.catalog;
      const items =
        by === 'theme'
          ? key in THEMES ? itemsByTheme(catalog, key as ThemeId) : []
          : by === 'lifeEvent'
            ? key in LIFE_EVENTS ? itemsByLifeEvent(catalog, key as LifeEventId) : []
            : itemsByDepartment(catalog, key);
      return items.map(summary);
    },

    'guide.search': ({ query, limit }) => deps.search.search(query, { limit }).map((h) => summary(h.item)),

    'guide.item': ({ id }) => {
      const item = findItem(deps.catalog, id);
      if (!item) throw new HostError('BAD_REQUEST', `no service item ${id}`);
      return item;
    },

    'guide.printChecklist': async ({ id, lang }) => {
      const item = findItem(deps.catalog, id);
      if (!item) throw new HostError('BAD_REQUEST', `no service item ${id}`);
      const ctx = c.receiptContext(lang);
      const lines = materialChecklistLines(item, lang, { columns: ctx.profile.columns });
      return deps.receipts.printReceipt(checklistReceiptJob(lines, ctx));
    },
  };
}

function summary(item: ServiceItem): GuideSummary {
  return {
    id: item.id,
    name: item.name,
    department: item.department.name,
    theme: item.theme,
    promisedTimeLimitDays: item.promisedTimeLimitDays,
    onlineAvailable: item.onlineAvailable,
  };
}
