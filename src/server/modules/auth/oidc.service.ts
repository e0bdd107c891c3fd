import * as client from 'openid-client';
import type { OidcConfig } from '../../config.js';
import { SYSTEM_ACTOR } from '../../context.js';
import type { Db } from '../../db/client.js';
import { ROLES, type Role } from '../../db/schema/orgs.js';
import { AppError } from '../../errors.js';
import { auditService } from '../audit/audit.service.js';
import {
  membershipsRepository,
  orgsRepository,
  type UserRow,
  usersRepository,
} from '../orgs/orgs.repository.js';

const RANK: Record<Role, number> = { viewer: 0, auditor: 1, contributor: 2, analyst: 3, admin: 4 };

const discovered = new Map<string, Promise<client.Configuration>>();

function isLocal(url: string) {
  const h = new URL(url).hostname;
  return h === 'localhost' || h === '127.0.0.1' || h === '[::1]';
}

export function oidcClient(cfg: OidcConfig): Promise<client.Configuration> {
  let c = discovered.get(cfg.issuer);
  if (!c) {
    // Plain http is accepted only for an identity provider on this machine (development and tests).
    const insecure = cfg.issuer.startsWith('http://') && isLocal(cfg.issuer);
    c = client
      .discovery(
        new URL(cfg.issuer),
        cfg.clientId,
        cfg.clientSecret,
        undefined,
        insecure ? { execute: [client.allowInsecureRequests] } : undefined,
      )
      .catch((e) => {
        discovered.delete(cfg.issuer);
        throw new AppError(
          'unavailable',
          `The identity provider ${cfg.issuer} could not be reached: ${(e as Error).message}`,
        );
      });
    discovered.set(cfg.issuer, c);
  }
  return c;
}

/** The strongest role the identity provider's claim maps to, or null. */
export function mapRole(cfg: OidcConfig, claims: Record<string, unknown>): Role | null {
  const raw = claims[cfg.roleClaim];
  const values = Array.isArray(raw) ? raw.map(String) : typeof raw === 'string' ? raw.split(/[\s,]+/) : [];
  let best: Role | null = null;
  for (const v of values) {
    const role = cfg.roleMap[v] as Role | undefined;
    if (role && ROLES.includes(role) && (best === null || RANK[role] > RANK[best])) best = role;
  }
  return best;
}

export async function beginLogin(cfg: OidcConfig, redirectUri: string) {
  const conf = await oidcClient(cfg);
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  const url = client.buildAuthorizationUrl(conf, {
    redirect_uri: redirectUri,
    scope: 'openid email profile',
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    nonce,
  });
  return { url: url.href, verifier, state, nonce };
}

/** Exchanges the code, then finds or provisions the user and brings their role in line with the claim. */
export async function completeLogin(
  db: Db,
  cfg: OidcConfig,
  callbackUrl: URL,
  pending: { verifier: string; state: string; nonce: string },
): Promise<UserRow> {
  const conf = await oidcClient(cfg);
  let claims: Record<string, unknown>;
  try {
    const tokens = await client.authorizationCodeGrant(conf, callbackUrl, {
      pkceCodeVerifier: pending.verifier,
      expectedState: pending.state,
      expectedNonce: pending.nonce,
    });
    claims = { ...(tokens.claims() ?? {}) };
    if (tokens.access_token) {
      const info = await client
        .fetchUserInfo(conf, tokens.access_token, String(claims.sub))
        .catch(() => ({}));
      claims = { ...info, ...claims };
    }
  } catch (e) {
    throw new AppError('unauthenticated', `Single sign-on failed: ${(e as Error).message}`);
  }
  const subject = `${cfg.issuer}#${String(claims.sub)}`;
  const email = typeof claims.email === 'string' ? claims.email : undefined;
  const role = mapRole(cfg, claims);
  const org = cfg.orgSlug
    ? await orgsRepository.bySlug(db, cfg.orgSlug)
    : (await orgsRepository.all(db)).find((o) => !o.parentId);
  if (cfg.orgSlug && !org)
    throw new AppError(
      'unavailable',
      `CITYWALL_OIDC_ORG names an organization (${cfg.orgSlug}) that does not exist`,
    );
  return db.transaction(async (tx) => {
    let user =
      (await usersRepository.bySubject(tx, subject)) ??
      (email ? await usersRepository.byEmail(tx, email) : undefined);
    const ctx = { actor: SYSTEM_ACTOR };
    if (!user) {
      if (!role || !email)
        throw new AppError(
          'forbidden',
          'Your single sign-on account has no Citywall role: ask an administrator to grant one',
        );
      user = await usersRepository.insert(tx, {
        email,
        name: typeof claims.name === 'string' ? claims.name : email,
        oidcSubject: subject,
      });
      await auditService.record(tx, ctx, {
        orgId: org?.id ?? null,
        action: 'user.create.oidc',
        targetType: 'user',
        targetId: user.id,
        after: { email, subject },
      });
    } else if (!user.oidcSubject) {
      user = await usersRepository.update(tx, user.id, { oidcSubject: subject });
    }
    if (user.disabled) throw new AppError('forbidden', 'This account is disabled');
    if (role && org) {
      const existing = await membershipsRepository.find(tx, user.id, org.id);
      if (!existing) {
        const m = await membershipsRepository.insert(tx, {
          userId: user.id,
          orgId: org.id,
          role,
          inherit: true,
        });
        await auditService.record(tx, ctx, {
          orgId: org.id,
          action: 'membership.create.oidc',
          targetType: 'membership',
          targetId: m.id,
          after: m,
        });
      } else if (existing.role !== role) {
        const m = await membershipsRepository.update(tx, existing.id, { role });
        await auditService.record(tx, ctx, {
          orgId: org.id,
          action: 'membership.update.oidc',
          targetType: 'membership',
          targetId: m.id,
          before: existing,
          after: m,
        });
      }
    }
    return usersRepository.update(tx, user.id, { lastLoginAt: new Date() });
  });
}
