// Strings an attacker who can create a container or network could choose, each aimed at one
// way a terminal or a layout can be fooled. Shared by the unit, pseudo-terminal and
// real-engine tests.

export interface HostileString {
	label: string;
	value: string;
}

const esc = '\u001b';
const bel = '\u0007';

export const hostileStrings: readonly HostileString[] = [
	{label: 'OSC 0 (window title)', value: `n${esc}]0;pwned${bel}`},
	{label: 'OSC 52 (clipboard)', value: `c${esc}]52;c;cm0gLXJmIH4K${bel}`},
	{label: 'OSC 8 (hyperlink)', value: `l${esc}]8;;http://127.0.0.1/x${esc}\\link${esc}]8;;${esc}\\`},
	{label: 'CSI SGR colour', value: `n${esc}[31mred${esc}[0m`},
	{label: 'CSI cursor moves and erase', value: `a${esc}[2J${esc}[H${esc}[10Ab`},
	{label: 'CR', value: 'a\rb'},
	{label: 'LF', value: 'top\nbottom'},
	{label: 'TAB', value: 'a\tb'},
	{label: 'BEL', value: `ding${bel}`},
	{label: 'DEL and NUL-free C0', value: 'x\u007f\u0001\u0008y'},
	{label: 'C1 CSI', value: 'c1\u009b31mred'},
	{label: 'RTL override', value: 'abc\u202edef'},
	{label: 'bidi isolate', value: 'x\u2067y\u2069z'},
	{label: 'zero-width space and joiner', value: 'zero\u200bwidth\u200djoin'},
	{label: 'BOM', value: '\ufeffbom'},
	{label: 'line separator', value: 'line\u2028sep'},
	{label: 'leading combining mark', value: '\u0301accent'},
	{label: 'wide characters', value: '网络名'},
	{label: 'combining characters', value: 'e\u0301te\u0301'},
	{label: 'emoji', value: 'box📦'},
	{label: 'very long', value: 'L'.repeat(10_000)},
];

/**
 * Bytes that must never reach the terminal from data: ESC, C0 controls other than the ones
 * a renderer writes itself, DEL and C1. The caller removes the renderer's own sequences first.
 */
// eslint-disable-next-line no-control-regex
export const controlBytes = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/u;

/** Names usable for Docker objects (the engine allows only [a-zA-Z0-9][a-zA-Z0-9_.-]). */
export function isDockerName(value: string): boolean {
	return /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/.test(value);
}
