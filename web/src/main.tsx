import '@mantine/core/styles.css';
import './i18n';
import { Anchor, Center, createTheme, Loader, MantineProvider, Stack, Text, Title } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import {
  createRootRoute,
  createRoute,
  createRouter,
  Link,
  lazyRouteComponent,
  Navigate,
  Outlet,
  type RouteComponent,
  RouterProvider,
  useRouterState,
} from '@tanstack/react-router';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { Trans, useTranslation } from 'react-i18next';
import { LoginPage } from './modules/auth/LoginPage';
import { HomePage } from './modules/orgs/HomePage';
import { preferredOrg, SessionProvider, useSession } from './session';
import { Layout } from './ui/Layout';

function RequireSession() {
  const { session, loading } = useSession();
  const { t } = useTranslation();
  const pathname = useRouterState({ select: (s) => s.location.pathname });
  if (loading) {
    return (
      <Center mih="100vh">
        <Loader aria-label={t('state.loading')} />
      </Center>
    );
  }
  if (!session) return <Navigate to="/login" />;
  if (session.user.mustChangePassword && pathname !== '/account') return <Navigate to="/account" />;
  return <Layout />;
}

function IndexPage() {
  const { session } = useSession();
  const { t } = useTranslation();
  const org = preferredOrg(session?.organizations ?? []);
  if (org) return <Navigate to="/orgs/$orgId" params={{ orgId: org.id }} />;
  return (
    <Stack>
      <Title order={1} size="h2">
        {t('welcome.title')}
      </Title>
      <Text>
        {t('welcome.noRole')}{' '}
        {session?.user.isInstanceAdmin ? t('welcome.instanceAdmin') : t('welcome.askAdmin')}
      </Text>
    </Stack>
  );
}

function NotFound() {
  const { t } = useTranslation();
  return (
    <Stack p="xl">
      <Title order={1} size="h2">
        {t('notFound.title')}
      </Title>
      <Text>
        <Trans i18nKey="notFound.body" components={{ home: <Anchor component={Link} to="/" /> }} />
      </Text>
    </Stack>
  );
}

const rootRoute = createRootRoute({ component: Outlet, notFoundComponent: NotFound });
const appRoute = createRoute({ getParentRoute: () => rootRoute, id: 'app', component: RequireSession });

/** A page behind a session, loaded on its first visit so the first screen stays small. */
function page<P extends string>(path: P, load: () => Promise<Record<string, unknown>>, name: string) {
  const component = lazyRouteComponent(() => load().then((m) => ({ default: m[name] as RouteComponent })));
  return createRoute({ getParentRoute: () => appRoute, path, component });
}

