import type { SubmitFunction } from '$app/forms';
import { tick } from 'svelte';

/**
 * For `use:enhance`: after the usual update, move focus to the first field with an error
 * (or the form's error message), as a full page load would put a screen reader user at the
 * top of the page; otherwise the new messages go unnoticed.
 */
export const focusFirstError: SubmitFunction = () => {
	return async ({ update, formElement }) => {
		await update();
		await tick(); // let the new messages render first
		formElement.querySelector<HTMLElement>('[aria-invalid="true"], [data-form-error]')?.focus();
	};
};

/** Ids that tie an input to its hint and error message. */
export function describedBy(id: string, hasHint: boolean, hasError: boolean): string | undefined {
	const ids = [hasHint && `${id}-hint`, hasError && `${id}-error`].filter(Boolean);
	return ids.length > 0 ? ids.join(' ') : undefined;
}
