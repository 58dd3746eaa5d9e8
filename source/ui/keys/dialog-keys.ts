import type {Dialog} from '../state/dialog-state.js';

// Keys inside a dialog. These are the dialog's own (typing, Enter, Esc, Tab between
// fields), not commands: the keymap stays the one source of the app's commands, and the
// table below is the one source of the dialog keys for the footer and the help screen.

export const dialogKeys: ReadonlyArray<{keys: string; description: string}> = [
	{keys: 'type', description: 'Filter a list, or fill the focused field'},
	{keys: '↑ ↓', description: 'Move in a list; in a form, the previous or next field'},
	{keys: 'Tab Shift-Tab', description: 'Next or previous field'},
	{keys: 'Space ← →', description: 'Toggle an on/off field; choose the driver'},
	{keys: 'Backspace Ctrl-U', description: 'Erase a character; clear the field'},
	{keys: 'Enter', description: 'Pick, or send the form (empty fields: the engine decides)'},
	{keys: 'y', description: 'Confirm; any other key cancels a confirmation'},
	{keys: 'Esc', description: 'Cancel: nothing is changed'},
];

/** The footer while a dialog is open. */
export function dialogFooter(dialog: Dialog): string {
	switch (dialog.kind) {
		case 'picker':
			return 'type to filter  ↑↓ move  Enter choose  Esc cancel';
		case 'form':
			return dialog.submitting
				? 'sending…  Esc hides the form (the result shows in the status line)'
				: 'Tab/↑↓ field  Space toggle  ←→ choose  Enter send  Esc cancel';
		case 'confirm':
			return 'y confirm  any other key cancels';
	}
}
