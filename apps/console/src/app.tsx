import { App as AntApp, Button, ConfigProvider, Layout, Menu, Result, Space, Spin, Typography } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { lazy, Suspense, useEffect, useSyncExternalStore, type ComponentType, type ReactNode } from 'react';
import { homeOf } from './auth/home';
import { endSession, getSession, subscribeSession, type Role } from './auth/session';
import { I18nProvider, useI18n } from './i18n/i18n';
import type { MessageKey } from './i18n/messages';
import type { Language } from './i18n/translate';
import { LoginPage } from './pages/login-page';
import { Link, matchPath, navigate, useLocation } from './router';

/**
 * Pages load on demand. After a redeploy an open tab asks for chunk names that no longer exist: reload once
 * to get the new index.html (form drafts survive in sessionStorage).
 */
function page<P extends object>(load: () => Promise<{ default: ComponentType<P> }>) {
  return lazy(() =>
    load().catch((err: unknown) => {
      if (sessionStorage.getItem('verihub.reloaded') === location.pathname) throw err;
      sessionStorage.setItem('verihub.reloaded', location.pathname);
      location.reload();
      return new Promise<{ default: ComponentType<P> }>(() => undefined);
    }),
  );
}

const VerificationListPage = page(() => import('./pages/verification-list-page'));
const NewVerificationPage = page(() => import('./pages/new-verification-page'));
const VerificationPage = page(() => import('./pages/verification-page'));
const ReviewQueuePage = page(() => import('./pages/review-queue-page'));
const AuditLogPage = page(() => import('./pages/audit-log-page'));
const AnomaliesPage = page(() => import('./pages/anomalies-page'));
const UsersPage = page(() => import('./pages/users-page'));
const PoliciesPage = page(() => import('./pages/policies-page'));
const ProvidersPage = page(() => import('./pages/providers-page'));

interface Route {
  path: string;
  roles: Role[];
  render: (params: Record<string, string>) => ReactNode;
  menu?: MessageKey;
}

const ROUTES: Route[] = [
  { path: '/verifications', roles: ['officer', 'reviewer', 'admin', 'auditor'], render: () => <VerificationListPage />, menu: 'nav.verifications' },
  { path: '/verifications/new', roles: ['officer'], render: () => <NewVerificationPage />, menu: 'nav.newVerification' },
  { path: '/verifications/:id', roles: ['officer', 'reviewer', 'admin', 'auditor'], render: (p) => <VerificationPage id={p.id} /> },
  { path: '/reviews', roles: ['reviewer'], render: () => <ReviewQueuePage />, menu: 'nav.reviews' },
  { path: '/audit/log', roles: ['auditor'], render: () => <AuditLogPage />, menu: 'nav.auditLog' },
  { path: '/audit/anomalies', roles: ['auditor'], render: () => <AnomaliesPage />, menu: 'nav.anomalies' },
  { path: '/admin/users', roles: ['admin'], render: () => <UsersPage />, menu: 'nav.users' },
  { path: '/admin/policies', roles: ['admin'], render: () => <PoliciesPage />, menu: 'nav.policies' },
  { path: '/admin/providers', roles: ['admin'], render: () => <ProvidersPage />, menu: 'nav.providers' },
];

const ANTD_LOCALES = { 'zh-CN': zhCN, en: enUS };
const DAYJS_LOCALES: Record<Language, string> = { 'zh-CN': 'zh-cn', en: 'en' };

export function App() {
  return (
    <I18nProvider>
      <LocalizedApp />
    </I18nProvider>
  );
}

function LocalizedApp() {
  const { language } = useI18n();
  useEffect(() => {
    dayjs.locale(DAYJS_LOCALES[language]);
    document.documentElement.lang = language;
  }, [language]);
  return (
    <ConfigProvider locale={ANTD_LOCALES[language]} button={{ autoInsertSpace: false }} theme={{ token: { colorPrimary: '#1d4ed8', borderRadius: 4 } }}>
      <AntApp>
        <Shell />
      </AntApp>
    </ConfigProvider>
  );
}

function Shell() {
  const { t, tc, language, setLanguage } = useI18n();
  const session = useSyncExternalStore(subscribeSession, getSession);
  const { path } = useLocation();

  useEffect(() => {
    if (!session && path !== '/login') navigate('/login', { replace: true });
    if (session && (path === '/' || path === '/login')) navigate(homeOf(session.user.role), { replace: true });
  }, [session, path]);

  const toggleLanguage = (
    <Button size="small" onClick={() => setLanguage(language === 'en' ? 'zh-CN' : 'en')} data-testid="language-switch">
      {t('app.language')}
    </Button>
  );
  if (!session || path === '/login') return <LoginPage languageSwitch={toggleLanguage} />;

  const role = session.user.role;
  let content: ReactNode = <Result status="404" title={t('app.notFound')} extra={<Link to={homeOf(role)}>{t('app.backHome')}</Link>} />;
  let selected = '';
  for (const route of ROUTES) {
    const params = matchPath(route.path, path);
    if (!params) continue;
    selected = route.menu ? route.path : '/verifications';
    content = route.roles.includes(role) ? route.render(params) : <Result status="403" title={t('app.forbidden')} />;
    break;
  }
  const menu = ROUTES.filter((r) => r.menu && r.roles.includes(role)).map((r) => ({ key: r.path, label: <Link to={r.path}>{t(r.menu!)}</Link> }));

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Sider width={200} theme="dark" breakpoint="lg" collapsedWidth={0}>
        <div style={{ color: '#fff', padding: '16px 20px', fontWeight: 600, lineHeight: 1.4 }}>
          {t('app.title')}
          <div style={{ fontSize: 12, fontWeight: 400, opacity: 0.7 }}>{t('app.subtitle')}</div>
        </div>
        <Menu theme="dark" mode="inline" selectedKeys={[selected]} items={menu} />
      </Layout.Sider>
      <Layout>
        <Layout.Header style={{ background: '#fff', padding: '0 24px', display: 'flex', justifyContent: 'flex-end', alignItems: 'center', height: 56 }}>
          <Space>
            <Typography.Text data-testid="current-user">
              {session.user.username} · {tc('role', role)} · {session.user.regionCode}
            </Typography.Text>
            {toggleLanguage}
            <Button
              size="small"
              onClick={() => {
                endSession();
                navigate('/login');
              }}
            >
              {t('app.logout')}
            </Button>
          </Space>
        </Layout.Header>
        <Layout.Content style={{ padding: 24 }}>
          <Suspense fallback={<Spin />}>{content}</Suspense>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
