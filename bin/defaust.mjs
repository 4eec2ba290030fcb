#!/usr/bin/env node
// Entry point of the `defaust` command. The sources are TypeScript run by Node's own type stripping
// (Node 22.18 or newer), so there is no build step between a change and the command.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 18)) {
  console.error(`defaust: needs Node.js 22.18 or newer (this is ${process.versions.node}); see README.md`);
  process.exit(2);
}
const { main } = await import('../src-main/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
