import { Command, Option } from 'commander';
import { ALERT_KINDS, ALERT_SORTS, ALERT_STATES } from '@bijstand/alerts';
import { DEFAULT_SQLITE_PATH, INSECURE_DEV_KEY_OPT_IN } from '@bijstand/platform';
import {
  boundedText,
  dateValue,
  asOfValue,
  instantValue,
  monthValue,
  municipalityValue,
  nonEmptyValue,
  positiveIntValue,
  wallTimeValue,
  yearValue,
} from './args.js';

const EXIT_CODES = `
Exit codes:
  0  done
  1  failed (a household not settled, a run stopped before the end, a rules change not accepted, an unexpected error)
  2  usage (unknown command or flag, wrong value, wrong environment or configuration)
  3  done with rejected input (ingest: some messages were rejected and stored with their reason)`;

const ENVIRONMENT = `
Store: --store memory|sqlite|PATH on every command; without it EVENTSTORE_CONNECTION_STRING, else
SQLITE_PATH, else ${DEFAULT_SQLITE_PATH} (the store \`make run\` fills).
Environment: REDIS_URL, MUNICIPALITY_CONFIG, LOG_LEVEL, … (README, "Environment").
BSN_PSEUDONYM_KEY (at least 32 bytes, hex or base64) is required by ingest, demo and scenario with
--store PATH; --insecure-dev-key uses the public development key instead (synthetic data only). A store
keeps the key it was made with: another key (or the development key on a real store) is refused, exit 2.
Read-only commands never create a store: a missing one is an error naming the path (exit 2), a
damaged one is refused at open (exit 1).`;

const municipalityOption = (what: string) =>
  new Option(
    '--municipality <GMxxxx>',
    `${what} (CBS code, e.g. GM0106; a household that names none belongs to the default municipality of MUNICIPALITY_CONFIG)`,
  ).argParser(municipalityValue);

/** Missing configuration is an error on a store that had one; this flag uses the national tables on purpose. */
const nationalDefaultsOption = () =>
  new Option(
    '--national-defaults',
    "without MUNICIPALITY_CONFIG, use the national tables and default policy even though this store's nights ran under a municipality's configuration",
  );

const asOfOption = (as = 'as the store stood at this UTC instant') =>
  new Option(
    '--as-of <DATE|INSTANT>',
    `${as}, e.g. 2027-04-01T00:00:00Z; a date (2027-03-31) is the end of that day in Europe/Amsterdam`,
  ).argParser(asOfValue);

/** Who acts on a rejected or parked message, and why: stored in an event, so bounded. */
const withWhoAndWhy = (command: Command) =>
  command
    .requiredOption('--by <NAME>', 'who acts (at most 100 characters)', boundedText(100))
    .requiredOption(
      '--reason <TEXT>',
      'why, at most 500 characters (e.g. the municipality is configured now)',
      boundedText(500),
    )
    .addOption(storeOption());

const storeOption = () =>
  new Option(
    '--store <memory|sqlite|PATH>',
    'event store: in memory, SQLite at SQLITE_PATH, or SQLite at PATH',
  ).argParser(nonEmptyValue);

/**
 * Commands refuse unknown flags and extra arguments and print their help (the accepted ones) after the
 * error; errors are thrown to main, which picks the exit code.
 */
function configure(command: Command): Command {
  return command.showHelpAfterError(true).allowExcessArguments(false).allowUnknownOption(false).exitOverride();
}

function sub(parent: Command, nameAndArgs: string, description: string): Command {
  const command = parent.command(nameAndArgs).description(description);
  return configure(command);
}

