// One webpack compile for every application of nest-cli.json: dist/apps/<app>/main.js, as `nest build <app>`
// would lay it out, but in a single pass (the libs are compiled once, not once per app). Type checking is
// `npm run typecheck` (part of `npm test`); here TypeScript is only transpiled.
const path = require('path');
const nodeExternals = require('webpack-node-externals');
const { TsconfigPathsPlugin } = require('tsconfig-paths-webpack-plugin');
const nestCli = require('./nest-cli.json');

const entry = {};
for (const [name, project] of Object.entries(nestCli.projects)) {
  if (project.type !== 'application') continue;
  entry[`apps/${name}/main`] = path.resolve(__dirname, project.sourceRoot, `${project.entryFile}.ts`);
}

module.exports = {
  mode: 'none',
  target: 'node',
  entry,
  devtool: 'source-map',
  externals: [nodeExternals()],
  externalsPresets: { node: true },
  node: { __dirname: false, __filename: false },
  output: { path: path.resolve(__dirname, 'dist'), filename: '[name].js', clean: false },
  resolve: {
    extensions: ['.ts', '.js', '.json'],
    plugins: [new TsconfigPathsPlugin({ configFile: path.resolve(__dirname, 'tsconfig.json') })],
  },
  module: {
    rules: [
      {
        test: /\.ts$/,
        exclude: /node_modules/,
        use: { loader: 'ts-loader', options: { transpileOnly: true, configFile: 'tsconfig.json' } },
      },
    ],
  },
  optimization: { minimize: false, nodeEnv: false, splitChunks: false },
  stats: 'errors-warnings',
  ignoreWarnings: [/Critical dependency/, /Module not found: Error: Can't resolve/],
};
