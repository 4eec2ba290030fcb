// Runs many defaust command lines in one child process, one after another, through the CLI's own `main`
// (the same code bin/defaust.mjs runs), so a battery of hundreds of inputs does not pay Node's start-up
// for each. Reads the cases from the JSON file named by argv[2]; prints one JSON array of results.
import { readFileSync } from 'node:fs';
import { main } from '../src-main/cli/main.ts';

interface Case {
  args: string[];
  env?: Record<string, string | undefined>;
}

const cases = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as Case[];
const base = { ...process.env };
const results: { code: number; stdout: string; stderr: string }[] = [];
const write = { out: process.stdout.write.bind(process.stdout), err: process.stderr.write.bind(process.stderr) };
for (const c of cases) {
  let stdout = '';
  let stderr = '';
  process.stdout.write = ((chunk: string | Uint8Array) => ((stdout += String(chunk)), true)) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => ((stderr += String(chunk)), true)) as typeof process.stderr.write;
  for (const key of Object.keys(process.env)) if (!(key in base)) delete process.env[key];
  for (const [key, value] of Object.entries({ ...base, ...c.env })) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  let code: number;
  try {
    code = await main(c.args, process.env);
  } catch (error) {
    code = -1;
    stderr += `escaped main: ${(error as Error).stack}`;
  }
  process.stdout.write = write.out;
  process.stderr.write = write.err;
  results.push({ code, stdout, stderr });
}
process.stdout.write(JSON.stringify(results) + '\n');
process.exit(0);
