import { ENV } from '../functions/config/environment';

/**
 * `npm run rerender`: re-render every page even when it is current (after a template change); it prunes
 * like reconcile, and invalidates the whole distribution once instead of every path.
 *
 * Against a deployment (TABLE_NAME set, or `--aws`) the pages are rendered in AWS: the archive goes to the
 * re-render queue in chunks and the stack's chunk function renders them (cli/rerender-aws.ts), so a large
 * archive never waits on this machine's connection. Locally it is the repair of the local stack, forced.
 */
if (process.env[ENV.tableName] || process.argv.includes('--aws')) {
  const { runArchiveRerender } = await import('./rerender-aws');
  await runArchiveRerender();
} else {
  const { runRepairCommand } = await import('./site-repair');
  await runRepairCommand({ name: 'rerender', force: true });
}
