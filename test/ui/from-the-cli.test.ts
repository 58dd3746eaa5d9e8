import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {fromTheCli} from '../../source/ui/presentation/from-the-cli.js';

describe('the help\'s "From the CLI" page', () => {
	test('the NAT answer names every firewall docknet reads, chosen by FirewallBackend', () => {
		const nat = fromTheCli(undefined).find(answer => answer.command.startsWith('docker port'));
		assert.ok(nat, 'a docker port line');
		assert.match(nat.command, /iptables -t nat -S DOCKER/);
		assert.match(nat.command, /nft list table ip docker-bridges/);
		for (const named of ['FirewallBackend', 'iptables', 'nftables', 'netavark']) assert.match(nat.where, new RegExp(named), named);
	});
});
