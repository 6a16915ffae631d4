import type { RealtimeChannel, SupabaseClient } from '@supabase/supabase-js';
import type { Database } from '../database.types';

/** How fresh a page stays: pushed by Realtime, or polled while the tab is visible. */
export type LiveMode = 'connecting' | 'realtime' | 'polling';

export interface LiveUpdatesOptions {
	/** The browser client, which loads after the page (src/lib/supabase/browser.ts). */
	supabase: Promise<SupabaseClient<Database>>;
	/** The channel's name, e.g. `thread:<id>`. */
	channel: string;
	/** Which new messages matter, as a Realtime filter: `thread_id=eq.<id>`, `account_id=eq.<id>`. */
	filter: string;
	/** Reloads what the page shows (usually `invalidate(...)`). */
	refresh: () => Promise<unknown>;
	onMode?: (mode: LiveMode) => void;
	/** How long Realtime gets to confirm the subscription before polling takes over. */
	subscribeTimeoutMs?: number;
	pollIntervalMs?: number;
}

/** What the messages pages' loads depend on: invalidating it reloads their messages. */
export const MESSAGES_DEPENDENCY = 'portal:messages';

export const POLL_INTERVAL_MS = 15_000;
const SUBSCRIBE_TIMEOUT_MS = 5_000;

/**
 * Keeps a page up to date with new messages. Tries Supabase Realtime first (inserts into
 * `messages`, filtered; RLS decides what is delivered); if the channel is not subscribed
 * within a few seconds or fails later (the local @supabase/lite stack has no Realtime yet,
 * or a proxy drops WebSockets), it polls instead, only while the tab is visible. Decided at
 * run time, nothing to configure. Returns the clean-up for onMount/$effect.
 */
export function liveUpdates(options: LiveUpdatesOptions): () => void {
	const { refresh, onMode } = options;
	let supabase: SupabaseClient<Database> | null = null;
	const pollInterval = options.pollIntervalMs ?? POLL_INTERVAL_MS;
	let stopped = false;
	let channel: RealtimeChannel | null = null;
	let pollTimer: ReturnType<typeof setInterval> | null = null;
	let refreshing = false;
	let lastRefresh = Date.now();

	async function refreshNow() {
		if (stopped || refreshing) return;
		refreshing = true;
		lastRefresh = Date.now();
		try {
			await refresh();
		} catch (error) {
			// A failed refresh is retried on the next tick; the page keeps what it shows.
			console.warn('[live-updates] refresh failed', error);
		} finally {
			refreshing = false;
		}
	}

	function visible() {
		return document.visibilityState === 'visible';
	}

	function onVisibilityChange() {
		// Coming back to a tab that missed a poll or more: catch up at once.
		if (visible() && Date.now() - lastRefresh >= pollInterval) void refreshNow();
	}

	function startPolling() {
		if (stopped || pollTimer) return;
		clearTimeout(subscribeTimer);
		if (channel && supabase) {
			// Removing the last channel also closes the socket, so nothing keeps retrying.
			void supabase.removeChannel(channel);
			channel = null;
		}
		pollTimer = setInterval(() => {
			if (visible()) void refreshNow();
		}, pollInterval);
		document.addEventListener('visibilitychange', onVisibilityChange);
		onMode?.('polling');
	}

	onMode?.('connecting');
	const subscribeTimer = setTimeout(
		startPolling,
		options.subscribeTimeoutMs ?? SUBSCRIBE_TIMEOUT_MS
	);

	function subscribe(client: SupabaseClient<Database>) {
		supabase = client;
		if (stopped || pollTimer) return;
		try {
			channel = client
				.channel(options.channel)
				.on(
					'postgres_changes',
					{ event: 'INSERT', schema: 'public', table: 'messages', filter: options.filter },
					() => void refreshNow()
				)
				.subscribe((status) => {
					if (stopped || pollTimer) return;
					if (status === 'SUBSCRIBED') {
						clearTimeout(subscribeTimer);
						onMode?.('realtime');
					} else if (status === 'CHANNEL_ERROR' || status === 'TIMED_OUT' || status === 'CLOSED') {
						startPolling();
					}
				});
		} catch (error) {
			console.warn('[live-updates] Realtime is not available, polling instead', error);
			startPolling();
		}
	}

	options.supabase.then(subscribe, (error: unknown) => {
		console.warn('[live-updates] the Supabase client did not load, polling instead', error);
		startPolling();
	});

	return () => {
		stopped = true;
		clearTimeout(subscribeTimer);
		if (pollTimer) clearInterval(pollTimer);
		document.removeEventListener('visibilitychange', onVisibilityChange);
		if (channel && supabase) void supabase.removeChannel(channel);
		channel = null;
	};
}
