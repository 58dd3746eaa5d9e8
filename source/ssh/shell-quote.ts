// The one shell quoting in docknet: every argument docknet writes for a shell to read, the
// command lines shown to a person (the log, the journal, the `y` script, the forms, the
// confirmations, the ssh hints) and the scripts it runs on an engine host over ssh.

/** Characters a POSIX shell reads literally outside quotes. */
const bare = /^[A-Za-z0-9_@%+=:,./-]+$/;

// What the sanitizer (text/safe-text.ts) would show differently: C0 controls and DEL, C1
// controls, format characters (bidi overrides, zero-width ones, the BOM), line and paragraph
// separators, lone surrogates. Written raw they would act on a terminal that shows the line
// (`cat` of the script retitles the window) or read as something else than they are.
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const unprintable = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]|\p{Cf}|\p{Cs}/u;
// A combining mark right after the opening quote would be drawn on the quote.
const leadingMark = /^\p{M}/u;

const namedEscapes: Record<string, string> = {'\u0007': '\\a', '\b': '\\b', '\t': '\\t', '\n': '\\n', '\v': '\\v', '\f': '\\f', '\r': '\\r', '\u001b': '\\e', '\\': '\\\\', "'": "\\'"};

const hexBytes = (character: string): string =>
	[...Buffer.from(character, 'utf8')].map(byte => `\\x${byte.toString(16).padStart(2, '0')}`).join('');

/**
 * `$'…'` (bash, zsh, ksh; POSIX.1-2024): printable characters as they are, the rest as
 * escapes. Unicode characters are written as their UTF-8 bytes (`\xe2\x80\xae`), which
 * read back the same in any locale, where `\u202e` would depend on the shell's.
 */
function dollarQuote(argument: string): string {
	let body = '';
	let afterHex = false;
	for (const character of argument) {
		const named = namedEscapes[character];
		if (named !== undefined) {
			body += named;
			afterHex = false;
		} else if (unprintable.test(character) || (body === '' && leadingMark.test(character))) {
			body += hexBytes(character);
			afterHex = true;
		} else {
			// Some shells (ksh) read more than two hex digits after \x: a digit that follows
			// one starts a new quoted piece of the same word.
			body += afterHex && /^[\dA-Fa-f]$/.test(character) ? `'$'${character}` : character;
			afterHex = false;
		}
	}

	return `$'${body}'`;
}

/**
 * One argument as a shell reads it back unchanged: bare when it is plain, in single quotes
 * (inside which nothing is special but the quote itself, written '\'') when it holds only
 * printable characters, else in `$'…'` with escapes, so that no control byte is ever
 * written and the line looks exactly like what it does. Names come from anyone who can
 * create a container or a network: `$(…)`, backquotes, `;`, globs, newlines and terminal
 * escapes must all stay data.
 */
export function shellQuote(argument: string): string {
	if (bare.test(argument)) return argument;
	if (unprintable.test(argument) || leadingMark.test(argument)) return dollarQuote(argument);
	return `'${argument.replaceAll("'", `'\\''`)}'`;
}

/**
 * A script for the remote login shell, whatever it is, to run under POSIX sh. The script is
 * docknet's own, so it must quote as a plain POSIX word: `$'…'` is not read by every sh
 * (dash, busybox), and a script that would need it is a mistake in docknet.
 */
export function remoteShCommand(script: string): string {
	const quoted = shellQuote(script);
	if (quoted.startsWith("$'")) throw new Error('a remote script holds a character a POSIX sh cannot be given in quotes');
	return `sh -c ${quoted}`;
}
