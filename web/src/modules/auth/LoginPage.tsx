import {
  Button,
  Center,
  Code,
  Divider,
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
import { get, post, type SessionInfo } from '../../api';
import { useSession } from '../../session';
import { ErrorAlert } from '../../ui/ErrorAlert';

export function LoginPage() {
  const { session, setSession } = useSession();
  const navigate = useNavigate();
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
    document.title = 'Sign in · Citywall';
  }, []);
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
          Sign in to your city's cybersecurity workspace.
        </Text>
        <form onSubmit={submit} aria-label="Sign in">
          <Stack>
            <ErrorAlert error={login.error} title="Sign-in failed" />
            <TextInput
              label="Email"
              type="email"
              autoComplete="username"
              required
              value={email}
              onChange={(e) => setEmail(e.currentTarget.value)}
              autoFocus
            />
            <PasswordInput
              label="Password"
              autoComplete="current-password"
              required
              value={password}
              onChange={(e) => setPassword(e.currentTarget.value)}
            />
            <Button type="submit" loading={login.isPending} fullWidth>
              Sign in
            </Button>
          </Stack>
        </form>
        {config.data?.oidc.enabled && (
          <>
            <Divider my="md" label="or" labelPosition="center" />
            <Button component="a" href="/api/v1/auth/oidc/login" variant="default" fullWidth>
              {config.data.oidc.label}
            </Button>
          </>
        )}
        <Text size="xs" c="dimmed" mt="lg">
          Forgot your password? An administrator can reset it, or run{' '}
          <Code>citywall user reset-password</Code> on the server.
        </Text>
      </Paper>
    </Center>
  );
}
