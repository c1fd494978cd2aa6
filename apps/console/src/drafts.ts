/**
 * Unsubmitted form state survives an expired session (and a reload): it is kept in sessionStorage under
 * the form's name until the form is submitted or cleared.
 */
const PREFIX = 'verihub.draft.';

export function loadDraft<T>(name: string): T | null {
  try {
    const raw = sessionStorage.getItem(PREFIX + name);
    return raw ? (JSON.parse(raw) as T) : null;
  } catch {
    return null;
  }
}

export function saveDraft(name: string, value: unknown): void {
  try {
    sessionStorage.setItem(PREFIX + name, JSON.stringify(value));
  } catch {
    // storage full or disabled: the draft is a convenience, the form still works
  }
}

export function clearDraft(name: string): void {
  sessionStorage.removeItem(PREFIX + name);
}
