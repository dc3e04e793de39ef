import { loadMunicipalities, type RuntimeEnv } from '@bijstand/platform';
import {
  alertChannelsOf,
  BankFileError,
  exportBatch,
  exportText,
  importBankFile,
  importText,
  payingMunicipalities,
  type PayingMunicipality,
  PaymentsConfigurationError,
  reconcilePayday,
  reconciliationText,
  writeBankFile,
} from '@bijstand/payments';
import { UsageError } from '../args.js';
import { deploymentConfig, deploymentMunicipality, nowInstant, readInputFile, withStore } from './shared.js';

/** The municipalities a payment command is about: the one named, or (reconcile) every one of the deployment. */
function selected(env: RuntimeEnv, code: string | undefined, command: 'export' | 'reconcile'): PayingMunicipality[] {
  const m = deploymentConfig(env, 'no debtor account is configured (its `payments`), so no new batch can be made');
  if (m.mode === 'single') {
    if (code !== undefined)
      throw new UsageError(
        '--municipality: MUNICIPALITY_CONFIG names one municipality, which pays every household; leave it out',
      );
    return payingMunicipalities(m);
  }
  if (code !== undefined)
    return [{ settings: m.byCode.get(deploymentMunicipality(m, code))!, belongsTo: m.belongsTo(code) }];
  if (command === 'export')
    throw new UsageError(`--municipality: one file per municipality; name one of ${m.codes.join(', ')}`);
  return payingMunicipalities(m);
}

/** PAYMENTS_EXPORT_PAUSE=before-append|after-append: a test hook that stops the export there (to kill it). */
async function pauseHook(at: string): Promise<void> {
  if (process.env.PAYMENTS_EXPORT_PAUSE !== at) return;
  process.stderr.write(`paused ${at}\n`);
  await new Promise((resolve) => setTimeout(resolve, 60_000));
}

function writeOut(out: string, xml: string): void {
  try {
    writeBankFile(out, xml);
  } catch (err) {
    throw new UsageError(`cannot write ${out}: ${(err as Error).message}`);
  }
}

export async function paymentsExportCommand(options: {
  payday: string;
  municipality?: string;
  out: string;
  store?: string;
}): Promise<void> {
  await withStore(options, 'existing', async (store, env) => {
    const [{ settings, belongsTo }] = selected(env, options.municipality, 'export') as [PayingMunicipality];
    try {
      const result = await exportBatch(store, {
        payday: options.payday,
        municipality: settings,
        belongsTo,
        now: nowInstant(),
        pause: pauseHook,
      });
      if (result.status !== 'nothing-to-pay') writeOut(options.out, result.xml);
      process.stderr.write(exportText(result, options.out));
    } catch (err) {
      if (err instanceof PaymentsConfigurationError) throw new UsageError(err.message);
      throw err;
    }
  });
}

export async function paymentsImportCommand(file: string, options: { store?: string }): Promise<void> {
  const xml = readInputFile(file);
  await withStore(options, 'existing', async (store, env) => {
    try {
      process.stdout.write(
        importText(
          await importBankFile(
            store,
            xml,
            nowInstant(),
            alertChannelsOf(loadMunicipalities(env.MUNICIPALITY_CONFIG), env),
          ),
        ),
      );
    } catch (err) {
      if (err instanceof BankFileError) throw new UsageError(`${file}: ${err.message}`);
      throw err;
    }
  });
}

export async function paymentsReconcileCommand(options: {
  payday: string;
  municipality?: string;
  json?: boolean;
  store?: string;
}): Promise<void> {
  await withStore(options, 'read-only', async (store, env) => {
    const rows = await reconcilePayday(store, options.payday, selected(env, options.municipality, 'reconcile'));
    process.stdout.write(options.json ? `${JSON.stringify(rows, null, 2)}\n` : reconciliationText(rows));
  });
}
