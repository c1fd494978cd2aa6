import { Alert, type FormInstance } from 'antd';
import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, SessionExpiredError } from '../api/client';
import type { FieldPath } from '../api/problem';
import { fieldPath } from '../api/problem';
import { useI18n } from '../i18n/i18n';

/** A human message for a failed call: the problem's title and detail, never a raw body or stack. */
export function useErrorText(): (error: unknown) => string {
  const { t } = useI18n();
  return useCallback(
    (error: unknown) => {
      if (!(error instanceof ApiError)) return t('error.generic', { status: '?' });
      if (error.status === 0) return t('error.network');
      const p = error.problem;
      if (p?.detail || p?.title) return [p.title, p.detail].filter(Boolean).join(': ');
      if (error.status === 403) return t('error.forbidden');
      if (error.status === 404) return t('error.notFound');
      return t('error.generic', { status: error.status });
    },
    [t],
  );
}

export function ErrorAlert({ error }: { error: unknown }) {
  const text = useErrorText();
  if (!error || error instanceof SessionExpiredError) return null;
  return <Alert type="error" showIcon title={text(error)} style={{ marginBottom: 16 }} data-testid="api-error" />;
}

/**
 * Puts each `errors[].field` of a 400/422 problem next to its form field; returns the messages that have
 * no field on this form (shown above it).
 */
export function applyProblem(form: FormInstance, error: unknown, pathOf: (field: string) => FieldPath | null = fieldPath): string[] {
  if (!(error instanceof ApiError) || !error.problem?.errors?.length) return [];
  const byPath = new Map<string, { name: FieldPath; errors: string[] }>();
  const rest: string[] = [];
  for (const e of error.problem.errors) {
    const name = pathOf(e.field);
    if (!name) {
      rest.push(`${e.field}: ${e.message}`);
      continue;
    }
    const key = JSON.stringify(name);
    const entry = byPath.get(key) ?? { name, errors: [] };
    entry.errors.push(e.message);
    byPath.set(key, entry);
  }
  form.setFields([...byPath.values()]);
  return rest;
}

/** Loads data on mount and when `deps` change; keeps the last good data while reloading. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): { data: T | undefined; error: unknown; loading: boolean; reload: () => void } {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({ loading: true });
  const [tick, setTick] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    loadRef.current().then(
      (data) => live && setState({ data, loading: false }),
      (error: unknown) => live && setState((s) => ({ data: s.data, error, loading: false })),
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, tick]);
  return { data: state.data, error: state.error, loading: state.loading, reload: () => setTick((n) => n + 1) };
}
