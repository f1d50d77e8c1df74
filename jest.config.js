// ESM TypeScript under Jest: ts-jest's ESM preset, run with --experimental-vm-modules
// (see scripts/test). Imports keep their `.js` suffix as NodeNext requires; the mapper
// strips it so Jest finds the `.ts` source.
export default {
  preset: 'ts-jest/presets/default-esm',
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: {
    '^(\\.{1,2}/.*)\\.js$': '$1',
    // The workspace package @ci-actions/publishing, from its TypeScript sources.
    '^@ci-actions/publishing/(.*)\\.js$': '<rootDir>/packages/publishing/src/$1',
  },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.test.json' }] },
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  testTimeout: 120000,
};
