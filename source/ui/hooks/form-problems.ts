import type {ActionResult} from '../../model/engine-actions.js';
import {describeRefusal} from '../../model/refusals.js';
import type {FormDialog, FormField} from '../state/dialog-state.js';

// The values and messages of the action forms: what a `:` command fills in, which problems
// are shown, and where an engine's refusal belongs.

export function sameProblems(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string | undefined>>): boolean {
	const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
	return [...keys].every(key => a[key] === b[key]);
}

/** Form fields holding the values a `:` command gave. */
export const filledIn = (fields: readonly FormField[], values: object | undefined): FormField[] =>
	fields.map(field => {
		const value: unknown = values === undefined ? undefined : (values as Record<string, unknown>)[field.id];
		if (field.kind === 'toggle') return typeof value === 'boolean' ? {...field, value} : field;
		// A switch given for a field with states (IPv6: off, on, only): its first two.
		// With IPv4 off (`--ipv4=false`), the third: only.
		if (field.kind === 'choice' && typeof value === 'boolean') {
			const ipv4Off = (values as Record<string, unknown>)['ipv4'] === false;
			return {...field, value: field.choices[value ? (ipv4Off ? 2 : 1) : 0] ?? field.value};
		}

		return typeof value === 'string' && value !== '' ? {...field, value} : field;
	});

export const defined = (problems: Partial<Record<string, string>>): Record<string, string> =>
	Object.fromEntries(Object.entries(problems).filter((entry): entry is [string, string] => entry[1] !== undefined));

/** Where in the form an engine refusal belongs: the field it names, else above the fields. */
export function refusalProblems(form: FormDialog, result: ActionResult): {errors: Record<string, string>; formError?: string} {
	const refusal = result.refusal;
	if (!refusal?.field) return {errors: {}, formError: result.message};
	const value = (id: string): string => {
		const field = form.fields.find(item => item.id === id);
		return field?.kind === 'text' ? field.value.trim() : '';
	};

	// An address refusal when only the IPv6 field was filled is about that field.
	const target = refusal.field === 'ipv4' && value('ipv4') === '' && value('ipv6') !== '' ? 'ipv6' : refusal.field;
	if (!form.fields.some(field => field.id === target)) return {errors: {}, formError: result.message};
	return {errors: {[target]: describeRefusal(refusal)}};
}
