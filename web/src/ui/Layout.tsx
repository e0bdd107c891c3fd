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
import { useTranslation } from 'react-i18next';
import { can, post } from '../api';
import { LANGUAGES, setLanguage } from '../i18n';
import { rememberOrg, useOrg, useSession } from '../session';

interface NavItem {
  label: string;
  to: string;
  show: boolean;
}

export function Layout() {
  const [opened, { toggle, close }] = useDisclosure();
  const { t, i18n } = useTranslation();
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
    {
      title: t('nav.city'),
      items: [
        { label: t('nav.home'), to: base, show: !!org },
        { label: t('nav.strategy'), to: `${base}/strategy`, show: can(org, 'data.read') },
        { label: t('nav.strategyDocument'), to: `${base}/strategy/document`, show: can(org, 'data.read') },
      ],
    },
    {
      title: t('nav.step1'),
      items: [
        { label: t('nav.assets'), to: `${base}/assets`, show: can(org, 'data.read') },
        { label: t('nav.graph'), to: `${base}/assets/graph`, show: can(org, 'data.read') },
      ],
    },
    {
      title: t('nav.step2'),
      items: [
        { label: t('nav.risks'), to: `${base}/risks`, show: can(org, 'data.read') },
        { label: t('nav.plan'), to: `${base}/plan`, show: can(org, 'data.read') },
      ],
    },
    {
      title: t('nav.step3'),
      items: [
        { label: t('nav.assessments'), to: `${base}/baselines/assessments`, show: can(org, 'data.read') },
        { label: t('nav.catalogs'), to: `${base}/baselines/catalogs`, show: can(org, 'data.read') },
      ],
    },
    {
      title: t('nav.step4'),
      items: [
        { label: t('nav.intel'), to: `${base}/intel`, show: can(org, 'data.read') },
        { label: t('nav.feeds'), to: `${base}/intel/feeds`, show: can(org, 'data.read') },
        { label: t('nav.attackCoverage'), to: `${base}/intel/attack`, show: can(org, 'data.read') },
        { label: t('nav.communities'), to: `${base}/communities`, show: can(org, 'data.read') },
        { label: t('nav.findings'), to: `${base}/findings`, show: can(org, 'data.read') },
      ],
    },
    {
      title: t('nav.step5'),
      items: [
        { label: t('nav.incidents'), to: `${base}/incidents`, show: can(org, 'data.read') },
        { label: t('nav.exercises'), to: `${base}/exercises`, show: can(org, 'data.read') },
        { label: t('nav.playbooks'), to: `${base}/incident-playbooks`, show: can(org, 'data.read') },
      ],
    },
    {
      title: t('nav.step6'),
      items: [
        { label: t('nav.workforce'), to: `${base}/workforce`, show: can(org, 'data.read') },
        { label: t('nav.trainings'), to: `${base}/trainings`, show: can(org, 'data.read') },
        { label: t('nav.phishing'), to: `${base}/phishing`, show: can(org, 'data.read') },
        { label: t('nav.awareness'), to: `${base}/awareness`, show: can(org, 'data.read') },
      ],
    },
    {
      title: t('nav.step7'),
      items: [
        { label: t('nav.partners'), to: `${base}/partners`, show: can(org, 'data.read') },
        { label: t('nav.roster'), to: `${base}/roster`, show: can(org, 'data.read') },
        { label: t('nav.activities'), to: `${base}/activities`, show: can(org, 'data.read') },
      ],
    },
    {
      title: t('nav.admin'),
      items: [
        { label: t('nav.members'), to: `${base}/members`, show: can(org, 'members.read') },
        { label: t('nav.settings'), to: `${base}/settings`, show: can(org, 'org.read') },
        { label: t('nav.audit'), to: `${base}/audit`, show: can(org, 'audit.read') },
        { label: t('nav.jobs'), to: `${base}/jobs`, show: can(org, 'jobs.read') },
        { label: t('nav.users'), to: '/admin/users', show: !!session?.user.isInstanceAdmin },
        { label: t('nav.instanceAudit'), to: '/admin/audit', show: !!session?.user.isInstanceAdmin },
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
              aria-label={t('layout.toggleNav')}
            />
            <Anchor component={Link} to="/" fw={700} size="lg" underline="never" c="blue.7">
              Citywall
            </Anchor>
            <Select
              aria-label={t('layout.organization')}
              data-testid="org-switcher"
              w={280}
              searchable
              value={org?.id ?? null}
              placeholder={t('layout.chooseOrg')}
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
              <Badge color="orange" variant="light" title={t('layout.sampleTitle')}>
                {t('layout.sample')}
              </Badge>
            )}
          </Group>
          <Menu position="bottom-end" withinPortal>
            <Menu.Target>
              <UnstyledButton aria-label={t('layout.accountMenu')} data-testid="account-menu">
                <Text size="sm">{session?.user.name ?? ''}</Text>
              </UnstyledButton>
            </Menu.Target>
            <Menu.Dropdown>
              <Menu.Label>{session?.user.email}</Menu.Label>
              <Menu.Item component={Link} to="/account">
                {t('layout.account')}
              </Menu.Item>
              <Menu.Divider />
              <Menu.Label>{t('layout.language')}</Menu.Label>
              {LANGUAGES.map((l) => (
                <Menu.Item
                  key={l.code}
                  lang={l.code}
                  onClick={() => setLanguage(l.code)}
                  data-testid={`language-${l.code}`}
                  aria-current={i18n.language === l.code ? 'true' : undefined}
                  fw={i18n.language === l.code ? 700 : undefined}
                >
                  {l.label}
                </Menu.Item>
              ))}
              <Menu.Divider />
              <Menu.Item onClick={signOut} data-testid="sign-out">
                {t('layout.signOut')}
              </Menu.Item>
            </Menu.Dropdown>
          </Menu>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="sm" aria-label={t('layout.mainNav')}>
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
