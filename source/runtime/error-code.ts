/** The `code` of a failed system call (`ENOENT`, `EEXIST`, …), if the error carries one. */
export function errorCode(error: unknown): string | undefined {
	if (typeof error === 'object' && error !== null && 'code' in error) {
		const {code} = error as {code: unknown};
		return typeof code === 'string' ? code : undefined;
	}
	return undefined;
}
