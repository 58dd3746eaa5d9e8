import React from 'react';
import {formCommand} from '../../presentation/command-preview.js';
import type {Dialog} from '../../state/dialog-state.js';
import type {Theme} from '../../theme.js';
import {ConfirmDialogView} from './confirm-dialog.js';
import {FormDialogView} from './form-dialog.js';
import {PickerDialogView} from './picker-dialog.js';

export interface DialogHostProps {
	dialog: Dialog;
	width: number;
	height: number;
	theme: Theme;
}

/** The open dialog, in the place of the panes. */
export function DialogHost({dialog, width, height, theme}: DialogHostProps) {
	switch (dialog.kind) {
		case 'picker':
			return <PickerDialogView picker={dialog} width={width} height={height} theme={theme} />;
		case 'form':
			return <FormDialogView form={dialog} command={formCommand(dialog)} width={width} height={height} theme={theme} />;
		case 'confirm':
			return <ConfirmDialogView confirm={dialog} width={width} height={height} theme={theme} />;
	}
}
