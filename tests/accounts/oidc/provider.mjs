// A real OpenID Connect provider for the tests: panva's oidc-provider (OpenID Certified),
// configured like ProConnect (authorization code + PKCE, RS256-signed ID token and signed
// userinfo, acr/amr, RP-initiated logout) and started on the loopback by tests/accounts/oidc/.
//
// Configuration: the JSON in OIDC_TEST_CONFIG: { port, clients: [{client_id, client_secret,
// redirect_uris, post_logout_redirect_uris, userinfo_signed: bool}], accounts: {sub: claims},
// jwk: private RSA JWK, foreign_jwk: another private RSA JWK, misbehave: {client_id: mode} }.
// Prints "READY <issuer>" once it listens.
//
// The provider is never mocked. Where the real one cannot be made to misbehave (it always
// signs with its key, for the right client and nonce), the client's mode below re-signs its
// real answer after one claim is changed, with the provider's own key ("wrong-nonce",
// "wrong-audience", "userinfo-other-sub") or with a key it does not publish ("foreign-key",
// "userinfo-foreign-key"). "expire" is the real provider with a 1-second ID token lifetime
// whose token answer is 2 seconds late.
import crypto from 'node:crypto';
import Provider from 'oidc-provider';

const cfg = JSON.parse(process.env.OIDC_TEST_CONFIG);
const issuer = `http://127.0.0.1:${cfg.port}`;
const misbehave = cfg.misbehave || {};

const b64 = (buffer) => Buffer.from(buffer).toString('base64url');
const decode = (part) => JSON.parse(Buffer.from(part, 'base64url').toString());

function resign(jwt, change, jwk) {
  const [header, payload] = jwt.split('.');
  const claims = decode(payload);
  change(claims);
  const signingInput = `${header}.${b64(JSON.stringify(claims))}`;
  const key = crypto.createPrivateKey({ key: jwk, format: 'jwk' });
  return `${signingInput}.${b64(crypto.sign('sha256', Buffer.from(signingInput), key))}`;
}

const provider = new Provider(issuer, {
  clients: cfg.clients.map((c) => ({
    client_id: c.client_id,
    client_secret: c.client_secret,
    redirect_uris: c.redirect_uris,
    post_logout_redirect_uris: c.post_logout_redirect_uris,
    response_types: ['code'],
    grant_types: ['authorization_code'],
    id_token_signed_response_alg: 'RS256',
    ...(c.userinfo_signed === false ? {} : { userinfo_signed_response_alg: 'RS256' }),
  })),
  jwks: { keys: [cfg.jwk] },
  pkce: { required: () => true },
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    given_name: ['given_name'],
    usual_name: ['usual_name'],
    acr: null,
    amr: null,
  },
  features: {
    devInteractions: { enabled: false },
    claimsParameter: { enabled: true },
    rpInitiatedLogout: { enabled: true },
    jwtUserinfo: { enabled: true },
  },
  scopes: ['openid', 'email', 'given_name', 'usual_name'],
  acrValues: ['eidas1', 'eidas2', 'eidas3'],
  ttl: {
    AccessToken: 600,
    Grant: 3600,
    Interaction: 600,
    Session: 3600,
    IdToken: (ctx, token, client) => (misbehave[client.clientId] === 'expire' ? 1 : 3600),
  },
  cookies: { keys: ['cle-de-test-du-fournisseur'] },
  findAccount: async (ctx, sub) => {
    const account = cfg.accounts[sub];
    if (!account) return undefined;
    return { accountId: sub, claims: async () => ({ sub, ...account }) };
  },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
});

// The user's side of the login: the test's browser says who signs in and how
// (?account=<sub>&acr=eidas2&amr=pwd,mfa): the provider then asks nothing more.
provider.use(async (ctx, next) => {
  const match = ctx.path.match(/^\/interaction\/([^/]+)$/);
  if (!match) return next();
  const details = await provider.interactionDetails(ctx.req, ctx.res);
  const { prompt, params } = details;
  let result;
  if (prompt.name === 'login') {
    const account = ctx.query.account;
    if (!account || !cfg.accounts[account]) {
      ctx.status = 400;
      ctx.body = 'Qui se connecte ?';
      return undefined;
    }
    result = {
      login: {
        accountId: account,
        acr: ctx.query.acr || 'eidas1',
        amr: ctx.query.amr ? ctx.query.amr.split(',') : ['pwd'],
      },
    };
  } else {
    const grant = new provider.Grant({ accountId: details.session.accountId, clientId: params.client_id });
    grant.addOIDCScope(String(params.scope));
    if (prompt.details.missingOIDCClaims) grant.addOIDCClaims(prompt.details.missingOIDCClaims);
    result = { consent: { grantId: await grant.save() } };
  }
  return provider.interactionFinished(ctx.req, ctx.res, result, { mergeWithLastSubmission: true });
});

// The misbehaving clients (see the header).
provider.use(async (ctx, next) => {
  await next();
  const clientId = ctx.oidc && ctx.oidc.client && ctx.oidc.client.clientId;
  const mode = clientId && misbehave[clientId];
  if (!mode || ctx.status !== 200) return;
  if (ctx.path === '/token' && ctx.body && ctx.body.id_token) {
    if (mode === 'wrong-nonce') ctx.body.id_token = resign(ctx.body.id_token, (c) => { c.nonce = 'un-autre-nonce'; }, cfg.jwk);
    if (mode === 'wrong-audience') ctx.body.id_token = resign(ctx.body.id_token, (c) => { c.aud = 'un-autre-service'; }, cfg.jwk);
    if (mode === 'foreign-key') ctx.body.id_token = resign(ctx.body.id_token, () => {}, { ...cfg.foreign_jwk, kid: cfg.jwk.kid });
    if (mode === 'expire') await new Promise((resolve) => { setTimeout(resolve, 2000); });
  }
  if (ctx.path === '/me' && typeof ctx.body === 'string') {
    if (mode === 'userinfo-other-sub') ctx.body = resign(ctx.body, (c) => { c.sub = 'quelqu-un-d-autre'; }, cfg.jwk);
    if (mode === 'userinfo-foreign-key') ctx.body = resign(ctx.body, () => {}, { ...cfg.foreign_jwk, kid: cfg.jwk.kid });
  }
});

provider.listen(cfg.port, '127.0.0.1', () => {
  process.stdout.write(`READY ${issuer}\n`);
});
