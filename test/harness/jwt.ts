// Minimal RS256 JWT signing/decoding for the fake registry token server. Decoding does
// not verify: tests use it to look at what was issued; the registry does the verifying.
import { sign, type KeyObject } from 'node:crypto';

export interface RegistryAccess {
  type: string;
  name: string;
  actions: string[];
}

export interface RegistryClaims {
  iss: string;
  sub: string;
  aud: string;
  exp: number;
  nbf: number;
  iat: number;
  jti: string;
  access: RegistryAccess[];
}

export interface JwtHeader {
  typ: string;
  alg: string;
  x5c?: string[];
  kid?: string;
}

export function signJwt(header: JwtHeader, claims: RegistryClaims, key: KeyObject): string {
  const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
  const signature = sign('sha256', Buffer.from(input), key); // RSASSA-PKCS1-v1_5 = RS256
  return `${input}.${b64url(signature)}`;
}

export function decodeJwt(token: string): { header: JwtHeader; claims: RegistryClaims } {
  const parts = token.split('.');
  if (parts.length !== 3) throw new Error('not a compact JWT');
  return {
    header: JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8')) as JwtHeader,
    claims: JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as RegistryClaims,
  };
}

function b64url(data: string | Buffer): string {
  return Buffer.from(data).toString('base64url');
}
