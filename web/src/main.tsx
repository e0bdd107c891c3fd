import '@mantine/core/styles.css';
import { Anchor, Center, createTheme, Loader, MantineProvider, Stack, Text, Title } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import {
  createRootRoute,
  createRoute,
  createRouter,
  Link,
  Navigate,
  Outlet,
  RouterProvider,
  useRouterState,
} from '@tanstack/react-router';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { AccountPage } from './modules/account/AccountPage';
import { UsersPage } from './modules/admin/UsersPage';
import { GraphPage } from './modules/assets/GraphPage';
import { ImportPage } from './modules/assets/ImportPage';
import { InventoryPage } from './modules/assets/InventoryPage';
import { AuditPage } from './modules/audit/AuditPage';
import { LoginPage } from './modules/auth/LoginPage';
import { AssessmentPage } from './modules/baselines/AssessmentPage';
import { AssessmentsPage } from './modules/baselines/AssessmentsPage';
import { CatalogsPage } from './modules/baselines/CatalogsPage';
import { IncidentPage } from './modules/incidents/IncidentPage';
import { IncidentsBoard } from './modules/incidents/IncidentsBoard';
import { NewIncidentPage } from './modules/incidents/NewIncidentPage';
import { CommunitiesPage } from './modules/intel/CommunitiesPage';
import { FeedsPage } from './modules/intel/FeedsPage';
import { IntelImportPage } from './modules/intel/IntelImportPage';
import { IntelObjectPage } from './modules/intel/IntelObjectPage';
import { IntelPage } from './modules/intel/IntelPage';
import { JobsPage } from './modules/jobs/JobsPage';
import { HomePage } from './modules/orgs/HomePage';
import { MembersPage } from './modules/orgs/MembersPage';
import { SettingsPage } from './modules/orgs/SettingsPage';
import { PartnersPage } from './modules/partners/PartnersPage';
import { RosterPage } from './modules/partners/RosterPage';
import { PlanPage } from './modules/risks/PlanPage';
import { RisksPage } from './modules/risks/RisksPage';
import { FindingPage } from './modules/vulns/FindingPage';
import { FindingsPage } from './modules/vulns/FindingsPage';
import { AwarenessPage } from './modules/workforce/AwarenessPage';
import { PhishingPage } from './modules/workforce/PhishingPage';
import { TrainingsPage } from './modules/workforce/TrainingsPage';
import { WorkforcePage } from './modules/workforce/WorkforcePage';
import { preferredOrg, SessionProvider, useSession } from './session';
import { Layout } from './ui/Layout';

function RequireSession() {
  const { session, loading } = useSession();
  const pathname = useRouterState({ select: (s) => s.location.pathname });
  if (loading) {
    return (
      <Center mih="100vh">
        <Loader aria-label="Loading" />
      </Center>
    );
  }
  if (!session) return <Navigate to="/login" />;
  if (session.user.mustChangePassword && pathname !== '/account') return <Navigate to="/account" />;
  return <Layout />;
}

function IndexPage() {
  const { session } = useSession();
  const org = preferredOrg(session?.organizations ?? []);
  if (org) return <Navigate to="/orgs/$orgId" params={{ orgId: org.id }} />;
  return (
    <Stack>
      <Title order={1} size="h2">
        Welcome to Citywall
      </Title>
      <Text>
        You do not hold a role in any organization yet.{' '}
        {session?.user.isInstanceAdmin
          ? 'As an instance administrator you can create the first city from the command line (citywall org create) or ask for the sample with CITYWALL_SAMPLE=true.'
          : 'Ask your city administrator to add you.'}
      </Text>
    </Stack>
  );
}

function NotFound() {
  return (
    <Stack p="xl">
      <Title order={1} size="h2">
        Page not found
      </Title>
      <Text>
        There is nothing at this address.{' '}
        <Anchor component={Link} to="/">
          Go to the home page
        </Anchor>
        .
      </Text>
    </Stack>
  );
}

