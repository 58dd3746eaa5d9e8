import type React from 'react';
import type {EngineSnapshot} from '../../model/store.js';
import type {AppServices} from '../app-context.js';
import type {PaneRows, PaneViewModel, ViewModel} from '../hooks/use-view-model.js';
import type {Command, KeyBinding, KeyScope} from '../keys/keymap.js';
import type {Layout} from '../layout.js';
import type {Theme} from '../theme.js';
import type {Overlay, PaneId, UiAction, UiState} from '../state/ui-state.js';

// What a full screen over the panes (help, details, topology, swarm, log) is to the app: the
// key scopes it turns on, how it is opened and closed, the keys of its own, and its view. The
// app looks each one up by its overlay kind (screen-registry.ts) and has no case of its own.

export type ScreenKind = Overlay['kind'];
export type OverlayOf<Kind extends ScreenKind> = Extract<Overlay, {kind: Kind}>;

/** The rows a screen scrolls through, and how many fit. */
export interface ScreenExtent {
	total: number;
	viewport: number;
}

export interface ScreenViewProps<Kind extends ScreenKind> {
	overlay: OverlayOf<Kind>;
	ui: UiState;
	snapshot: EngineSnapshot;
	view: ViewModel;
	width: number;
	height: number;
	theme: Theme;
	readOnly: boolean;
	keymap: readonly KeyBinding[];
	dispatch(action: UiAction): void;
	/** The screen says what it scrolls through; the keys read it (a layout effect, before the next key). */
	publishExtent(extent: ScreenExtent): void;
}

/** What a screen's own keys may read and do. */
export interface ScreenKeyContext {
	dispatch(action: UiAction): void;
	layoutFor(focus: PaneId): Layout;
	allRows: PaneRows;
	ui: UiState;
	services: AppServices;
	/** The picture as of this key, made safe to show (the same object the view renders). */
	snapshot(): EngineSnapshot;
}

export interface ScreenOpener<Kind extends ScreenKind> {
	command: Command;
	/** The screen as it opens from the panes; undefined when there is nothing to show. */
	open(ui: UiState, panes: Record<PaneId, PaneViewModel>): OverlayOf<Kind> | undefined;
}

export interface ScreenDefinition<Kind extends ScreenKind> {
	/** The key scopes while it is open, besides 'global'. */
	scopes: readonly KeyScope[];
	/** The keys on the panes that open it. */
	openers: ReadonlyArray<ScreenOpener<Kind>>;
	/** The key that opened it closes it too (Esc always does). */
	closesWith?: Command;
	/** `/` searches it, and typed text goes to its search. */
	searchable?: boolean;
	/** Keys of its own; true when the key was taken. */
	handleCommand?(command: Command, overlay: OverlayOf<Kind>, context: ScreenKeyContext): boolean;
	View(props: ScreenViewProps<Kind>): React.ReactElement | null;
}
