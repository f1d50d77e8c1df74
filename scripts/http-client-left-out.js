// Stands in for @actions/http-client in the bundles (see scripts/build.mjs): @actions/core
// imports it only for getIDToken, which no ci-actions action calls. Using it fails loudly.
const leftOut = (what) => {
  throw new Error(`${what} is not bundled with this action: ci-actions leaves @actions/http-client out (see scripts/build.mjs)`);
};

export class HttpClient {
  constructor() {
    leftOut('@actions/http-client');
  }
}

export class BearerCredentialHandler {
  constructor() {
    leftOut('@actions/http-client/lib/auth');
  }
}
