import { en } from './messages-en';
import { zh, type Catalogue, type MessageKey } from './messages';

export type Language = 'zh-CN' | 'en';
export const CATALOGUES: Record<Language, Catalogue> = { 'zh-CN': zh, en };

export type Params = Record<string, string | number>;

export function fill(template: string, params?: Params): string {
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

export function translate(language: Language, key: MessageKey, params?: Params): string {
  return fill(CATALOGUES[language][key], params);
}

/** An enum label (`status.pending`); an unknown code shows as itself rather than as a missing key. */
export function translateCode(language: Language, group: string, code: string | null | undefined): string {
  if (code === null || code === undefined || code === '') return '—';
  const catalogue = CATALOGUES[language] as Record<string, string>;
  return catalogue[`${group}.${code}`] ?? code;
}
