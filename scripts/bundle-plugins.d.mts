import type {Plugin} from 'esbuild';

export const emptyDevtools: Plugin;
export const unusedBuildKit: Plugin;
export const cachedWidestLine: Plugin;
export const rowCachingOutput: Plugin;
export const lazySsh2: Plugin;
export const syncYoga: Plugin;
export const inkWithoutDevtools: Plugin;
export const lazyWidthTables: Plugin;
export const bundlePlugins: Plugin[];
export function makeLazy(source: string, names: string[], file: string): string;
export const patchedPackages: Record<string, string[]>;
