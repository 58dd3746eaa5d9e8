import type {ContainerHealth, EngineEvent} from './types.js';

/**
 * The health a health_status event announces: Docker puts it in the action
 * ("health_status: unhealthy"), Podman in an attribute of a bare "health_status".
 */
export function healthOfEvent(event: EngineEvent): ContainerHealth | undefined {
	if (event.type !== 'container' || !event.action.startsWith('health_status')) return undefined;
	const said = event.action.slice('health_status'.length).replace(/^:\s*/, '') || event.attributes['health_status'];
	return said === 'healthy' || said === 'unhealthy' || said === 'starting' ? said : undefined;
}
