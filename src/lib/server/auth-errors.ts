import { isAuthError, isAuthRetryableFetchError, type AuthError } from '@supabase/supabase-js';

export const CODE_INVALID_MESSAGE =
	'That code is incorrect or has expired. Check the latest email, or ask for a new code.';

/**
 * What to tell a person when Supabase Auth refuses a request. Messages never say whether
 * an account exists; details go to the server log, never to the page.
 */
export function authErrorMessage(error: AuthError | unknown): string {
	if (isAuthRetryableFetchError(error) || (isAuthError(error) && (error.status ?? 0) >= 500)) {
		return 'We could not reach the sign-in service. Please try again in a moment.';
	}
	const code = isAuthError(error) ? error.code : undefined;
	switch (code) {
		case 'invalid_credentials':
			return 'Email or password is incorrect.';
		case 'email_not_confirmed':
			return 'Confirm your email address first: use the link in the email we sent you.';
		case 'otp_expired':
			return CODE_INVALID_MESSAGE;
		case 'same_password':
			return 'Choose a password that is different from your current one.';
		case 'weak_password':
			return 'Choose a stronger password: longer, and not a common one.';
		case 'over_request_rate_limit':
		case 'over_email_send_rate_limit':
			return 'Too many attempts. Please wait a minute, then try again.';
		case 'user_banned':
			return 'This account is suspended. Contact us if you think this is a mistake.';
		case 'session_not_found':
		case 'session_expired':
		case 'reauthentication_needed':
			return 'Your session has expired. Please sign in again.';
		default:
			return 'Something went wrong. Please try again.';
	}
}

/** Writes an Auth failure to the server log without personal data. */
export function logAuthError(operation: string, error: unknown): void {
	const detail = isAuthError(error)
		? { name: error.name, status: error.status, code: error.code, message: error.message }
		: error;
	console.error(`[auth] ${operation} failed`, detail);
}
