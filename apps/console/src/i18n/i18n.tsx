import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import type { MessageKey } from './messages';
import { translate, translateCode, type Language, type Params } from './translate';

interface I18n {
  language: Language;
  setLanguage(language: Language): void;
  t(key: MessageKey, params?: Params): string;
  /** Label of an enum code: tc('status', 'pending'). */
  tc(group: string, code: string | null | undefined): string;
}

const STORAGE_KEY = 'verihub.language';
const I18nContext = createContext<I18n | null>(null);

function initialLanguage(): Language {
  return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'zh-CN';
}

export function I18nProvider({ children, onChange }: { children: ReactNode; onChange?: (language: Language) => void }) {
  const [language, setLanguageState] = useState<Language>(initialLanguage);
  const setLanguage = useCallback(
    (next: Language) => {
      localStorage.setItem(STORAGE_KEY, next);
      document.documentElement.lang = next;
      setLanguageState(next);
      onChange?.(next);
    },
    [onChange],
  );
  const value = useMemo<I18n>(
    () => ({
      language,
      setLanguage,
      t: (key, params) => translate(language, key, params),
      tc: (group, code) => translateCode(language, group, code),
    }),
    [language, setLanguage],
  );
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useI18n outside I18nProvider');
  return value;
}
