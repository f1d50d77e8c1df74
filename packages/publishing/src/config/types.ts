// The resolved publishing configuration: what load-config returns once defaults are
// applied and the file has been validated against config/publishing-config.schema.json.
// Keys keep the file's kebab-case so `config-json` reads like the YAML it came from.

export interface RegistryLocation {
  registry: string;
  namespace: string;
}

export interface ImageConfig {
  name: string;
  'production-name'?: string;
  platforms?: string[];
  description?: string;
  readme?: string;
}

export interface NpmConfig {
  registry: string;
  scope: string;
  access: 'public' | 'restricted';
  provenance: boolean;
  staged: boolean;
  packages: { path: string }[];
}

export interface MavenConfig {
  'group-id': string;
  'repository-path': string;
  'central-url': string;
  'publishing-type': 'automatic' | 'user-managed';
  'wait-until': 'published' | 'validated';
  snapshots: boolean;
}

export interface PublishingConfig {
  docker: {
    staging: RegistryLocation;
    production: RegistryLocation;
    images: ImageConfig[];
  };
  npm?: NpmConfig;
  maven?: MavenConfig;
  versioning: {
    'base-version': string;
    offset: number;
    'on-regression': 'fail' | 'bump';
    'tag-prefix': string;
    'floating-tags': boolean;
  };
  publishing: {
    'production-branch': string;
    'force-publish': boolean;
  };
  cleanup: {
    'keep-last': number;
    'max-age-days': number;
    'preserve-marker': string;
  };
}
