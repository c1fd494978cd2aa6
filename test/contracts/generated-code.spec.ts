/**
 * libs/contracts/src/generated is never edited by hand: regenerating it from proto/ must reproduce
 * the committed files exactly. A failure means someone edited generated code or forgot
 * `npm run proto:generate` after changing a .proto file.
 */
import { execFileSync } from 'child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'fs';
import { tmpdir } from 'os';
import { join, relative, resolve } from 'path';

const root = resolve(__dirname, '../..');
const committed = join(root, 'libs/contracts/src/generated');

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? listFiles(full) : [full];
  });
}

describe('generated protobuf TypeScript', () => {
  it('matches what buf generates from proto/', () => {
    const out = mkdtempSync(join(tmpdir(), 'verihub-proto-'));
    try {
      execFileSync(process.execPath, [require.resolve('@bufbuild/buf/bin/buf'), 'generate', '-o', out], { cwd: root, stdio: 'pipe' });
      const fresh = join(out, 'libs/contracts/src/generated');
      const freshFiles = listFiles(fresh).map((f) => relative(fresh, f)).sort();
      const committedFiles = listFiles(committed).map((f) => relative(committed, f)).filter((f) => f !== 'index.ts').sort();
      expect(committedFiles).toEqual(freshFiles);
      for (const file of freshFiles) {
        expect({ file, text: readFileSync(join(committed, file), 'utf8') }).toEqual({ file, text: readFileSync(join(fresh, file), 'utf8') });
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
