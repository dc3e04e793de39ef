/** What the demo wrote, as `demo` tells it. */
export interface DemoNextSteps {
  /** The repository's folder: every line starts there. */
  repoRoot: string;
  /** ` --store PATH` when the commands would not find the demo's store by themselves, else ''. */
  storeFlag: string;
  /** The municipality configuration to name (relative to repoRoot). */
  municipalityConfig: string;
  usersFile: string;
  /** `WORKPLACE_USERS=… ` when serve would not find the users file by itself, else ''. */
  usersEnv: string;
  users: ReadonlyArray<{ name: string; password: string; role: string }>;
}

/** The workplace's roles as its users call them. */
const ROLE: Record<string, string> = {
  consultant: 'klantmanager',
  backoffice: 'backoffice',
  'objection-handler': 'bezwaarbehandelaar',
};

/** After the demo: what to try next (every line works pasted into a new shell), then the workplace's logins. */
export function demoNextStepsText(d: DemoNextSteps): string {
  const { repoRoot, storeFlag: store, municipalityConfig: config } = d;
  const lines = [
    `cd ${repoRoot}`,
    `./cli household list --claim yes${store}`,
    `./cli household show H-couple${store}`,
    `./cli household show H-ferd --month 2027-11${store}`,
    `MUNICIPALITY_CONFIG=${config} ./cli run-nightly --date 2028-09-01${store}`,
    `./cli buffer report --year 2027 --decimal-comma --out bufferbudget-2027.csv${store}`,
    `MUNICIPALITY_CONFIG=${config} ./cli replay H-couple --as-of 2027-08-01T00:00:00Z${store}`,
    `MUNICIPALITY_CONFIG=${config} ./cli letter H-couple --month 2027-07${store}`,
    `MUNICIPALITY_CONFIG=${config} ./cli payment-spec H-couple --payday 2027-07-25${store}`,
    './cli --help',
  ];
  const logins = d.users.map((u) => `  ${u.name.padEnd(13)} ${u.password}  (${ROLE[u.role] ?? u.role})`);
  return (
    `\nProbeer (elke regel werkt geplakt in een nieuwe shell):\n${lines.map((l) => `  ${l}`).join('\n')}\n` +
    '\nDe werkplek (web): start hem en open dan http://127.0.0.1:8080 in een browser\n' +
    // --insecure-dev-key: the backoffice's "Opnieuw verwerken" runs ingest, whose pseudonyms need the demo's key.
    `  cd ${repoRoot}\n  ${d.usersEnv}MUNICIPALITY_CONFIG=${config} ./cli --insecure-dev-key serve${store}\n` +
    `Inloggen in de demo (nu aangemaakt, als hash bewaard in ${d.usersFile}; ALLEEN VOOR DE DEMO):\n` +
    `${logins.join('\n')}\n`
  );
}
