import { Alert, Button, FileInput, Group, Select, Stack, Switch, Table, Text } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useParams } from '@tanstack/react-router';
import { type FormEvent, useState } from 'react';
import { uploadBody } from '../../api';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { PageHeader } from '../../ui/PageHeader';
import { type ImportReport, TLPS } from './types';

export function IntelImportPage() {
  const { orgId } = useParams({ strict: false }) as { orgId: string };
  const qc = useQueryClient();
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
      <PageHeader
        title="Import a STIX bundle"
        description="A STIX 2.1 bundle (STIX 2.0 content is upgraded). Invalid objects are listed and the rest imported, unless you ask for all or nothing."
      />
      <form onSubmit={submit}>
        <Stack maw={520}>
          <FileInput
            label="Bundle file"
            placeholder="bundle.json"
            accept=".json,application/json"
            value={file}
            onChange={setFile}
            required
          />
          <Select
            label="TLP for objects without a TLP marking"
            data={TLPS.map((t) => ({ value: t, label: `TLP:${t.toUpperCase()}` }))}
            value={tlp}
            onChange={(v) => v && setTlp(v)}
            allowDeselect={false}
          />
          <Switch
            label="All or nothing: import nothing when any object is invalid"
            checked={atomic}
            onChange={(e) => setAtomic(e.currentTarget.checked)}
          />
          <Group>
            <Button type="submit" loading={run.isPending} disabled={!file}>
              Import
            </Button>
          </Group>
        </Stack>
      </form>
      <ErrorAlert error={run.error} />
      {report && (
        <Stack mt="xl" data-testid="import-report">
          <Alert
            color={report.failed ? (report.atomic ? 'red' : 'yellow') : 'green'}
            title={report.atomic && report.failed ? 'Nothing was imported' : 'Import finished'}
          >
            {report.total} objects read: {report.imported} imported, {report.duplicates} already present,{' '}
            {report.failed} invalid{report.upgraded ? `, ${report.upgraded} upgraded from STIX 2.0` : ''} (
            {report.elapsedMs} ms).
          </Alert>
          {report.failures.length > 0 && (
            <Table withTableBorder striped>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>#</Table.Th>
                  <Table.Th>Object</Table.Th>
                  <Table.Th>Problems</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {report.failures.map((f) => (
                  <Table.Tr key={f.index}>
                    <Table.Td>{f.index}</Table.Td>
                    <Table.Td>
                      <Text size="sm">{f.id ?? '(no id)'}</Text>
                    </Table.Td>
                    <Table.Td>
                      {f.errors.map((e) => (
                        <Text size="sm" key={`${e.path}:${e.rule}:${e.message}`}>
                          <b>{e.path || '(object)'}</b>: {e.message}
                        </Text>
                      ))}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
          {report.failuresTruncated && (
            <Text c="dimmed">Only the first {report.failures.length} problems are listed.</Text>
          )}
        </Stack>
      )}
    </>
  );
}
