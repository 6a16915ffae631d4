/**
 * The README's first command: `npm run dev`.
 * Starts the local Supabase (data kept in .local/dev between runs; migrations and demo
 * seed applied when needed), the mail inbox, the app and the notification email worker
 * (scripts/worker.ts), and prints where they are.
 * Ctrl-C stops everything.
 *
 *   npm run dev -- --reset     start over from empty data, then run
 *   npm run db:reset           start over from empty data and exit
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { DEV_SECRET_KEY, devStack, onShutdown, root, startStack } from './stack.ts';

const resetOnly = process.argv.includes('--reset-only');
const reset = resetOnly || process.argv.includes('--reset');
const startedAt = performance.now();

const stack = await startStack({
	...devStack,
	dbUrl: process.env.LOCAL_DB_URL || undefined,
	reset,
	log: 'file'
}).catch((error: Error) => {
	console.error(`Could not start the local stack: ${error.message}`);
	process.exit(1);
});

if (resetOnly) {
	await stack.stop();
	console.log('Local data reset: migrations and demo seed applied.');
	process.exit(0);
}

const appPort = new URL(devStack.siteUrl).port;
const app = spawn(
	process.execPath,
	[
		path.join(root, 'node_modules', 'vite', 'bin', 'vite.js'),
		'dev',
		'--port',
		appPort,
		'--strictPort'
	],
	{
		cwd: root,
		env: { ...process.env, ...stack.appEnv },
		stdio: ['ignore', 'pipe', 'inherit']
	}
);

// The notification emails: the worker reads the queue with the dev secret key and sends to
// the inbox, which it also asks before resending an email a killed worker left in doubt.
const worker = spawn(process.execPath, [path.join(root, 'scripts', 'worker.ts')], {
	cwd: root,
	env: {
		...process.env,
		...stack.appEnv,
		SUPABASE_URL: stack.apiUrl,
		SUPABASE_SECRET_KEY: DEV_SECRET_KEY,
		SITE_URL: devStack.siteUrl,
		MAIL_SENT_CHECK_URL: stack.inboxUrl
	},
	stdio: ['ignore', 'inherit', 'inherit']
});
let shuttingDown = false;
worker.on('exit', (code, signal) => {
	if (!shuttingDown) {
		console.error(
			`The notification worker stopped (${signal ?? `exit ${code}`}); emails wait until the next \`npm run dev\` or \`npm run worker\`.`
		);
	}
});

onShutdown(async () => {
	shuttingDown = true;
	app.kill('SIGTERM');
	// It finishes the email in hand, then exits.
	const workerStopped = new Promise<void>((resolve) =>
		worker.exitCode !== null || worker.signalCode !== null
			? resolve()
			: worker.once('exit', () => resolve())
	);
	worker.kill('SIGTERM');
	await workerStopped;
	await stack.stop();
});
app.on('exit', (code) => {
	if (shuttingDown) return;
	console.error(`The app server stopped (exit ${code}).`);
	worker.kill('SIGTERM');
	void stack.stop().finally(() => process.exit(code ?? 1));
});

// Print the summary once vite says it is listening, then pass its output through.
let announced = false;
app.stdout.on('data', (chunk: Buffer) => {
	if (announced) {
		process.stdout.write(chunk);
		return;
	}
	if (!chunk.toString().includes('Local')) return;
	announced = true;
	const seconds = ((performance.now() - startedAt) / 1000).toFixed(1);
	console.log(`
  Client portal       ${devStack.siteUrl}
  Mail inbox          ${stack.inboxUrl}
  Email worker        sends notifications to the inbox (pid ${worker.pid}; alone: npm run worker)
  Supabase API        ${stack.apiUrl}
  Database            ${process.env.LOCAL_DB_URL ? 'PostgreSQL (LOCAL_DB_URL)' : 'embedded PGlite in .local/dev/pglite'}${stack.fresh ? ' (fresh: migrations and demo seed applied)' : ''}

  Demo logins (password for all: portal-demo-2026)
    admin             ada@staff.example.com
    staff (Acme)      sam@staff.example.com
    staff (Globex)    tess@staff.example.com
    Acme owner        olivia@acme.example.com   (also mark@ member, bill@ billing, vera@ viewer)
    Globex owner      grace@globex.example.com  (also gus@ member)
    In both           nina@consultant.example.com  (Acme viewer, Globex member: switches accounts)

  Ready in ${seconds} s. Ctrl-C stops everything; data is kept for the next run.
`);
});
