// Bundles bench/run.ts to plain JavaScript for Node versions that cannot strip TypeScript types
// (Node 20). The bundle sits beside run.ts, so the paths run.ts builds from import.meta.url still
// hold; the package root, which src/core/catalog/paths.ts finds three levels up, is one level up.
export default {
  input: 'bench/run.ts',
  platform: 'node',
  // Packages stay imports, resolved from node_modules at run time as they are for run.ts.
  external: (id) => !id.startsWith('.') && !id.startsWith('/') && !id.startsWith('\0'),
  plugins: [
    {
      name: 'package-root',
      transform(code, id) {
        return id.endsWith('/src/core/catalog/paths.ts') ? code.replace("'../../../'", "'../'") : undefined;
      },
    },
  ],
  output: { file: 'bench/.run.bundle.mjs', format: 'esm' },
};
