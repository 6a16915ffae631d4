import type { SubmitFunction } from '$app/forms';
import { tick } from 'svelte';

/**
 * For forms that edit what is shown (a project, a milestone, a draft): like focusFirstError,
 * but without resetting the form after success. A reset would put each <select> back on its
 * first option until the new data arrives, and a later save would quietly send that.
 */
export const keepValues: SubmitFunction = () => {
	return async ({ update, formElement }) => {
		await update({ reset: false });
		await tick();
		formElement.querySelector<HTMLElement>('[aria-invalid="true"], [data-form-error]')?.focus();
	};
};
