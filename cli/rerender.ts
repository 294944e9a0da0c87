import { runRepairCommand } from './site-repair';

/**
 * `npm run rerender`: reconcile, re-rendering every page even when it is current (after a template
 * change); it prunes like reconcile, and invalidates the whole distribution once instead of every path.
 */
await runRepairCommand({ name: 'rerender', force: true });
