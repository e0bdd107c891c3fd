import { Alert, Button, FileInput, Group, Select, Stack, Stepper, Table, Text } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useParams } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { post } from '../../api';
import { formatNumber } from '../../i18n';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { PageHeader } from '../../ui/PageHeader';

interface Preview {
  format: string;
  columns: string[];
  mapping: Record<string, string | null>;
  fields: { name: string; label: string; required: boolean; description: string }[];
  rows: number;
  validRows: number;
  toCreate: number;
  toUpdate: number;
  errors: { line: number; column: string | null; field: string | null; reason: string }[];
  errorCount: number;
}

async function toBase64(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

export function ImportPage() {
  const { orgId } = useParams({ strict: false }) as { orgId: string };
  const qc = useQueryClient();
  const { t } = useTranslation('assets');
  const [kind, setKind] = useState<string>('systems');
  const [file, setFile] = useState<File | null>(null);
  const [content, setContent] = useState<string | null>(null);
  const [mapping, setMapping] = useState<Record<string, string | null>>({});
  const [preview, setPreview] = useState<Preview | null>(null);
  const [done, setDone] = useState<{ created: number; updated: number } | null>(null);
  const body = (m = mapping) => ({ kind, fileName: file?.name, content, mapping: m });
  const check = useMutation({
    mutationFn: (m?: Record<string, string | null>) =>
      post<Preview>(`/orgs/${orgId}/assets/import/preview`, body(m)),
    onSuccess: (p) => {
      setPreview(p);
      setMapping(p.mapping);
    },
  });
  const commit = useMutation({
    mutationFn: () =>
      post<{ created: number; updated: number }>(`/orgs/${orgId}/assets/import/commit`, body()),
    onSuccess: (r) => {
      setDone(r);
      qc.invalidateQueries({ queryKey: ['assets'] });
    },
  });
  const step = done ? 3 : preview ? (preview.errorCount === 0 ? 2 : 1) : 0;

  return (
    <>
      <PageHeader title={t('import.title')} description={t('import.description')} />
      <Stepper active={step} mb="lg" size="sm">
        <Stepper.Step label={t('import.stepUpload')} />
        <Stepper.Step label={t('import.stepMap')} />
        <Stepper.Step label={t('import.stepImport')} />
      </Stepper>
      <Stack maw={900}>
        <Group align="flex-end">
          <Select
            label={t('import.kind')}
            data={[
              { value: 'systems', label: t('inventory.systems') },
              { value: 'services', label: t('inventory.services') },
              { value: 'dependencies', label: t('services.dependencies') },
            ]}
            value={kind}
            onChange={(k) => {
              if (!k) return;
              setKind(k);
              setPreview(null);
              setDone(null);
              setMapping({});
            }}
            allowDeselect={false}
            w={200}
          />
          <FileInput
            label={t('import.file')}
            placeholder={t('import.filePlaceholder')}
            accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            value={file}
            onChange={async (f) => {
              setFile(f);
              setPreview(null);
              setDone(null);
              setMapping({});
              setContent(f ? await toBase64(f) : null);
            }}
            w={320}
          />
          <Button disabled={!content} loading={check.isPending} onClick={() => check.mutate({})}>
            {t('import.check')}
          </Button>
        </Group>
        <ErrorAlert error={check.error ?? commit.error} />
        {preview && !done && (
          <>
            <Text>
              {t('import.summary', {
                count: preview.rows,
                rows: formatNumber(preview.rows),
                format: preview.format,
                valid: formatNumber(preview.validRows),
                create: formatNumber(preview.toCreate),
                update: formatNumber(preview.toUpdate),
              })}
            </Text>
            <Table withTableBorder fz="sm">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('import.column')}</Table.Th>
                  <Table.Th>{t('import.field')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {preview.columns.map((c) => (
                  <Table.Tr key={c}>
                    <Table.Td>{c}</Table.Td>
                    <Table.Td>
                      <Select
                        aria-label={t('import.fieldFor', { column: c })}
                        data={[
                          { value: '', label: t('import.ignore') },
                          ...preview.fields.map((f) => ({
                            value: f.name,
                            label: `${t(`import.fields.${f.name}`, { defaultValue: f.label })}${f.required ? ' *' : ''}`,
                          })),
                        ]}
                        value={mapping[c] ?? ''}
                        onChange={(v) => {
                          const m = { ...mapping, [c]: v ? v : null };
                          setMapping(m);
                          check.mutate(m);
                        }}
                        allowDeselect={false}
                        w={260}
                      />
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
            {preview.errorCount > 0 ? (
              <>
                <Alert
                  color="red"
                  title={t('import.errorsTitle', {
                    count: preview.errorCount,
                    n: formatNumber(preview.errorCount),
                  })}
                >
                  {t('import.errorsBody')}
                </Alert>
                <Table withTableBorder fz="sm" data-testid="import-errors">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t('import.line')}</Table.Th>
                      <Table.Th>{t('import.columnShort')}</Table.Th>
                      <Table.Th>{t('import.problem')}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {preview.errors.map((e) => (
                      <Table.Tr key={`${e.line}:${e.column}:${e.reason}`}>
                        <Table.Td>{e.line}</Table.Td>
                        <Table.Td>{e.column ?? '—'}</Table.Td>
                        <Table.Td>{e.reason}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </>
            ) : (
              <Button onClick={() => commit.mutate()} loading={commit.isPending} w={240}>
                {t('import.commit', { count: preview.validRows, n: formatNumber(preview.validRows) })}
              </Button>
            )}
          </>
        )}
        {done && (
          <Alert color="green" title={t('import.imported')}>
            {t('import.done', { created: formatNumber(done.created), updated: formatNumber(done.updated) })}
          </Alert>
        )}
      </Stack>
    </>
  );
}
