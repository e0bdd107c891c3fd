import type { Command } from 'commander';
import { ROLES, type Role } from '../../server/db/schema/orgs.js';
import { AppError } from '../../server/errors.js';
import { authService } from '../../server/modules/auth/auth.service.js';
import { orgsRepository, usersRepository } from '../../server/modules/orgs/orgs.repository.js';
import { orgsService } from '../../server/modules/orgs/orgs.service.js';
import { withDatabase } from '../db.js';
import { say } from '../runtime.js';

export function userCommands(program: Command) {
  const user = program.command('user').description('manage user accounts');
  user
    .command('create')
    .description('create a user; prints a one-time password unless --password is given')
    .requiredOption('--email <email>', 'email address (the sign-in name)')
    .option('--name <name>', 'display name')
    .option('--password <password>', 'initial password (at least 12 characters)')
    .option('--admin', 'make the user an instance administrator', false)
    .option('--org <slug>', 'organization to add the user to')
    .option('--role <role>', `role in --org (${ROLES.join(', ')})`, 'viewer')
    .action(async (o) => {
      if (o.org && !ROLES.includes(o.role))
        throw new AppError('validation', `--role must be one of ${ROLES.join(', ')}`);
      await withDatabase(async (_db, ctx) => {
        const { user: u, oneTimePassword } = await orgsService.createUser(ctx, {
          email: o.email,
          name: o.name ?? o.email.split('@')[0],
          password: o.password,
          isInstanceAdmin: o.admin,
        });
        if (o.org) {
          const org = await orgsRepository.bySlug(ctx.db, o.org);
          if (!org) throw new AppError('not_found', `No organization with slug ${o.org}`);
          await orgsService.addMember(ctx, org.id, { email: u.email, role: o.role as Role, inherit: true });
        }
        say(`Created ${u.email}${o.org ? ` (${o.role} in ${o.org})` : ''}`);
        if (oneTimePassword) say(`One-time password: ${oneTimePassword}`);
      });
    });
  user
    .command('list')
    .description('list user accounts')
    .option('--search <text>', 'filter by email or name')
    .action(async (o) => {
      await withDatabase(async (_db, ctx) => {
        const { items, total } = await orgsService.listUsers(ctx, o.search, 500, 0);
        for (const u of items)
          say(
            `${u.email}\t${u.name}${u.isInstanceAdmin ? '\tinstance admin' : ''}${u.disabled ? '\tdisabled' : ''}`,
          );
        say(`${total} user(s)`);
      });
    });
  user
    .command('reset-password')
    .description('set a new one-time password and unlock the account')
    .requiredOption('--email <email>')
    .action(async (o) => {
      await withDatabase(async (_db, ctx) => {
        const u = await usersRepository.byEmail(ctx.db, o.email);
        if (!u) throw new AppError('not_found', `No user with email ${o.email}`);
        const { oneTimePassword } = await orgsService.updateUser(ctx, u.id, { resetPassword: true });
        say(`One-time password for ${u.email}: ${oneTimePassword}`);
      });
    });

  const token = program.command('token').description('manage API tokens');
  token
    .command('create')
    .description('create an API token for a user; the token is printed alone on the last line')
    .requiredOption('--email <email>', 'the user the token acts as')
    .requiredOption('--name <name>', 'what the token is for')
    .option('--scope <scope>', 'read or write', 'read')
    .option('--days <days>', 'days until it expires (0 = never)', '90')
    .action(async (o) => {
      if (!['read', 'write'].includes(o.scope))
        throw new AppError('validation', '--scope must be read or write');
      const days = Number(o.days);
      if (!Number.isInteger(days) || days < 0 || days > 3650)
        throw new AppError('validation', '--days must be a whole number from 0 to 3650');
      await withDatabase(async (_db, ctx) => {
        const u = await usersRepository.byEmail(ctx.db, o.email);
        if (!u) throw new AppError('not_found', `No user with email ${o.email}`);
        const { token: secret, apiToken } = await authService.createToken(
          ctx,
          { name: o.name, scope: o.scope, expiresInDays: days || null },
          u.id,
        );
        say(
          `Created ${apiToken.scope} token "${apiToken.name}" for ${u.email}${apiToken.expiresAt ? `, expires ${apiToken.expiresAt.toISOString()}` : ', never expires'}. It is shown only now:`,
        );
        say(secret);
      });
    });
  token
    .command('list')
    .description("list a user's active API tokens (never the secrets)")
    .requiredOption('--email <email>')
    .action(async (o) => {
      await withDatabase(async (_db, ctx) => {
        const u = await usersRepository.byEmail(ctx.db, o.email);
        if (!u) throw new AppError('not_found', `No user with email ${o.email}`);
        const tokens = await authService.listTokens(ctx, u.id);
        for (const t of tokens) {
          say(
            `${t.id}\t${t.prefix}…\t${t.scope}\t${t.name}\texpires ${t.expiresAt?.toISOString() ?? 'never'}`,
          );
        }
        say(`${tokens.length} token(s)`);
      });
    });
  token
    .command('revoke')
    .description('revoke an API token by its id')
    .requiredOption('--id <id>')
    .action(async (o) => {
      if (!/^[0-9a-f-]{36}$/i.test(o.id))
        throw new AppError('validation', '--id must be a token id as printed by token list');
      await withDatabase(async (_db, ctx) => {
        await authService.revokeToken(ctx, o.id);
        say(`Revoked token ${o.id}`);
      });
    });
}
