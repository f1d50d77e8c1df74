// Tags that are about another manifest rather than names of an image: the OCI referrers
// fallback (`sha256-<hex>`, an index of the artifacts referring to sha256:<hex>) and
// cosign's tag scheme, where the signatures, attestations and SBOM of sha256:<hex> live
// under `sha256-<hex>.sig`, `.att` and `.sbom`.
const REFERRER_TAG = /^sha256-([a-f0-9]{64})(\.(?:sig|att|sbom))?$/;

/** The digest a referrer tag (`sha256-<hex>`, cosign's `sha256-<hex>.sig`) is about. */
export function referrerTagSubject(tag: string): string | undefined {
  const match = REFERRER_TAG.exec(tag);
  return match ? `sha256:${match[1]}` : undefined;
}

/** The digest a cosign tag (`sha256-<hex>.sig`, `.att`, `.sbom`) is about; undefined for any other tag. */
export function cosignTagSubject(tag: string): string | undefined {
  const match = REFERRER_TAG.exec(tag);
  return match?.[2] ? `sha256:${match[1]}` : undefined;
}
