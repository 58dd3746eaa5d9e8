import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import path from 'node:path';
import {describe, test} from 'node:test';
import {bundlePlugins, patchedPackages} from '../../scripts/bundle-plugins.mjs';
import {repoRoot} from '../helpers/pty-app.js';

// Every package a bundle plugin patches ships at exactly the version the patch was checked
// against: pinned in package.json (a direct dependency, or an override for one that comes
// through another), the same in package-lock.json, and the same installed.

interface Manifest {
	devDependencies: Record<string, string>;
	overrides?: Record<string, string | Record<string, string>>;
}

const manifest = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as Manifest;
const lock = JSON.parse(readFileSync(path.join(repoRoot, 'package-lock.json'), 'utf8')) as {packages: Record<string, {version?: string}>};
const exactVersion = /^\d+\.\d+\.\d+$/;

/** The pin for an installed path: a direct dependency, a top-level override, or an override scoped to the parent at its pinned version. */
function pinFor(installedPath: string): string | undefined {
	const names = installedPath.split('node_modules/').slice(1).map(part => part.replace(/\/$/, ''));
	const name = names.at(-1) as string;
	if (names.length === 1) {
		const top = manifest.overrides?.[name];
		return manifest.devDependencies[name] ?? (typeof top === 'string' ? top : undefined);
	}

	const parent = names.at(-2) as string;
	const parentVersion = lock.packages[`node_modules/${parent}`]?.version;
	const scoped = manifest.overrides?.[`${parent}@${parentVersion}`];
	return typeof scoped === 'object' ? scoped[name] : undefined;
}

describe('the packages the bundle patches are pinned', () => {
	test('every bundle plugin says what it patches', () => {
		assert.deepEqual(bundlePlugins.map(plugin => plugin.name).sort(), Object.keys(patchedPackages).sort());
	});

	for (const installedPath of new Set(Object.values(patchedPackages).flat())) {
		test(`${installedPath}: one exact version in package.json, the lockfile and node_modules`, () => {
			const pin = pinFor(installedPath);
			assert.ok(pin !== undefined && exactVersion.test(pin), `${installedPath} is pinned exactly (found ${pin ?? 'nothing'})`);
			assert.equal(lock.packages[installedPath]?.version, pin, 'package-lock.json');
			const installed = JSON.parse(readFileSync(path.join(repoRoot, installedPath, 'package.json'), 'utf8')) as {version: string};
			assert.equal(installed.version, pin, 'installed');
		});
	}
});
