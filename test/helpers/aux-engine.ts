// Names for the extra private engines some tests start (a killed engine, the fuzz's
// disposable state): `<prefix>-<role>-<pid>`. DOCKNET_AUX_ENGINE_PREFIX lets runs that share a
// machine keep their engines apart; each test stops its own engine whatever happens.

export function auxEngineName(role: string): string {
	const prefix = process.env['DOCKNET_AUX_ENGINE_PREFIX'] ?? 'docknet-aux';
	return `${prefix}-${role}-${process.pid}`;
}
