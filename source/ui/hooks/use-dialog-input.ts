import {useInput} from 'ink';
import {useCallback, useLayoutEffect, useRef} from 'react';
import type {Key} from 'ink';
import {keyTrace} from '../../terminal/key-trace.js';
import {isErase, isPrintable, splitKeys} from '../keys/match-key.js';
import type {Dialog, DialogAction} from '../state/dialog-state.js';
import {pageStep} from '../state/ui-state.js';
import type {Movement} from '../state/ui-state.js';
import {handleKey} from './use-app-input.js';
import type {InputContext} from './use-app-input.js';

export type DialogIntent =
	| {type: 'action'; action: DialogAction}
	/** Enter on a picker or form, y on a confirmation. */
	| {type: 'submit'}
	| {type: 'cancel'}
	| {type: 'quit'}
	| {type: 'none'};

const act = (action: DialogAction): DialogIntent => ({type: 'action', action});

/** What one key means in the open dialog; `viewport` is how many picker or list rows show. */
export function dialogIntent(dialog: Dialog, input: string, key: Key, viewport: number): DialogIntent {
	if (key.ctrl && input === 'c') return {type: 'quit'};
	if (dialog.kind === 'confirm') {
		// A long list scrolls: the user confirms only what they could see.
		if (dialog.list !== undefined) {
			const scroll = (movement: Movement): DialogIntent => act({type: 'scrollList', movement, viewport});
			if (key.upArrow) return scroll(-1);
			if (key.downArrow) return scroll(1);
			if (key.pageUp) return scroll(-pageStep(viewport));
			if (key.pageDown) return scroll(pageStep(viewport));
			if (key.home) return scroll('home');
			if (key.end) return scroll('end');
		}

		return !key.ctrl && !key.meta && (input === 'y' || input === 'Y') ? {type: 'submit'} : {type: 'cancel'};
	}

	if (key.escape) return {type: 'cancel'};
	if (dialog.kind === 'form' && dialog.submitting) return {type: 'none'};
	if (key.return) return {type: 'submit'};
	if (isErase(key)) return act({type: 'erase'});
	if (key.ctrl && input === 'u') return act({type: 'clearField'});

	if (dialog.kind === 'picker') {
		if (key.upArrow) return act({type: 'move', movement: -1, viewport});
		if (key.downArrow) return act({type: 'move', movement: 1, viewport});
		if (key.pageUp) return act({type: 'move', movement: -pageStep(viewport), viewport});
		if (key.pageDown) return act({type: 'move', movement: pageStep(viewport), viewport});
		if (key.home) return act({type: 'move', movement: 'home', viewport});
		if (key.end) return act({type: 'move', movement: 'end', viewport});
	} else {
		if (key.tab) return act({type: 'focusField', step: key.shift ? -1 : 1});
		if (key.upArrow) return act({type: 'focusField', step: -1});
		if (key.downArrow) return act({type: 'focusField', step: 1});
		if (key.leftArrow) return act({type: 'cycle', step: -1});
		if (key.rightArrow) return act({type: 'cycle', step: 1});
		const field = dialog.fields[dialog.focus];
		if (input === ' ' && field && field.kind !== 'text') return act({type: 'toggle'});
	}

	if (input !== '' && !key.ctrl && !key.meta && isPrintable(input)) return act({type: 'typeText', text: input});
	return {type: 'none'};
}

export interface DialogKeys {
	/** Read at every key, not at render: the key that opened a dialog may be followed by more. */
	isOpen(): boolean;
	handleKey(input: string, key: Key): void;
}

/**
 * The one input handler: each key goes to the open dialog alone (modal), otherwise to the
 * panes. Typed text is split per character first, so that in "cfr" the c opens the picker
 * and "fr" filters it.
 */
export function useRoutedInput(context: InputContext, dialogs: DialogKeys): void {
	// One stable handler reading what was committed last: Ink swaps a changed handler only
	// in a passive effect, after the frame is drawn, and a key typed in between would reach
	// the previous render's handler.
	const latest = useRef({context, dialogs});
	useLayoutEffect(() => {
		latest.current = {context, dialogs};
	});
	const handler = useCallback((input: string, key: Key) => {
		keyTrace.keyHandled();
		for (const press of splitKeys(input, key)) {
			const current = latest.current;
			if (current.dialogs.isOpen()) current.dialogs.handleKey(press.input, press.key);
			else handleKey(press.input, press.key, current.context);
		}
	}, []);
	useInput(handler);
}
