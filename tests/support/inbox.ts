/**
 * Reads the mails the local stack's MailDev inbox caught; shared by the API tests and the
 * browser tests, which both run under `npm test` (it sets TEST_INBOX_URL). Tests that run
 * a stack of their own read its inbox with `inboxAt(url)`.
 */

export interface Mail {
	id: string;
	subject: string;
	html: string;
	text: string;
	to: { address: string }[];
	time: string;
}

export function inboxAt(inboxUrl: string) {
	return {
		/** Waits for the newest mail to `address` (sent after `since`), up to 15 s. */
		async waitForMail(address: string, since: Date): Promise<Mail> {
			const deadline = Date.now() + 15_000;
			while (Date.now() < deadline) {
				const response = await fetch(`${inboxUrl}/api/email`);
				const mails = (await response.json()) as Mail[];
				const match = mails
					.filter((m) => m.to.some((t) => t.address.toLowerCase() === address.toLowerCase()))
					.filter((m) => new Date(m.time).getTime() >= since.getTime() - 1000)
					.at(-1);
				if (match) return match;
				await new Promise((r) => setTimeout(r, 250));
			}
			throw new Error(`no mail to ${address} arrived within 15 s`);
		}
	};
}

function testInbox() {
	const url = process.env.TEST_INBOX_URL;
	if (!url) throw new Error('TEST_INBOX_URL is not set: run the tests through `npm test`.');
	return inboxAt(url);
}

/** Waits for the newest mail to `address` (sent after `since`) in the test stack's inbox. */
export function waitForMail(address: string, since: Date): Promise<Mail> {
	return testInbox().waitForMail(address, since);
}

/** The link to the app and the 6-digit code in an auth email. */
export function readAuthMail(mail: Mail): { link: URL; code: string } {
	const href = /href="([^"]+\/auth\/confirm[^"]*)"/.exec(mail.html)?.[1];
	const code = /\b(\d{6})\b/.exec(mail.html)?.[1];
	if (!href || !code) throw new Error(`no link or code in mail "${mail.subject}"`);
	return { link: new URL(href.replaceAll('&amp;', '&')), code };
}
