/**
 * A vitest reporter that ends the run with the list of tests skipped because
 * a reference tool is missing (their titles carry "[skipped: ... not
 * available]", see reference-tools.ts), so a contributor sees what did not run.
 */
import type { Reporter, TestModule } from 'vitest/node';

export default class SkippedReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const skipped: string[] = [];
    for (const m of testModules) {
      for (const t of m.children.allTests('skipped')) {
        if (/\[skipped: /.test(t.fullName)) skipped.push(`  ${m.moduleId.replace(process.cwd() + '/', '')} > ${t.fullName}`);
      }
    }
    if (skipped.length === 0) return;
    process.stdout.write(
      `\n${skipped.length} tests skipped because a reference tool is missing (the lines starting "SKIPPED" above say how to install it):\n${skipped.join('\n')}\n\n`,
    );
  }
}