/** Every page; a module adds its own here. */
const pageRoutes = [
  page('/orgs/$orgId/strategy', () => import('./modules/strategy/StrategyPage'), 'StrategyPage'),
  page('/orgs/$orgId/members', () => import('./modules/orgs/MembersPage'), 'MembersPage'),
  page('/orgs/$orgId/settings', () => import('./modules/orgs/SettingsPage'), 'SettingsPage'),
  page('/orgs/$orgId/audit', () => import('./modules/audit/AuditPage'), 'AuditPage'),
  page('/orgs/$orgId/jobs', () => import('./modules/jobs/JobsPage'), 'JobsPage'),
  page('/orgs/$orgId/assets', () => import('./modules/assets/InventoryPage'), 'InventoryPage'),
  page('/orgs/$orgId/assets/graph', () => import('./modules/assets/GraphPage'), 'GraphPage'),
  page('/orgs/$orgId/assets/import', () => import('./modules/assets/ImportPage'), 'ImportPage'),
  page('/orgs/$orgId/risks', () => import('./modules/risks/RisksPage'), 'RisksPage'),
  page('/orgs/$orgId/plan', () => import('./modules/risks/PlanPage'), 'PlanPage'),
  page('/orgs/$orgId/baselines/catalogs', () => import('./modules/baselines/CatalogsPage'), 'CatalogsPage'),
  page(
    '/orgs/$orgId/baselines/assessments',
    () => import('./modules/baselines/AssessmentsPage'),
    'AssessmentsPage',
  ),
  page(
    '/orgs/$orgId/baselines/assessments/$assessmentId',
    () => import('./modules/baselines/AssessmentPage'),
    'AssessmentPage',
  ),
  page('/orgs/$orgId/intel', () => import('./modules/intel/IntelPage'), 'IntelPage'),
  page('/orgs/$orgId/intel/import', () => import('./modules/intel/IntelImportPage'), 'IntelImportPage'),
  page('/orgs/$orgId/intel/feeds', () => import('./modules/intel/FeedsPage'), 'FeedsPage'),
  page('/orgs/$orgId/intel/attack', () => import('./modules/intel/AttackCoveragePage'), 'AttackCoveragePage'),
  page('/orgs/$orgId/intel/$stixId', () => import('./modules/intel/IntelObjectPage'), 'IntelObjectPage'),
  page('/orgs/$orgId/communities', () => import('./modules/intel/CommunitiesPage'), 'CommunitiesPage'),
  page('/orgs/$orgId/findings', () => import('./modules/vulns/FindingsPage'), 'FindingsPage'),
  page('/orgs/$orgId/findings/$findingId', () => import('./modules/vulns/FindingPage'), 'FindingPage'),
  page('/orgs/$orgId/cves/$cveId', () => import('./modules/vulns/CvePage'), 'CvePage'),
  page('/orgs/$orgId/incidents', () => import('./modules/incidents/IncidentsBoard'), 'IncidentsBoard'),
  page('/orgs/$orgId/incidents/new', () => import('./modules/incidents/NewIncidentPage'), 'NewIncidentPage'),
  page(
    '/orgs/$orgId/incidents/$incidentId',
    () => import('./modules/incidents/IncidentPage'),
    'IncidentPage',
  ),
  page(
    '/orgs/$orgId/incidents/$incidentId/exercise',
    () => import('./modules/incidents/ExercisePage'),
    'ExercisePage',
  ),
  page(
    '/orgs/$orgId/incidents/$incidentId/report',
    () => import('./modules/incidents/IncidentReportPage'),
    'IncidentReportPage',
  ),
  page('/orgs/$orgId/incident-playbooks', () => import('./modules/incidents/PlaybooksPage'), 'PlaybooksPage'),
  page('/orgs/$orgId/exercises', () => import('./modules/incidents/ExercisesPage'), 'ExercisesPage'),
  page('/orgs/$orgId/workforce', () => import('./modules/workforce/WorkforcePage'), 'WorkforcePage'),
  page('/orgs/$orgId/trainings', () => import('./modules/workforce/TrainingsPage'), 'TrainingsPage'),
  page('/orgs/$orgId/phishing', () => import('./modules/workforce/PhishingPage'), 'PhishingPage'),
  page('/orgs/$orgId/awareness', () => import('./modules/workforce/AwarenessPage'), 'AwarenessPage'),
  page('/orgs/$orgId/partners', () => import('./modules/partners/PartnersPage'), 'PartnersPage'),
  page('/orgs/$orgId/roster', () => import('./modules/partners/RosterPage'), 'RosterPage'),
  page('/orgs/$orgId/activities', () => import('./modules/partners/ActivitiesPage'), 'ActivitiesPage'),
  page(
    '/orgs/$orgId/strategy/document',
    () => import('./modules/strategy/StrategyDocumentPage'),
    'StrategyDocumentPage',
  ),
  page('/admin/users', () => import('./modules/admin/UsersPage'), 'UsersPage'),
  page('/admin/audit', () => import('./modules/audit/AuditPage'), 'AuditPage'),
  page('/account', () => import('./modules/account/AccountPage'), 'AccountPage'),
];

const loginRoute = createRoute({ getParentRoute: () => rootRoute, path: '/login', component: LoginPage });
const indexRoute = createRoute({ getParentRoute: () => appRoute, path: '/', component: IndexPage });
const orgRoute = createRoute({ getParentRoute: () => appRoute, path: '/orgs/$orgId', component: HomePage });

const routeTree = rootRoute.addChildren([
  loginRoute,
  appRoute.addChildren([indexRoute, orgRoute, ...pageRoutes]),
]);
const router = createRouter({ routeTree, defaultNotFoundComponent: NotFound });

declare module '@tanstack/react-router' {
  interface Register {
    router: typeof router;
  }
}

const queryClient = new QueryClient({
  defaultOptions: { queries: { retry: 1, refetchOnWindowFocus: false } },
});
const theme = createTheme({
  primaryColor: 'blue',
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
});

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <MantineProvider theme={theme} defaultColorScheme="auto">
      <QueryClientProvider client={queryClient}>
        <SessionProvider>
          <RouterProvider router={router} />
        </SessionProvider>
      </QueryClientProvider>
    </MantineProvider>
  </StrictMode>,
);
