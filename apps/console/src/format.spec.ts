import { fieldPath, sanitizeProblem } from './api/problem';
import { dateTime, yuan, yuanToFen } from './format';
import { translate, translateCode } from './i18n/translate';
import { axisTicks } from './report/axis';

describe('console formats', () => {
  it('shows fen as yuan', () => {
    expect(yuan(8069861)).toBe('¥80,698.61');
    expect(yuan(-5000)).toBe('−¥50.00');
    expect(yuan(null)).toBe('—');
    expect(yuanToFen('123.4')).toBe(12340);
    expect(yuanToFen('1.234')).toBeNull();
  });

  it('shows timestamps in Beijing time', () => {
    expect(dateTime('2026-11-23T17:49:29.438Z')).toBe('2026-11-24 01:49:29');
  });
});

describe('problem bodies', () => {
  it('parses field paths', () => {
    expect(fieldPath('authorizations[0].signedAt')).toEqual(['authorizations', 0, 'signedAt']);
    expect(fieldPath('standardMonthly.urban')).toEqual(['standardMonthly', 'urban']);
  });

  it('keeps only strings a page may show', () => {
    const problem = sanitizeProblem({ title: 'Invalid input', status: 400, stack: 'Error: at x.js:1', errors: [{ field: 'a', message: 'bad' }, { field: 1 }] });
    expect(problem).toEqual({ type: undefined, title: 'Invalid input', status: 400, detail: undefined, errors: [{ field: 'a', message: 'bad' }] });
    expect(sanitizeProblem('<html>proxy error</html>')).toBeNull();
  });
});

describe('the message catalogue', () => {
  it('speaks Chinese first and English on request, with codes as their own fallback', () => {
    expect(translate('zh-CN', 'progress.answered', { done: 3, total: 6 })).toBe('3/6 个数据源已答复');
    expect(translate('en', 'progress.answered', { done: 3, total: 6 })).toBe('3 of 6 providers answered');
    expect(translateCode('zh-CN', 'conclusion', 'exceeds_limits')).toBe('超过标准');
    expect(translateCode('en', 'action', 'some_new_action')).toBe('some_new_action');
  });
});

describe('the income chart axis', () => {
  it('covers every value with round steps', () => {
    expect(axisTicks(0, 228000)).toEqual([0, 100000, 200000, 300000]);
    expect(axisTicks(-5000, 30000)).toEqual([-10000, 0, 10000, 20000, 30000]);
  });
});
