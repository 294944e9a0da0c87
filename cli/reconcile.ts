import { runRepairCommand } from './site-repair';

/**
 * `npm run reconcile`: makes the bucket exactly what the table says is public: writes missing or stale
 * pages, deletes pages of withdrawn articles and anything else the table does not explain, re-renders
 * every list, invalidates what changed. `--dry-run` prints the plan. Safe to interrupt and run again.
 */
await runRepairCommand({ name: 'reconcile', force: false });
