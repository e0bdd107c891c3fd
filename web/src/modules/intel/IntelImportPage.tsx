import {
  Alert,
  Button,
  Code,
  FileInput,
  Group,
  Select,
  Stack,
  Switch,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useParams } from '@tanstack/react-router';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { uploadBody } from '../../api';
import { formatNumber } from '../../i18n';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { PageHeader } from '../../ui/PageHeader';
import { type ImportReport, TLPS } from './types';

export function IntelImportPage() {
  const { orgId } = useParams({ strict: false }) as { orgId: string };
  const qc = useQueryClient();
  const { t } = useTranslation('intel');
  const [file, setFile] = useState<File | null>(null);
  const [atomic, setAtomic] = useState(false);
  const [tlp, setTlp] = useState<string>('amber');
  const run = useMutation({
    mutationFn: async (): Promise<ImportReport> => {
      try {
        return await uploadBody<ImportReport>(
          `/orgs/${orgId}/intel/bundles?atomic=${atomic}&tlp=${encodeURIComponent(tlp)}`,
          file!,
        );
      } catch (e) {
        // An all-or-nothing import that failed still reports each invalid object.
        const report = (e as { body?: { report?: ImportReport } }).body?.report;
        if (report) return report;
        throw e;
      }
    },
    onSuccess: () => qc.invalidateQueries({ queryKey: ['intel', orgId] }),
  });
  const report = run.data;

  function submit(e: FormEvent) {
    e.preventDefault();
    if (file) run.mutate();
  }

  return (
    <>
      <PageHeader title={t('import.title')} description={t('import.description')} />
      <form onSubmit={submit}>
        <Stack maw={520}>
          <FileInput
            label={t('import.file')}
            placeholder="bundle.json"
            accept=".json,application/json"
            value={file}
            onChange={setFile}
            required
          />
          <Select
            label={t('import.defaultTlp')}
            data={TLPS.map((x) => ({ value: x, label: `TLP:${x.toUpperCase()}` }))}
            value={tlp}
            onChange={(v) => v && setTlp(v)}
            allowDeselect={false}
          />
          <Switch
            label={t('import.atomic')}
            checked={atomic}
            onChange={(e) => setAtomic(e.currentTarget.checked)}
          />
          <Group>
            <Button type="submit" loading={run.isPending} disabled={!file}>
              {t('common:actions.import')}
            </Button>
          </Group>
        </Stack>
      </form>
      <ErrorAlert error={run.error} />
      {report && (
        <Stack mt="xl" data-testid="import-report">
          <Alert
            color={report.failed ? (report.atomic ? 'red' : 'yellow') : 'green'}
            title={report.atomic && report.failed ? t('import.nothingImported') : t('import.finished')}
          >
            {t('import.summary', {
              count: report.total,
              total: formatNumber(report.total),
              imported: formatNumber(report.imported),
              duplicates: formatNumber(report.duplicates),
              failed: formatNumber(report.failed),
              upgraded: report.upgraded ? t('import.upgraded', { n: formatNumber(report.upgraded) }) : '',
              ms: formatNumber(report.elapsedMs),
            })}
          </Alert>
          {report.failures.length > 0 && (
            <Table withTableBorder striped>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>#</Table.Th>
                  <Table.Th>{t('import.object')}</Table.Th>
                  <Table.Th>{t('import.problems')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {report.failures.map((f) => (
                  <Table.Tr key={f.index}>
                    <Table.Td>{f.index}</Table.Td>
                    <Table.Td>
                      <Text size="sm">{f.id ?? t('import.noId')}</Text>
                    </Table.Td>
                    <Table.Td>
                      {f.errors.map((e) => (
                        <Text size="sm" key={`${e.path}:${e.rule}:${e.message}`}>
                          <b>{e.path || t('import.wholeObject')}</b>: {e.message}
                        </Text>
                      ))}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
          {report.failuresTruncated && (
            <Text c="dimmed">
              {t('import.truncated', {
                count: report.failures.length,
                n: formatNumber(report.failures.length),
              })}
            </Text>
          )}
          {report.warnings.length > 0 && (
            <section aria-labelledby="import-warnings" data-testid="import-warnings">
              <Title order={2} size="h4" id="import-warnings">
                {t('import.warningsTitle')} ({formatNumber(report.warned)})
              </Title>
              <Text size="sm" c="dimmed" mb="xs">
                {t('import.warningsIntro')}
              </Text>
              <Table withTableBorder striped aria-labelledby="import-warnings">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>#</Table.Th>
                    <Table.Th>{t('import.object')}</Table.Th>
                    <Table.Th>{t('import.remark')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {report.warnings.map((w) => (
                    <Table.Tr key={`${w.index}:${w.path}:${w.rule}`}>
                      <Table.Td>{w.index}</Table.Td>
                      <Table.Td>
                        <Text size="sm">{w.id}</Text>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">
                          <b>{w.path || t('import.wholeObject')}</b>: {w.message} <Code>{w.rule}</Code>
                        </Text>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
              {report.warningsTruncated && (
                <Text c="dimmed" mt="xs">
                  {t('import.warningsTruncated', {
                    count: report.warnings.length,
                    n: formatNumber(report.warnings.length),
                  })}
                </Text>
              )}
            </section>
          )}
          {report.upgrades.length > 0 && (
            <section aria-labelledby="import-upgrades" data-testid="import-upgrades">
              <Title order={2} size="h4" id="import-upgrades">
                {t('import.upgradesTitle')} ({formatNumber(report.upgraded)})
              </Title>
              <Text size="sm" c="dimmed" mb="xs">
                {t('import.upgradesIntro')}
              </Text>
              <Table withTableBorder striped aria-labelledby="import-upgrades">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>#</Table.Th>
                    <Table.Th>{t('import.object')}</Table.Th>
                    <Table.Th>{t('import.changes')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {report.upgrades.map((u) => (
                    <Table.Tr key={u.index}>
                      <Table.Td>{u.index}</Table.Td>
                      <Table.Td>
                        <Text size="sm">{u.id}</Text>
                      </Table.Td>
                      <Table.Td>
                        <ul style={{ margin: 0, paddingInlineStart: '1.2em' }}>
                          {u.changes.map((c) => (
                            <li key={`${c.path}:${c.action}:${c.message}`}>
                              <Text size="sm">
                                <b>{c.path}</b>: {c.message}
                              </Text>
                            </li>
                          ))}
                        </ul>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
              {report.upgradesTruncated && (
                <Text c="dimmed" mt="xs">
                  {t('import.upgradesTruncated', {
                    count: report.upgrades.length,
                    n: formatNumber(report.upgrades.length),
                  })}
                </Text>
              )}
            </section>
          )}
        </Stack>
      )}
    </>
  );
}
