// The classic Docker networking walkthrough's commands, each next to the key or screen of
// docknet that answers it: the help screen's "From the CLI" page.

export interface CliAnswer {
	command: string;
	where: string;
}

export function fromTheCli(drivers: readonly string[] | undefined): CliAnswer[] {
	return [
		{command: 'ifconfig docker0 · ip addr show docker0', where: '3 Host interfaces: the docker0 row (Enter: its members and counters)'},
		{command: 'docker network ls', where: '1 Networks: name, driver, scope, subnet, gateway (Enter: IPAM, options)'},
		{command: 'docker inspect ctn1 | grep IPAddress', where: '2 Containers: NETWORKS column; Enter: every endpoint with IP, gateway, MAC'},
		{command: 'docker exec ctn1 ip addr · ifconfig', where: 'i on a container: its interfaces as seen inside (lo, eth0@ifN, state, MTU, MAC, IPv4/IPv6)'},
		{command: 'docker exec ctn1 ip route · route', where: 'i on a container: its IPv4 and IPv6 routing table'},
		{command: 'docker exec ctn1 cat /etc/resolv.conf /etc/hosts', where: "i on a container: DNS (127.0.0.11 is Docker's embedded DNS) and /etc/hosts"},
		{command: 'ip addr · ifconfig (one vethXXXX per container)', where: '3 Host interfaces: each veth names its container:eth0 and network'},
		{command: 'brctl show', where: '3 Host interfaces: MASTER column; Enter on a bridge: its members; t: the whole tree'},
		{command: 'docker info | grep Network', where: `the create form's drivers (n)${drivers && drivers.length > 0 ? `; this engine: ${drivers.join(' ')}` : ''}`},
		{
			command: 'docker port ctn1 · iptables -t nat -S DOCKER · nft list table ip docker-bridges',
			where:
				"Enter on a container: each published port, its DNAT rule and docker-proxy, read where the engine's FirewallBackend (docker info) writes them: iptables DOCKER chain, nftables docker-bridges table, or Podman's netavark (NETAVARK chains, nft inet netavark); routed networks shown as routed",
		},
		{command: 'docker network create / connect / disconnect', where: 'n, c, d (D --force), x, p, u; L shows each as the docker command it ran'},
	];
}
