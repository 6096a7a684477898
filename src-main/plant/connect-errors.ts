/**
 * Why a connection attempt failed, sorted into what retrying can fix (the server is down, the network
 * dropped) and what only the user can (a refused identity, a missing security policy, a rejected or expired
 * certificate). A blocked connection stops retrying and says what to change.
 */
import { UserTokenType, type UserIdentityInfo } from "node-opcua";
import type { CertificateInfo, Identity } from "./types";

/** A failure retrying cannot fix; the message says what the user must change. */
export class BlockedError extends Error {
  constructor(
    message: string,
    readonly certificate?: CertificateInfo,
  ) {
    super(message);
    this.name = "BlockedError";
  }
}

/** The server's certificate is not trusted yet: the user must decide. */
export class UntrustedCertificateError extends Error {
  constructor(
    readonly der: Buffer,
    readonly certificate: CertificateInfo,
  ) {
    super(`the server certificate "${certificate.subject}" (thumbprint ${certificate.thumbprint}) is not trusted yet: trust or reject it`);
    this.name = "UntrustedCertificateError";
  }
}

const IDENTITY_REFUSED = /BadUserAccessDenied|BadIdentityTokenRejected|BadIdentityTokenInvalid|BadUserSignatureInvalid/;
/** Mostly the server not trusting this client's certificate (BadSecurityChecksFailed is what servers answer then). */
const SECURITY_REFUSED = /BadSecurityChecksFailed|BadSecurityPolicyRejected|BadSecurityModeRejected|BadCertificateUriInvalid|BadCertificateUseNotAllowed|BadApplicationSignatureInvalid/;

/** Turns a node-opcua failure into a BlockedError when retrying cannot help; returns other errors as they are. */
export function classifyConnectError(err: unknown, what: { endpoint: string; identity: string }): Error {
  const error = err instanceof Error ? err : new Error(String(err));
  if (error instanceof BlockedError || error instanceof UntrustedCertificateError) return error;
  const text = error.message;
  const code = /Bad[A-Za-z]+/.exec(text)?.[0];
  if (IDENTITY_REFUSED.test(text)) {
    return new BlockedError(`the server refused the identity ${what.identity} (${code}): check the user name and password`);
  }
  if (SECURITY_REFUSED.test(text)) {
    return new BlockedError(`the server refused this client's security settings or certificate (${code}): the server may need to trust this client's certificate, then retry`);
  }
  if (/BadTcpEndpointUrlInvalid|BadServerUriInvalid/.test(text)) return new BlockedError(`the server rejected the endpoint URL ${what.endpoint} (${code})`);
  return error;
}

/** The identity node-opcua sends; a password named by an environment variable is read now. */
export function userIdentityOf(identity: Identity | undefined, connection: string): UserIdentityInfo {
  if (!identity || identity.type === "anonymous") return { type: UserTokenType.Anonymous };
  let password = identity.password;
  if (password === undefined && identity.passwordEnv) {
    password = process.env[identity.passwordEnv];
    if (password === undefined) {
      throw new BlockedError(`the environment variable ${identity.passwordEnv} (the password of user "${identity.user}" for connection ${connection}) is not set`);
    }
  }
  return { type: UserTokenType.UserName, userName: identity.user, password: password ?? "" };
}

export function identityLabel(identity: Identity | undefined): string {
  return !identity || identity.type === "anonymous" ? "anonymous" : `user "${identity.user}"`;
}
