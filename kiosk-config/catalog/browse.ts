/**
 * Browse helpers for the touch UI's "by topic / by department / by life event" screens. Groups keep the order of
 * THEMES and LIFE_EVENTS (the order of the hall's tiles); departments keep their first appearance in the catalog.
 * Only non-empty groups are returned. Items keep catalog order.
 */
import { localize } from './format.js';
import {
  LIFE_EVENTS,
  THEMES,
  type Catalog,
  type CatalogLang,
  type LifeEventId,
  type ServiceItem,
  type ThemeId,
} from './schema.js';

type Items = Pick<Catalog, 'items'>;

export interface BrowseGroup<K extends string> {
  key: K;
  label: string;
  count: number;
}

export function findItem(catalog: Items, id: string): ServiceItem | undefined {
  return catalog.items.find((i) => i.id === id);
}

export function itemsByTheme(catalog: Items, theme: ThemeId): ServiceItem[] {
  return catalog.items.filter((i) => i.theme === theme);
}

export function itemsByDepartment(catalog: Items, departmentCode: string): ServiceItem[] {
  return catalog.items.filter((i) => i.department.code === departmentCode);
}

export function itemsByLifeEvent(catalog: Items, event: LifeEventId): ServiceItem[] {
  return catalog.items.filter((i) => i.lifeEvents.includes(event));
}

export function themeGroups(catalog: Items, lang: CatalogLang): BrowseGroup<ThemeId>[] {
  return (Object.keys(THEMES) as ThemeId[])
    .map((key) => ({ key, label: localize(THEMES[key], lang), count: itemsByTheme(catalog, key).length }))
    .filter((g) => g.count > 0);
}

export function lifeEventGroups(catalog: Items, lang: CatalogLang): BrowseGroup<LifeEventId>[] {
  return (Object.keys(LIFE_EVENTS) as LifeEventId[])
    .map((key) => ({ key, label: localize(LIFE_EVENTS[key], lang), count: itemsByLifeEvent(catalog, key).length }))
    .filter((g) => g.count > 0);
}

export function departmentGroups(catalog: Items, lang: CatalogLang): BrowseGroup<string>[] {
  const groups = new Map<string, BrowseGroup<string>>();
  for (const item of catalog.items) {
    const g = groups.get(item.department.code);
    if (g) g.count++;
    else groups.set(item.department.code, { key: item.department.code, label: localize(item.department.name, lang), count: 1 });
  }
  return [...groups.values()];
}