const rootRoute = createRootRoute({ component: Outlet, notFoundComponent: NotFound });
const loginRoute = createRoute({ getParentRoute: () => rootRoute, path: '/login', component: LoginPage });
const appRoute = createRoute({ getParentRoute: () => rootRoute, id: 'app', component: RequireSession });
const indexRoute = createRoute({ getParentRoute: () => appRoute, path: '/', component: IndexPage });
const orgRoute = createRoute({ getParentRoute: () => appRoute, path: '/orgs/$orgId', component: HomePage });
const membersRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/orgs/$orgId/members',
  component: MembersPage,
});
const settingsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/orgs/$orgId/settings',
  component: SettingsPage,
});
const auditRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/orgs/$orgId/audit',
  component: AuditPage,
});
const jobsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/orgs/$orgId/jobs',
  component: JobsPage,
});
const incidentsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/orgs/$orgId/incidents',
  component: IncidentsBoard,
});
const newIncidentRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/orgs/$orgId/incidents/new',
  component: NewIncidentPage,
});
const incidentRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/orgs/$orgId/incidents/$incidentId',
  component: IncidentPage,
});
const catalogsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/orgs/$orgId/baselines/catalogs',
  component: CatalogsPage,
});
const assessmentsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/orgs/$orgId/baselines/assessments',
  component: AssessmentsPage,
});
const assessmentRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/orgs/$orgId/baselines/assessments/$assessmentId',
  component: AssessmentPage,
});
const inventoryRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/orgs/$orgId/assets',
  component: InventoryPage,
});
const graphRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/orgs/$orgId/assets/graph',
  component: GraphPage,
});
const importRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/orgs/$orgId/assets/import',
  component: ImportPage,
});
const risksRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/orgs/$orgId/risks',
  component: RisksPage,
});
const planRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/orgs/$orgId/plan',
  component: PlanPage,
});
const usersRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/admin/users',
  component: UsersPage,
});
const instanceAuditRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/admin/audit',
  component: AuditPage,
});
const accountRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/account',
  component: AccountPage,
});
const intelRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/orgs/$orgId/intel',
  component: IntelPage,
});
const intelImportRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/orgs/$orgId/intel/import',
  component: IntelImportPage,
});
const intelObjectRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/orgs/$orgId/intel/$stixId',
  component: IntelObjectPage,
});
const feedsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/orgs/$orgId/intel/feeds',
  component: FeedsPage,
});
const communitiesRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/orgs/$orgId/communities',
  component: CommunitiesPage,
});
const findingsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/orgs/$orgId/findings',
  component: FindingsPage,
});
const findingRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/orgs/$orgId/findings/$findingId',
  component: FindingPage,
});
const workforceRoutes = [
  ['workforce', WorkforcePage],
  ['trainings', TrainingsPage],
  ['phishing', PhishingPage],
  ['awareness', AwarenessPage],
  ['partners', PartnersPage],
  ['roster', RosterPage],
] as const;
const moduleRoutes = workforceRoutes.map(([path, component]) =>
  createRoute({ getParentRoute: () => appRoute, path: `/orgs/$orgId/${path}`, component }),
);

const routeTree = rootRoute.addChildren([
  loginRoute,
  appRoute.addChildren([
    indexRoute,
    orgRoute,
    membersRoute,
    settingsRoute,
    auditRoute,
    jobsRoute,
    incidentsRoute,
    newIncidentRoute,
    incidentRoute,
    catalogsRoute,
    assessmentsRoute,
    assessmentRoute,
    inventoryRoute,
    graphRoute,
    importRoute,
    risksRoute,
    planRoute,
    usersRoute,
    instanceAuditRoute,
    accountRoute,
    intelRoute,
    intelImportRoute,
    intelObjectRoute,
    feedsRoute,
    communitiesRoute,
    findingsRoute,
    findingRoute,
    ...moduleRoutes,
  ]),
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
