import {useMemo, useRef, useState} from 'react';
import type {ActionResult} from '../../model/engine-actions.js';
import type {StatusTone} from '../state/ui-state.js';

// Actions run side by side (a disconnect while a create is slow): the status line shows the
// latest message and, while any is still working, what that one does.

export interface ActionRunner {
	run(busyText: string, work: () => Promise<ActionResult>, after?: (result: ActionResult) => void): void;
	/** What the actions still in flight are doing, oldest first. */
	inFlight: readonly string[];
}

export function useActionRunner(status: (tone: StatusTone, text: string) => void): ActionRunner {
	const [inFlight, setInFlight] = useState<ReadonlyArray<{id: number; text: string}>>([]);
	const actionIds = useRef(0);
	const inFlightTexts = useMemo(() => inFlight.map(item => item.text), [inFlight]);

	const track = (text: string): number => {
		actionIds.current += 1;
		const id = actionIds.current;
		setInFlight(list => [...list, {id, text}]);
		return id;
	};

	const untrack = (id: number): void => setInFlight(list => list.filter(item => item.id !== id));

	/**
	 * Says how an action went; a request that went unanswered stays in flight as a watch,
	 * and its verdict (and any later sighting) is said when it comes.
	 */
	const report = (result: ActionResult, after?: (result: ActionResult) => void): void => {
		status(result.ok ? 'success' : result.busy ? 'info' : result.watching ? 'busy' : 'error', result.message);
		after?.(result);
		const {followUp} = result;
		if (!followUp) return;
		const doing = result.message.split(' timed out')[0] ?? result.message;
		const id = result.watching ? track(`watching: ${doing.charAt(0).toLowerCase()}${doing.slice(1)}`) : undefined;
		void followUp.then(next => {
			if (id !== undefined) untrack(id);
			if (next) report(next, after);
		});
	};

	return {
		run(busyText, work, after) {
			const id = track(busyText);
			status('busy', busyText);
			void work().then(result => {
				untrack(id);
				report(result, after);
			});
		},
		inFlight: inFlightTexts,
	};
}
