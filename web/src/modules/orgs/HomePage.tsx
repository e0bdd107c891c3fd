import { Alert, Anchor, Badge, Card, Group, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from '@tanstack/react-router';
import { type AuditEvent, formatDate, get, type Organization } from '../../api';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { PageHeader } from '../../ui/PageHeader';

interface Overview {
  organization: Organization;
  children: Organization[];
  memberCount: number | null;
  recentActivity: AuditEvent[] | null;
}

export function HomePage() {
  const { orgId } = useParams({ strict: false }) as { orgId: string };
  const q = useQuery({
    queryKey: ['overview', orgId],
    queryFn: () => get<Overview>(`/orgs/${orgId}/overview`),
  });
  if (q.error) return <ErrorAlert error={q.error} />;
  if (!q.data) return <Text c="dimmed">Loading…</Text>;
  const { organization: org, children, memberCount, recentActivity } = q.data;
  return (
    <>
      <PageHeader
        title={org.name}
        description={org.description || `A ${org.kind} in Citywall.`}
        actions={<Badge variant="light">{org.kind}</Badge>}
      />
      {org.isSample && (
        <Alert color="orange" variant="light" mb="lg" title="Sample data">
          The Example City and its organizations are fictitious, loaded so you can explore Citywall. Create
          your own city under Organization, and delete the sample when you no longer need it.
        </Alert>
      )}
      <SimpleGrid cols={{ base: 1, sm: 3 }} mb="lg">
        <Card withBorder>
          <Text size="sm" c="dimmed">
            Your roles here
          </Text>
          <Group gap={6} mt={6}>
            {org.roles.map((r) => (
              <Badge key={r}>{r}</Badge>
            ))}
          </Group>
        </Card>
        <Card withBorder>
          <Text size="sm" c="dimmed">
            People with a role
          </Text>
          <Text size="xl" fw={700}>
            {memberCount === null ? '—' : memberCount}
          </Text>
          {memberCount !== null && (
            <Anchor component={Link} to={`/orgs/${org.id}/members`} size="sm">
              Manage people and roles
            </Anchor>
          )}
        </Card>
        <Card withBorder>
          <Text size="sm" c="dimmed">
            Organizations below
          </Text>
          <Text size="xl" fw={700}>
            {children.length}
          </Text>
        </Card>
      </SimpleGrid>
      {children.length > 0 && (
        <Stack mb="lg">
          <Title order={2} size="h4">
            Departments and organizations
          </Title>
          <Table striped withTableBorder>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Name</Table.Th>
                <Table.Th>Kind</Table.Th>
                <Table.Th>Description</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {children.map((c) => (
                <Table.Tr key={c.id}>
                  <Table.Td>
                    <Anchor component={Link} to={`/orgs/${c.id}`}>
                      {c.name}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>{c.kind}</Table.Td>
                  <Table.Td>
                    <Text size="sm" lineClamp={1}>
                      {c.description}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Stack>
      )}
      {recentActivity && (
        <Stack>
          <Title order={2} size="h4">
            Recent activity
          </Title>
          {recentActivity.length === 0 ? (
            <Text c="dimmed">Nothing has changed here yet.</Text>
          ) : (
            <Table withTableBorder>
              <Table.Tbody>
                {recentActivity.map((e) => (
                  <Table.Tr key={e.id}>
                    <Table.Td w={200}>{formatDate(e.at)}</Table.Td>
                    <Table.Td>{e.actorLabel}</Table.Td>
                    <Table.Td>
                      <Badge variant="outline">{e.action}</Badge>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </Stack>
      )}
    </>
  );
}