export function buildProgram(): Command {
  const program = configure(new Command('cli'))
    .description('Backoffice CLI of the bijstand income settlement worker (Participatiewet in balans).')
    .usage('<command> [options]')
    .addHelpText('after', `${EXIT_CODES}\n${ENVIRONMENT}`)
    .helpCommand('help [command]', 'help for a command')
    .option(
      '--insecure-dev-key',
      'BSN pseudonyms with the public development key instead of BSN_PSEUDONYM_KEY: synthetic data only (make run)',
    )
    .hook('preAction', (thisCommand) => {
      if (thisCommand.opts().insecureDevKey) process.env.BSN_PSEUDONYM_KEY = INSECURE_DEV_KEY_OPT_IN;
    });

  sub(program, 'scenario <file>', 'run a scenario file (SPEC §11) on a virtual clock; result JSON on stdout')
    .addOption(
      new Option('--engine <engine>', 'the full pipeline (ingest, nightly runs, buffer) or the domain alone')
        .choices(['pipeline', 'domain'])
        .default('pipeline'),
    )
    .addOption(
      new Option('--store <memory|sqlite|PATH>', 'event store for the pipeline (default: memory)').argParser(
        nonEmptyValue,
      ),
    )
    .action(async (file: string, o) => (await import('./commands/scenario.js')).scenarioCommand(file, o));

  sub(program, 'ingest', 'validate and store polis statements and case events (NDJSON); exit 3 when any is rejected')
    .option('--file <F>', 'NDJSON file, one message per line')
    .option('--stdin', 'NDJSON on standard input')
    .option('--kafka', 'consume the Kafka topics in the consumer group until SIGTERM (KAFKA_BROKERS)')
    .addOption(new Option('--kind <kind>', 'kind of a bare line without {"kind": …}').choices(['statement', 'case']))
    .addOption(storeOption())
    .action(async (o) => (await import('./commands/ingest.js')).ingestCommand(o));

  sub(
    program,
    'run-nightly',
    'the nightly settlement of one date for every household, then exit (BullMQ when REDIS_URL is set)',
  )
    .requiredOption('--date <YYYY-MM-DD>', 'the run date', dateValue)
    .option(
      '--at <HH:MM>',
      "the run's wall-clock time in Europe/Amsterdam; on the night the clocks go forward a missing time counts an hour later (02:00 → 03:00), on the night they go back a doubled time counts once, the first",
      wallTimeValue,
      '02:00',
    )
    .addOption(
      municipalityOption(
        "print only this municipality's summary; every household of the deployment is settled all the same",
      ),
    )
    .option(
      '--dry-run',
      'decide every household and write nothing: the same summary, the rules changes and what they would settle again',
    )
    .option('--json', 'the summary as JSON (English keys, dot decimals) instead of the Dutch table')
    .addOption(nationalDefaultsOption())
    .addOption(storeOption())
    .addHelpText(
      'after',
      '\nExample: ./cli run-nightly --date 2027-03-28   (runs at 03:00 CEST = 2027-03-28T01:00:00Z)',
    )
    .action(async (o) => (await import('./commands/nightly.js')).runNightlyCommand(o));

  sub(
    program,
    'runs',
    'the recorded nights, newest first: figures, and each household a night could not settle with why',
  )
    .option('--last <N>', 'the newest N nights', positiveIntValue, 14)
    .option('--json', 'as JSON')
    .addOption(storeOption())
    .action(async (o) => (await import('./commands/runs.js')).runsCommand(o));

  const household = sub(program, 'household', 'households in the store: list them, or show one');
  sub(household, 'list', 'every household with its case, status and open claim')
    .addOption(new Option('--status <status>', 'open (no CaseClosed recorded) or closed').choices(['open', 'closed']))
    .addOption(
      new Option('--claim <yes|no>', 'with (yes) or without (no) an open claim (ledger below zero)').choices([
        'yes',
        'no',
      ]),
    )
    .addOption(asOfOption())
    .addOption(municipalityOption('only the households of this municipality'))
    .addOption(storeOption())
    .action(async (o) => (await import('./commands/household.js')).householdListCommand(o));
  sub(household, 'show <household>', 'a household: members (BSN masked), case facts and months; or one month explained')
    .option(
      '--month <YYYY-MM>',
      'explain this month: the settlement with its rules and legal basis, and the payment',
      monthValue,
    )
    .addOption(asOfOption())
    .addOption(storeOption())
    .action(async (id: string, o) => (await import('./commands/household.js')).householdShowCommand(id, o));

  const store = sub(program, 'store', 'the event store as a whole');
  sub(
    store,
    'copy',
    'copy every stream (commit order kept) and snapshot into an empty store, e.g. SQLite → PostgreSQL; the source is only read',
  )
    .requiredOption(
      '--to <postgres://…|PATH>',
      'the target: a PostgreSQL URL (EVENTSTORE_URL form) or a SQLite file; it must hold no events',
    )
    .option(
      '--verify',
      'afterwards compare every stream event by event (JSON text), its snapshot, and every message claim',
    )
    .addOption(storeOption())
    .addHelpText(
      'after',
      "\nExample: ./cli store copy --store data/events.sqlite --to data/copy.sqlite --verify\nGlobal positions are the target's own; subscription checkpoints are not copied (their handlers start again from the beginning, idempotently).",
    )
    .action(async (o) => (await import('./commands/store.js')).storeCopyCommand(o));

  sub(
    program,
    'replay <household>',
    'objection cases (bezwaar): recompute the decisions as of T and compare, or a what-if',
  )
    .requiredOption(
      '--as-of <DATE|INSTANT>',
      'replay up to this UTC instant (e.g. 2027-08-01T00:00:00Z) or the end of this date in Europe/Amsterdam ' +
        '(2027-07-31)',
      asOfValue,
    )
    .addOption(
      new Option(
        '--rules <rules>',
        "then: the tables each night ran under (for the household's municipality); now: today's (MUNICIPALITY_CONFIG, the household's municipality)",
      )
        .choices(['then', 'now'])
        .default('then'),
    )
    .option('--with <FILE>', 'what-if: corrected facts (JSON), with the amounts owed either way')
    .option(
      '--report <FILE>',
      'also write the objection file (bezwaardossier) to FILE: Markdown, or HTML/PDF when FILE ends in .html/.pdf (PDF: Debian chromium)',
    )
    .option('--json', 'the comparison as JSON on stdout')
    .addOption(storeOption())
    .addOption(nationalDefaultsOption())
    .action(async (id: string, o) => (await import('./commands/replay.js')).replayCommand(id, o));

  sub(
    program,
    'letter <household>',
    'the decision about one settled month, a letter to the resident (B1 Dutch): Markdown, or --out (.html, .pdf)',
  )
    .requiredOption('--month <YYYY-MM>', 'the month the letter is about', monthValue)
    .addOption(asOfOption('as the store stood at this UTC instant (default: as it stands)'))
    .option('--out <FILE>', 'write to FILE; .html and .pdf (Debian chromium) by its extension, else Markdown')
    .addOption(storeOption())
    .addHelpText(
      'after',
      '\nThe sender (address, phone, website, objection address, signing officer) comes from the letters block' +
        ' of\nMUNICIPALITY_CONFIG; a month not settled yet is refused (exit 1).',
    )
    .addOption(nationalDefaultsOption())
    .action(async (id: string, o) => (await import('./commands/letter.js')).letterCommand(id, o));

  sub(
    program,
    'payment-spec <household>',
    'the payment specification (betaalspecificatie) of one payday (B1 Dutch): Markdown, or --out FILE (.html, .pdf)',
  )
    .requiredOption('--payday <YYYY-MM-DD>', 'the payday of the payment', dateValue)
    .addOption(asOfOption('as the store stood at this UTC instant (default: as it stands)'))
    .option('--out <FILE>', 'write to FILE; .html and .pdf (Debian chromium) by its extension, else Markdown')
    .addOption(storeOption())
    .addOption(nationalDefaultsOption())
    .action(async (id: string, o) => (await import('./commands/paymentSpec.js')).paymentSpecCommand(id, o));

  sub(
    program,
    'serve',
    "the consultant's workplace (web): alerts inbox, households, backoffice; WORKPLACE_USERS names the users file",
  )
    .option('--host <HOST>', 'address to listen on (WORKPLACE_HOST, default 127.0.0.1: this machine only)')
    .option('--port <PORT>', 'port (WORKPLACE_PORT, default 8080; 0 takes a free one)')
    .option('--behind-tls', 'behind a TLS-terminating proxy (WORKPLACE_BEHIND_TLS=1): Secure cookies, HSTS')
    .option('--hash-password', 'read a password from stdin and print its scrypt hash for the users file, then exit')
    .addOption(storeOption())
    .action(async (o) => (await import('./commands/serve.js')).serveCommand(o));

  const alerts = sub(program, 'alerts', 'alerts for consultants: list, acknowledge');
  sub(
    alerts,
    'list',
    'alerts in priority order, the reason in Dutch, open or acknowledged (--json: as stored, with deliveries)',
  )
    .option('--since <YYYY-MM-DD>', 'raised on or after this date', dateValue)
    .addOption(new Option('--kind <kind>', 'only this kind').choices([...ALERT_KINDS]))
    .option('--household <H>', 'only this household', nonEmptyValue)
    .addOption(
      new Option(
        '--state <state>',
        'only alerts in this delivery state (dead-letter: a channel gave up after its last try)',
      ).choices(['new', ...ALERT_STATES]),
    )
    .addOption(municipalityOption("only the alerts of this municipality's households"))
    .addOption(
      new Option('--sort <order>', 'priority: below the minimum by amount, claims, the rest by date')
        .choices([...ALERT_SORTS])
        .default('priority'),
    )
    .option('--json', 'as JSON (kind and reason as stored, in English, for machines)')
    .addOption(storeOption())
    .action(async (o) => (await import('./commands/alerts.js')).alertsListCommand(o));
  sub(alerts, 'ack <alert-id>', 'acknowledge an alert (recorded as an event; twice changes nothing)')
    .requiredOption('--by <NAME>', 'who acknowledges', nonEmptyValue)
    .option('--note <TEXT>', 'what was done or decided (at most 500 characters)')
    .addOption(storeOption())
    .action(async (id: string, o) => (await import('./commands/alerts.js')).alertsAckCommand(id, o));

  const buffer = sub(program, 'buffer', 'the bufferbudget');
  sub(
    buffer,
    'report',
    'bufferbudget drawn per household in a year, for the eindheffing: CSV (;, UTF-8 with BOM) on stdout, totals on stderr',
  )
    .requiredOption('--year <YYYY>', 'the year', yearValue)
    .option('--decimal-comma', 'amounts with a decimal comma (1000,00), for a spreadsheet set to Dutch')
    .option('--out <FILE>', 'write the CSV to FILE instead of stdout')
    .option('--totals <FILE>', 'write the totals (JSON) to FILE instead of stderr')
    .addOption(municipalityOption("the eindheffing of this municipality: only its households' draws"))
    .addOption(storeOption())
    .action(async (o) => (await import('./commands/buffer.js')).bufferReportCommand(o));

  const payments = sub(
    program,
    'payments',
    'payments to the bank: SEPA batches per payday, bank outcomes, reconciliation',
  );
  sub(
    payments,
    'export',
    "the payday's SEPA credit transfer file (pain.001), recorded as a batch once; again: the same file",
  )
    .requiredOption('--payday <YYYY-MM-DD>', 'the payday (the requested execution date)', dateValue)
    .requiredOption('--out <FILE>', 'write the file here (whole: a temporary name, then renamed)')
    .addOption(municipalityOption('the batch of this municipality (required with several)'))
    .addOption(storeOption())
    .action(async (o) => (await import('./commands/payments.js')).paymentsExportCommand(o));
  sub(payments, 'import <file>', "a bank's outcomes: pain.002 (rejected) or camt.054 (returned); twice changes nothing")
    .addOption(storeOption())
    .action(async (file: string, o) => (await import('./commands/payments.js')).paymentsImportCommand(file, o));
  sub(payments, 'reconcile', 'decisions vs batch lines vs bank outcomes of a payday, per municipality, to the cent')
    .requiredOption('--payday <YYYY-MM-DD>', 'the payday', dateValue)
    .option('--json', 'as JSON')
    .addOption(municipalityOption('only this municipality'))
    .addOption(storeOption())
    .action(async (o) => (await import('./commands/payments.js')).paymentsReconcileCommand(o));

  const rejected = sub(program, 'rejected', 'messages rejected at ingest: list, retry after a fix, or dismiss');
  sub(rejected, 'list', 'the open rejected messages: id, household, message id and the reason in Dutch')
    .option('--all', 'every rejected message, with what became of it (retried, dismissed: who, when, why)')
    .option('--json', 'as JSON (with the English reason, for logs and machines)')
    .addOption(storeOption())
    .action(async (o) => (await import('./commands/rejected.js')).rejectedListCommand(o));
  withWhoAndWhy(
    sub(
      rejected,
      'retry <id>',
      'run the stored message through ingest again, as it is now (after fixing its cause); exit 3 when rejected again',
    ),
  ).action(async (id: string, o) => (await import('./commands/rejected.js')).rejectedRetryCommand(id, o));
  withWhoAndWhy(sub(rejected, 'dismiss <id>', 'close a rejected message without processing it')).action(
    async (id: string, o) => (await import('./commands/rejected.js')).rejectedDismissCommand(id, o),
  );
  sub(
    rejected,
    'alerts',
    'what ingest alerted the consultant to: identity conflicts, corrections and withdrawals without their initial, messages parked too long',
  )
    .addOption(storeOption())
    .action(async (o) => (await import('./commands/rejected.js')).rejectedAlertsCommand(o));

  const parked = sub(
    program,
    'parked',
    'messages waiting for their case (a BSN without a case, a case event before its CaseOpened)',
  );
  sub(parked, 'list', 'each parked message (BSN masked) with its id and how long it waits, flagged after N days')
    .option('--alert-after-days <N>', 'flag messages parked more than N days', positiveIntValue, 14)
    .option('--now <INSTANT>', 'count the days up to this UTC instant (default: now)', instantValue)
    .option('--json', 'as JSON')
    .addOption(storeOption())
    .action(async (o) => (await import('./commands/parked.js')).parkedListCommand(o));
  withWhoAndWhy(
    sub(
      parked,
      'retry <id>',
      'place a parked message in its household now that its case is open; exit 1 while it waits',
    ),
  ).action(async (id: string, o) => (await import('./commands/parked.js')).parkedRetryCommand(id, o));
  withWhoAndWhy(sub(parked, 'dismiss <id>', 'close a parked message: it is never placed, whatever opens later')).action(
    async (id: string, o) => (await import('./commands/parked.js')).parkedDismissCommand(id, o),
  );
  sub(parked, 'alert', 'raise an ingest alert (once) for every message parked more than N days')
    .option('--alert-after-days <N>', 'alert on messages parked more than N days', positiveIntValue, 14)
    .option('--now <INSTANT>', 'count the days up to this UTC instant (default: now)', instantValue)
    .addOption(storeOption())
    .action(async (o) => (await import('./commands/parked.js')).parkedAlertCommand(o));

  sub(
    program,
    'worker',
    'long-running: nightly scheduler (02:00 Europe/Amsterdam), settlement workers, alert delivery, /health and /metrics; stops cleanly on SIGTERM/SIGINT',
  )
    .addOption(nationalDefaultsOption())
    .addOption(storeOption())
    .action(async (o) => (await import('./commands/worker.js')).workerCommand(o));

  const rules = sub(
    program,
    'rules',
    'rules versions: a change of tables, policy or engine is accepted before a night uses it',
  );
  sub(
    rules,
    'accept <version>',
    'accept a rules version (who and why, recorded as an event); the nights then settle under it',
  )
    .requiredOption('--by <NAME>', 'who accepts it (at most 100 characters)', boundedText(100))
    .requiredOption('--reason <TEXT>', 'why, at most 500 characters (e.g. the norms of 1 July 2027)', boundedText(500))
    .addOption(nationalDefaultsOption())
    .addOption(storeOption())
    .addHelpText(
      'after',
      '\nThe version is the one run-nightly names when it refuses a changed night (see run-nightly --dry-run for its preview).',
    )
    .action(async (version: string, o) => (await import('./commands/rules.js')).rulesAcceptCommand(version, o));

  sub(
    program,
    'demo',
    'make run: seed the worked examples and synthetic households into a fresh store and run every night',
  )
    .option('--households <N>', 'synthetic households', positiveIntValue, 150)
    .option('--store <PATH>', 'the SQLite file to (re)create', nonEmptyValue, DEFAULT_SQLITE_PATH)
    .action(async (o: { households: number; store: string }) => (await import('./commands/demo.js')).demoCommand(o));

  sub(
    program,
    'bench',
    'benchmarks (make bench; BENCH_HOUSEHOLDS, BENCH_MONTHS, BENCH_REPLAY_HOUSEHOLDS, BENCH_STORES=sqlite,postgres,memory): writes BENCHMARKS.md',
  ).action(async () => (await import('./commands/bench.js')).benchCommand());

  return program;
}
