import {
  Button,
  Center,
  Code,
  Divider,
  Group,
  Paper,
  PasswordInput,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { type FormEvent, useEffect, useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { get, post, type SessionInfo } from '../../api';
import { LANGUAGES, setLanguage } from '../../i18n';
import { useSession } from '../../session';
import { ErrorAlert } from '../../ui/ErrorAlert';

export function LoginPage() {
  const { session, setSession } = useSession();
  const navigate = useNavigate();
  const { t, i18n } = useTranslation('auth');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const config = useQuery({
    queryKey: ['auth-config'],
    queryFn: () => get<{ oidc: { enabled: boolean; label: string } }>('/auth/config'),
  });
  const login = useMutation({
    mutationFn: () => post<SessionInfo>('/auth/login', { email, password }),
    onSuccess: (s) => setSession(s),
  });
  // Leave once the session is visible to the whole app, not merely returned by the request.
  useEffect(() => {
    if (session) navigate({ to: session.user.mustChangePassword ? '/account' : '/', replace: true });
  }, [session, navigate]);
  useEffect(() => {
    document.title = `${t('signIn')} · Citywall`;
  }, [t]);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    login.mutate();
  };
  return (
    <Center mih="100vh" p="md">
      <Paper withBorder shadow="sm" p="xl" w={400} radius="md" component="main">
        <Title order={1} size="h2" mb={4}>
          Citywall
        </Title>
        <Text c="dimmed" size="sm" mb="lg">
          {t('tagline')}
        </Text>
        <form onSubmit={submit} aria-label={t('signIn')}>
          <Stack>
            <ErrorAlert error={login.error} title={t('failed')} />
            <TextInput
              label={t('email')}
              type="email"
              autoComplete="username"
              required
              value={email}
              onChange={(e) => setEmail(e.currentTarget.value)}
              autoFocus
            />
            <PasswordInput
              label={t('password')}
              autoComplete="current-password"
              required
              value={password}
              onChange={(e) => setPassword(e.currentTarget.value)}
            />
            <Button type="submit" loading={login.isPending} fullWidth>
              {t('signIn')}
            </Button>
          </Stack>
        </form>
        {config.data?.oidc.enabled && (
          <>
            <Divider my="md" label={t('or')} labelPosition="center" />
            <Button component="a" href="/api/v1/auth/oidc/login" variant="default" fullWidth>
              {config.data.oidc.label}
            </Button>
          </>
        )}
        <Text size="xs" c="dimmed" mt="lg">
          <Trans t={t} i18nKey="forgot" components={{ code: <Code /> }} />
        </Text>
        <Group gap="xs" mt="md" justify="center">
          {LANGUAGES.map((l) => (
            <Button
              key={l.code}
              size="compact-xs"
              variant={i18n.language === l.code ? 'light' : 'subtle'}
              lang={l.code}
              onClick={() => setLanguage(l.code)}
              aria-pressed={i18n.language === l.code}
            >
              {l.label}
            </Button>
          ))}
        </Group>
      </Paper>
    </Center>
  );
}
