import {
  Anchor,
  AppShell,
  Badge,
  Burger,
  Group,
  Menu,
  NavLink,
  ScrollArea,
  Select,
  Text,
  UnstyledButton,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { Link, Outlet, useNavigate, useParams, useRouterState } from '@tanstack/react-router';
import { useEffect } from 'react';
import { can, post } from '../api';
import { rememberOrg, useOrg, useSession } from '../session';

interface NavItem {
  label: string;
  to: string;
  show: boolean;
}

export function Layout() {
  const [opened, { toggle, close }] = useDisclosure();
  const { session, setSession } = useSession();
  const navigate = useNavigate();
  const params = useParams({ strict: false }) as { orgId?: string };
  const pathname = useRouterState({ select: (s) => s.location.pathname });
  const org = useOrg(params.orgId);
  const orgs = session?.organizations ?? [];
  const minDepth = Math.min(...orgs.map((o) => o.depth));
  useEffect(() => {
    if (org) rememberOrg(org.id);
  }, [org]);
  // Close the mobile navigation after each navigation.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs on a path change by design
  useEffect(() => close(), [pathname]);

  const base = org ? `/orgs/${org.id}` : '';
  const sections: { title: string; items: NavItem[] }[] = [
    { title: 'City', items: [{ label: 'Home', to: base, show: !!org }] },
    {
      title: 'Step 1 · The city',
      items: [
        { label: 'Services and systems', to: `${base}/assets`, show: can(org, 'data.read') },
        { label: 'Dependency graph', to: `${base}/assets/graph`, show: can(org, 'data.read') },
      ],
    },
    {
      title: 'Step 2 · Risk and priorities',
      items: [
        { label: 'Risk register', to: `${base}/risks`, show: can(org, 'data.read') },
        { label: 'Plan and roadmap', to: `${base}/plan`, show: can(org, 'data.read') },
      ],
    },
    {
      title: 'Step 3 · Baselines',
      items: [
        { label: 'Assessments', to: `${base}/baselines/assessments`, show: can(org, 'data.read') },
        { label: 'Catalogs and profiles', to: `${base}/baselines/catalogs`, show: can(org, 'data.read') },
      ],
    },
    {
      title: 'Step 4 · Threat sharing',
      items: [
        { label: 'Threat intelligence', to: `${base}/intel`, show: can(org, 'data.read') },
        { label: 'TAXII feeds', to: `${base}/intel/feeds`, show: can(org, 'data.read') },
        { label: 'Communities', to: `${base}/communities`, show: can(org, 'data.read') },
        { label: 'Vulnerabilities', to: `${base}/findings`, show: can(org, 'data.read') },
      ],
    },
    {
      title: 'Step 5 · Incident response',
      items: [{ label: 'Incidents', to: `${base}/incidents`, show: can(org, 'data.read') }],
    },
    {
      title: 'Step 6 · Awareness and workforce',
      items: [
        { label: 'Workforce and roles', to: `${base}/workforce`, show: can(org, 'data.read') },
        { label: 'Training', to: `${base}/trainings`, show: can(org, 'data.read') },
        { label: 'Phishing simulations', to: `${base}/phishing`, show: can(org, 'data.read') },
        { label: 'Public awareness', to: `${base}/awareness`, show: can(org, 'data.read') },
      ],
    },
    {
      title: 'Step 7 · Cooperation',
      items: [
        { label: 'Partners and agreements', to: `${base}/partners`, show: can(org, 'data.read') },
        { label: 'Crisis roster', to: `${base}/roster`, show: can(org, 'data.read') },
      ],
    },
    {
      title: 'Administration',
      items: [
        { label: 'People and roles', to: `${base}/members`, show: can(org, 'members.read') },
        { label: 'Organization', to: `${base}/settings`, show: can(org, 'org.read') },
        { label: 'Audit log', to: `${base}/audit`, show: can(org, 'audit.read') },
        { label: 'Jobs', to: `${base}/jobs`, show: can(org, 'jobs.read') },
        { label: 'All users', to: '/admin/users', show: !!session?.user.isInstanceAdmin },
        { label: 'Instance audit log', to: '/admin/audit', show: !!session?.user.isInstanceAdmin },
      ],
    },
  ];

  async function signOut() {
    await post('/auth/logout').catch(() => {});
    // RequireSession sends the browser to the sign-in page once the session is gone.
    setSession(null);
  }

  return (
    <AppShell
      header={{ height: 56 }}
      navbar={{ width: 250, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding="lg"
    >
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger
              opened={opened}
              onClick={toggle}
              hiddenFrom="sm"
              size="sm"
              aria-label="Toggle navigation"
            />
            <Anchor component={Link} to="/" fw={700} size="lg" underline="never" c="blue.7">
              Citywall
            </Anchor>
            <Select
              aria-label="Organization"
              data-testid="org-switcher"
              w={280}
              searchable
              value={org?.id ?? null}
              placeholder="Choose an organization"
              data={orgs.map((o) => ({ value: o.id, label: o.name }))}
              renderOption={({ option }) => {
                const o = orgs.find((x) => x.id === option.value);
                const indent = Math.max(0, (o?.depth ?? 0) - minDepth);
                return (
                  <Text size="sm" pl={indent * 14}>
                    {option.label}
                    <Text span size="xs" c="dimmed" ml={6}>
                      {o?.kind}
                    </Text>
                  </Text>
                );
              }}
              onChange={(id) => id && navigate({ to: '/orgs/$orgId', params: { orgId: id } })}
              allowDeselect={false}
              comboboxProps={{ withinPortal: true }}
            />
            {org?.isSample && (
              <Badge color="orange" variant="light" title="This organization is sample data">
                Sample data
              </Badge>
            )}
          </Group>
          <Menu position="bottom-end" withinPortal>
            <Menu.Target>
              <UnstyledButton aria-label="Account menu" data-testid="account-menu">
                <Text size="sm">{session?.user.name ?? ''}</Text>
              </UnstyledButton>
            </Menu.Target>
            <Menu.Dropdown>
              <Menu.Label>{session?.user.email}</Menu.Label>
              <Menu.Item component={Link} to="/account">
                Account and API tokens
              </Menu.Item>
              <Menu.Item onClick={signOut} data-testid="sign-out">
                Sign out
              </Menu.Item>
            </Menu.Dropdown>
          </Menu>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="sm" aria-label="Main navigation">
        <ScrollArea>
          {sections.map((s) => {
            const items = s.items.filter((i) => i.show);
            if (!items.length) return null;
            return (
              <div key={s.title}>
                <Text size="xs" fw={700} c="dimmed" tt="uppercase" mt="md" mb={4} px="sm">
                  {s.title}
                </Text>
                {items.map((i) => (
                  <NavLink
                    key={i.to}
                    component={Link}
                    to={i.to}
                    activeOptions={{ exact: true }}
                    label={i.label}
                    active={pathname === i.to}
                  />
                ))}
              </div>
            );
          })}
        </ScrollArea>
      </AppShell.Navbar>
      <AppShell.Main>
        <main>
          <Outlet />
        </main>
      </AppShell.Main>
    </AppShell>
  );
}
